"""The echo endpoint, Flask's automatic HEAD and OPTIONS, and 405 with Allow."""

import json

import pytest
from flask.testing import FlaskClient

from methodslab.web.request_info import MAX_ECHOED_BODY

BODY_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


@pytest.mark.parametrize("method", ["GET", *BODY_METHODS])
@pytest.mark.parametrize("path", ["/echo", "/echo/notes/1", "/echo/a//b/"])
def test_echo_describes_each_method(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(f"{path}?x=1&x=2&y=%3C", method=method, data="hello")

    seen = response.get_json()
    assert response.status_code == 200
    assert seen["method"] == method
    assert seen["path"] == path
    assert seen["query"] == {"x": ["1", "2"], "y": ["<"]}
    assert seen["body"] == "hello"
    assert seen["body_bytes"] == 5


@pytest.mark.parametrize("method", BODY_METHODS)
def test_echo_reads_form_and_json_bodies(client: FlaskClient, method: str) -> None:
    form = client.open("/echo", method=method, data={"nm": "Ada", "tags": ["a", "b"]}).get_json()
    as_json = client.open("/echo", method=method, json={"text": "é", "n": [1, None]}).get_json()
    merge_patch = client.open(
        "/echo",
        method=method,
        data='{"text": null}',
        content_type="application/merge-patch+json",
    ).get_json()

    assert form["form"] == {"nm": ["Ada"], "tags": ["a", "b"]}
    assert as_json["json"] == {"text": "é", "n": [1, None]}
    assert merge_patch["json"] == {"text": None}


@pytest.mark.parametrize(
    ("body", "content_type", "shown"),
    [
        (b"\xff\xfe\x00binary", "application/octet-stream", "\ufffd\ufffd\x00binary"),
        (b'{"broken": ', "application/json", '{"broken": '),
        (b"", "application/json", ""),
        (b"<script>alert(1)</script>", "text/html", "<script>alert(1)</script>"),
    ],
)
def test_echo_survives_odd_bodies(
    client: FlaskClient, body: bytes, content_type: str, shown: str
) -> None:
    seen = client.post("/echo", data=body, content_type=content_type).get_json()

    assert seen["body"] == shown
    assert seen["json"] is None


def test_echo_caps_the_body_it_shows(client: FlaskClient) -> None:
    seen = client.put("/echo", data="x" * (MAX_ECHOED_BODY + 5)).get_json()

    assert len(seen["body"]) == MAX_ECHOED_BODY
    assert seen["body_bytes"] == MAX_ECHOED_BODY + 5
    assert seen["body_truncated"] is True


def test_echo_hides_cookie_values(client: FlaskClient) -> None:
    client.set_cookie("sandbox", "secret-value")
    client.set_cookie("theme", "dark")

    seen = client.get("/echo").get_json()

    assert seen["headers"]["Cookie"] == "(2 cookies, values hidden)"
    assert "secret-value" not in json.dumps(seen)


def test_echo_is_a_page_for_browsers_and_escapes_everything(client: FlaskClient) -> None:
    response = client.post(
        "/echo?q=<img src=x onerror=alert(1)>",
        data="<script>alert(1)</script>",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "X-Test": "<b>"},
    )

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;b&gt;" in response.text


def test_head_is_get_without_the_body(client: FlaskClient) -> None:
    get, head = client.get("/methods/get"), client.head("/methods/get")

    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(get.data))
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", {"GET", "HEAD", "OPTIONS"}),
        ("/login", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("/echo", {"GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"}),
        ("/echo/any/thing", {"GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"}),
    ],
)
def test_options_answers_with_allow(client: FlaskClient, path: str, allowed: set[str]) -> None:
    response = client.options(path)

    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == allowed
    assert response.data == b""


@pytest.mark.parametrize(
    ("path", "method"), [("/", "POST"), ("/methods/get", "PUT"), ("/echo", "TRACE")]
)
def test_wrong_method_is_405_with_allow(client: FlaskClient, path: str, method: str) -> None:
    as_page = client.open(path, method=method, headers={"Accept": "text/html"})
    as_json = client.open(path, method=method, headers={"Accept": "application/json"})

    for response in (as_page, as_json):
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"].split(", ")
    assert "405 Method Not Allowed" in as_page.text
    assert f"<code>{method}</code>" in as_page.text
    assert as_json.mimetype == "application/problem+json"
    problem = as_json.get_json()
    assert problem["status"] == 405
    assert set(problem["allowed"]) == set(as_page.headers["Allow"].split(", "))


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    limit = client.application.config["MAX_CONTENT_LENGTH"]

    response = client.post("/echo", data=b"x" * (limit + 1))

    assert response.status_code == 413
    assert response.get_json()["title"] == "Request Entity Too Large"
