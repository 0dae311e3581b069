"""The request builder page and its plain form, which may only lead to this site."""

import pytest
from flask.testing import FlaskClient

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app


def test_the_builder_page_offers_both_forms(client: FlaskClient) -> None:
    response = client.get("/builder")

    assert response.status_code == 200
    assert "Build a request" in response.text
    assert 'action="/builder/send"' in response.text


@pytest.mark.parametrize("path", ["/methods/put", "/methods/options", "/"])
def test_every_page_links_to_the_builder(client: FlaskClient, path: str) -> None:
    assert 'href="/builder"' in client.get(path).text


@pytest.mark.parametrize(
    ("method", "status"),
    [("GET", 303), ("POST", 307)],
)
def test_the_plain_form_goes_on_to_the_chosen_path(
    client: FlaskClient, method: str, status: int
) -> None:
    response = client.post(
        "/builder/send", data={"method": method, "path": "/echo/a?b=c", "message": "hi"}
    )

    assert response.status_code == status
    # GET carries the field in the query string, as a GET form does; POST in its body.
    location = "/echo/a?b=c&message=hi" if method == "GET" else "/echo/a?b=c"
    assert response.headers["Location"] == location


def test_the_plain_get_form_arrives_with_its_field_in_the_query(client: FlaskClient) -> None:
    sent = client.post(
        "/builder/send",
        data={"method": "GET", "path": "/echo/builder", "message": "a b&c=é"},
        follow_redirects=True,
    )

    assert sent.request.method == "GET"
    assert sent.get_json()["query"] == {"message": ["a b&c=é"]}


def test_a_field_sent_along_has_a_length_limit(client: FlaskClient) -> None:
    response = client.post(
        "/builder/send", data={"method": "GET", "path": "/echo", "message": "x" * 501}
    )

    assert response.status_code == 400 and "Location" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "echo",
        "",
        "/echo\nLocation: //evil.example",
        "/\tevil",
        "/" + "a" * 2001,
    ],
)
def test_the_plain_form_never_leads_elsewhere(client: FlaskClient, path: str) -> None:
    response = client.post("/builder/send", data={"method": "GET", "path": path})

    assert response.status_code == 400
    assert "Location" not in response.headers


@pytest.mark.parametrize("method", ["PUT", "patch", "FOO", ""])
def test_the_plain_form_sends_get_or_post_only(client: FlaskClient, method: str) -> None:
    response = client.post("/builder/send", data={"method": method, "path": "/echo"})

    assert response.status_code == 400
    assert "GET or POST" in response.text
