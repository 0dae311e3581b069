"""Methods the server does not implement (501) against methods a URL does not allow (405),
and ``OPTIONS *``, through Flask's test client."""

import json

import pytest
from flask.testing import FlaskClient

from tests.html_text import texts_of

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Every method some URL of the site accepts (RFC 9110 §9.3 and RFC 5789).
IMPLEMENTED = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]


# One rule (RFC 9110 §9.1): a method no URL accepts is 501 on every URL, whether the
# server knows its name (TRACE, CONNECT, QUERY) or not (FOO), an unknown path included.
@pytest.mark.parametrize("method", ["FOO", "PROPFIND", "BREW", "TRACE", "CONNECT", "QUERY"])
@pytest.mark.parametrize(
    "path", ["/", "/echo", "/api/notes", "/api/notes/n", "/static/style.css", "/no/such/page"]
)
def test_a_method_no_url_accepts_is_501(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method)

    assert response.status_code == 501
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Not Implemented"
    assert problem["implemented"] == IMPLEMENTED
    assert method in problem["detail"]
    assert "Allow" not in response.headers


def test_method_names_are_case_sensitive(client: FlaskClient) -> None:
    # Werkzeug's test client upper-cases the method; set it as a server would pass it.
    response = client.get("/", environ_overrides={"REQUEST_METHOD": "get"})

    assert response.status_code == 501
    assert "the method get, for any URL" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/"),
        ("DELETE", "/login"),
        ("PUT", "/api/notes"),
        ("PATCH", "/methods/get"),
    ],
)
def test_a_method_implemented_elsewhere_is_405_with_allow(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method)

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_501_page_teaches_the_difference_from_405(client: FlaskClient) -> None:
    response = client.open("/", method="FOO", headers={"Accept": BROWSER_ACCEPT})

    html = " ".join(response.get_data(as_text=True).split())  # as one line of text
    assert response.status_code == 501
    assert texts_of(html, "h1") == ["501 Not Implemented"]
    assert "<code>FOO</code>, which this server does not implement" in html
    assert "<code>DELETE</code>, <code>GET</code>, <code>HEAD</code>" in html
    assert "Compare <code>405 Method Not Allowed</code>" in html


def test_405_page_teaches_the_difference_from_501(client: FlaskClient) -> None:
    response = client.post("/", headers={"Accept": BROWSER_ACCEPT})

    html = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 405
    assert "implements the method POST for other URLs, but this URL does not accept it" in html
    assert "Compare <code>501 Not Implemented</code>" in html


@pytest.mark.parametrize(("method", "rfc"), [("TRACE", "RFC 9110"), ("QUERY", "RFC 10008")])
def test_501_page_says_a_standard_method_is_implemented_nowhere(
    client: FlaskClient, method: str, rfc: str
) -> None:
    response = client.open("/echo", method=method, headers={"Accept": BROWSER_ACCEPT})

    html = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 501 and "Allow" not in response.headers
    assert f"{method} is a standard method ({rfc}), but no URL of this site accepts it" in html


@pytest.mark.parametrize("method", ["FOO", "get"])
def test_501_keeps_security_headers_and_request_log(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], method: str
) -> None:
    response = client.open("/", method=method)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    (logged,) = [line for line in lines if line["event"] == "request"]
    assert logged["status"] == 501
    # A made-up name is not logged (it may say anything), nor is "get" logged as GET.
    assert logged["method"] == "(other)"
    assert logged["request_id"] == response.headers["X-Request-ID"]


def test_options_asterisk_answers_for_the_whole_server(client: FlaskClient) -> None:
    response = client.open("*", method="OPTIONS")

    assert response.status_code == 204
    assert response.headers["Allow"].split(", ") == IMPLEMENTED
    assert "Content-Type" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_options_on_a_path_named_asterisk_is_not_server_wide(client: FlaskClient) -> None:
    assert client.open("/*", method="OPTIONS").status_code == 404


def test_asterisk_target_is_only_for_options(client: FlaskClient) -> None:
    response = client.get("*")

    assert response.status_code == 400
    assert "only for OPTIONS" in response.get_json()["detail"]


def test_untrusted_host_is_refused_before_options_asterisk(client: FlaskClient) -> None:
    response = client.open("*", method="OPTIONS", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert "Allow" not in response.headers
