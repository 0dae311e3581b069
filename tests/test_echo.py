"""The echo endpoint, Flask's automatic HEAD and OPTIONS, and 405 with Allow."""

import io
import itertools
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from methodslab import MAX_REQUEST_BODY_BYTES
from methodslab.methods import METHODS_BY_SLUG
from methodslab.notes.api import MAX_API_BODY_BYTES
from methodslab.teaching.request_description import MAX_ECHOED_BODY
from methodslab.web.json_bounds import MAX_JSON_DEPTH

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BODY_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8"
BROWSER = {"Accept": BROWSER_ACCEPT}


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


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("Authorization", "Basic QWRhOm9wZW4gc2VzYW1l", "Basic (credentials hidden)"),
        ("Authorization", "Bearer eyJzZWNyZXQiOjF9.c2lnbmVk", "Bearer (credentials hidden)"),
        ("Proxy-Authorization", "Basic QWRhOm9wZW4gc2VzYW1l", "Basic (credentials hidden)"),
    ],
)
def test_echo_hides_credentials_but_names_the_scheme(
    client: FlaskClient, field: str, value: str, shown: str
) -> None:
    as_json = client.get("/echo", headers={field: value})
    page = client.get("/echo", headers={field: value, **BROWSER})

    assert as_json.get_json()["headers"][field] == shown
    assert shown in page.text
    assert "RFC 9110" in page.text  # the page says why
    for response in (as_json, page):
        assert value.split()[1] not in response.text


@pytest.mark.parametrize(
    "value", ["s3cr3t-token-without-a-scheme", "s3cr3t-token and-more", "Basic", "x" * 200]
)
def test_echo_hides_a_value_that_names_no_scheme_it_knows(client: FlaskClient, value: str) -> None:
    as_json = client.get("/echo", headers={"Authorization": value})
    page = client.get("/echo", headers={"Authorization": value, **BROWSER})

    shown = "Basic (credentials hidden)" if value == "Basic" else "(credentials hidden)"
    assert as_json.get_json()["headers"]["Authorization"] == shown
    for response in (as_json, page):
        assert "s3cr3t" not in response.text and "x" * 200 not in response.text


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "application/json"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_echo_varies_on_accept_and_is_never_stored(
    client: FlaskClient, accept: str, method: str
) -> None:
    response = client.open("/echo", method=method, headers={"Accept": accept})

    # RFC 9110 §12.5.5: the form of the answer follows Accept; RFC 9111 §5.2.2.5: it
    # mirrors the request's own fields, which no cache may hand to another request.
    assert response.status_code == 200
    assert "Accept" in [name.strip() for name in response.headers["Vary"].split(",")]
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers  # nothing kept, nothing to revalidate


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "application/json"])
@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("DELETE", "/"), ("FOO", "/")])
def test_error_answers_vary_on_accept(
    client: FlaskClient, accept: str, method: str, path: str
) -> None:
    response = client.open(path, method=method, headers={"Accept": accept})

    assert response.status_code >= 400
    assert "Accept" in [name.strip() for name in response.headers["Vary"].split(",")]


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
    ("path", "method"), [("/", "POST"), ("/methods/get", "PUT"), ("/api/notes", "PATCH")]
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


def chunked(body: bytes) -> dict[str, Any]:
    """Return test-client arguments that pass ``body`` as a server passes a chunked one."""
    # No Content-Length: the server ends the stream (wsgi.input_terminated).
    return {
        "input_stream": io.BytesIO(body),
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }


@pytest.mark.parametrize(
    ("method", "path", "limit", "content_type"),
    [
        ("POST", "/echo", MAX_REQUEST_BODY_BYTES, "application/octet-stream"),
        ("PUT", "/api/notes/n", MAX_API_BODY_BYTES, "application/json"),
        ("POST", "/login", MAX_REQUEST_BODY_BYTES, "application/x-www-form-urlencoded"),
    ],
)
def test_body_over_the_limit_is_413(
    client: FlaskClient,
    method: str,
    path: str,
    limit: int,
    content_type: str,
) -> None:
    at_limit = b'{"text": "' + b"x" * (limit - 16) + b'"}    '
    assert len(at_limit) == limit

    over = client.open(path, method=method, content_type=content_type, data=at_limit + b" ")
    at = client.open(path, method=method, content_type=content_type, data=at_limit)

    # RFC 9110 §15.5.14's name, in the status line and the title alike.
    assert over.status == "413 Content Too Large"
    assert over.get_json()["title"] == "Content Too Large"
    assert f"over the {limit:,} bytes" in over.get_json()["detail"]
    assert at.status_code != 413


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", "/echo", "application/octet-stream"),
        ("PUT", "/api/notes/n", "application/json"),
        ("POST", "/login", "application/x-www-form-urlencoded"),
    ],
)
def test_a_chunked_body_is_411(
    client: FlaskClient, method: str, path: str, content_type: str
) -> None:
    body = b'{"text": "x"}' if content_type == "application/json" else b"nm=x"
    response = client.open(path, method=method, content_type=content_type, **chunked(body))

    assert response.status_code == 411
    assert "Content-Length" in response.get_json()["detail"]


def test_a_body_shorter_than_its_length_is_400(client: FlaskClient) -> None:
    note = b'{"text": "the whole of it"}'
    response = client.put(
        "/api/notes/n",
        input_stream=io.BytesIO(note),
        content_type="application/json",
        # The test client would set the length it sees: the announced one is longer.
        environ_overrides={"CONTENT_LENGTH": str(len(note) + 10)},
    )

    assert response.status_code == 400
    assert "ended after 27 of the 37 bytes" in response.get_json()["detail"]
    assert client.get("/api/notes/n").status_code == 404


def test_a_form_field_may_fill_the_body_limit(client: FlaskClient) -> None:
    field = "x" * (MAX_REQUEST_BODY_BYTES - 1000)

    response = client.post("/echo", data={"big": (io.BytesIO(b"f"), "f.txt"), "text": field})

    assert response.status_code == 200
    assert response.get_json()["form"]["text"] == [field]


def test_override_form_is_held_to_the_api_limit(client: FlaskClient) -> None:
    client.put("/api/notes/n", json={"text": "kept"})
    with client.session_transaction() as session:
        session["csrf"] = "token"
    form = {"_method": "PUT", "_csrf": "token", "text": "x" * 900_000}

    response = client.post("/api/notes/n", data=form)

    assert response.status_code == 413
    assert client.get("/api/notes/n").get_json()["text"] == "kept"


def nested_arrays(depth: int, innermost: str = "") -> str:
    """Return JSON text of ``depth`` arrays, each inside the next."""
    return "[" * depth + innermost + "]" * depth


@pytest.mark.parametrize("accept", ["application/json", BROWSER_ACCEPT])
@pytest.mark.parametrize(
    "body",
    [
        nested_arrays(MAX_JSON_DEPTH, ",".join(["0"] * 2000)),
        nested_arrays(3, ",".join(["0"] * 2000)),
        nested_arrays(1, ",".join(['"<"'] * 2000)),
        nested_arrays(1, ",".join(['{"a": {"b": [0]}}'] * 500)),
    ],
)
def test_echo_output_grows_in_step_with_its_input(
    client: FlaskClient, accept: str, body: str
) -> None:
    response = client.post(
        "/echo",
        data=body,
        content_type="application/json",
        headers={"Accept": accept, "Accept-Encoding": "identity"},
    )

    assert response.status_code == 200
    # Indenting every level made 1.8 KB of nested arrays 1.6 MB.
    assert len(response.data) <= 8 * len(body) + 4096


def test_echo_reads_json_nested_up_to_the_limit(client: FlaskClient) -> None:
    body = nested_arrays(MAX_JSON_DEPTH, "1")

    seen = client.post("/echo", data=body, content_type="application/json").get_json()

    assert json.dumps(seen["json"], separators=(",", ":")) == body


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 990, 5000])
def test_too_deep_json_is_400_as_in_the_notes_api(client: FlaskClient, depth: int) -> None:
    body = nested_arrays(depth)
    as_json = {"Accept": "application/json"}

    echo = client.post("/echo", data=body, content_type="application/json", headers=as_json)
    page = client.post("/echo", data=body, content_type="application/json", headers=BROWSER)
    notes = client.put("/api/notes/n", data=body, content_type="application/json")

    assert echo.status_code == page.status_code == notes.status_code == 400
    assert echo.mimetype == "application/problem+json"
    assert echo.get_json()["detail"] == notes.get_json()["detail"]
    assert f"at most {MAX_JSON_DEPTH} levels" in echo.get_json()["detail"]
    assert f"at most {MAX_JSON_DEPTH} levels" in page.text


# A value for each URL variable, so every GET route can be asked for.
SAMPLE_VALUES: dict[str, list[str]] = {
    "filename": ["style.css"],
    "variant": ["post", "get"],
    "name": ["Ada"],
    "slug": sorted(METHODS_BY_SLUG),
    "subpath": ["", "a//b/"],
    "note_id": ["kept", "missing"],
    "run": ["2f1c1d2e-0000-4000-8000-000000000000"],  # the CORS lab's record of a run
    "version": ["a", "b"],  # the teachers' printed quiz
    "token": ["no-such-class"],  # a class's teacher link (404)
    "code": ["K7MQ2X"],  # a class's join code, filled into the form
}
# Besides the routes' own URLs: query strings that change the answer, and errors.
EXTRA_URLS = ["/login?nm=Ada", "/success/Ada?via=get", "/echo?x=1", "/nowhere", "/api/notes/a b"]
# Fields whose values differ between any two requests, whatever their method.
PER_REQUEST_FIELDS = {"X-Request-ID", "Date"}
# Sent only when the session changes (web/sessions.py): the GET before a HEAD may
# be the request that gave the visitor a form token, leaving the HEAD nothing to send.
STATE_CHANGE_FIELDS = {"Set-Cookie"}


def every_get_url(app: Flask) -> list[str]:
    """Return a URL for each GET route in the app's URL map, with each sample value."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()):
            continue
        names = sorted(rule.arguments - set(rule.defaults or {}))
        for values in itertools.product(*(SAMPLE_VALUES[name] for name in names)):
            urls.append(adapter.build(rule.endpoint, dict(zip(names, values, strict=True))))
    return [*dict.fromkeys(urls), *EXTRA_URLS]


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br"])
@pytest.mark.parametrize("accept", ["application/json", BROWSER_ACCEPT])
def test_head_answers_as_get_would_on_every_route(
    client: FlaskClient, accept: str, encoding: str
) -> None:
    client.put("/api/notes/kept", json={"text": "HEAD sees this note's length"})
    headers = {"Accept": accept, "Accept-Encoding": encoding}
    urls = every_get_url(client.application)

    for url in urls:
        # A first visit may change what the next answer shows (on /challenges, the new
        # session cookie, for curl, whose signature carries the second it was made): HEAD
        # is held to the answer GET gives in the same state.
        client.get(url, headers=headers)
        get = client.get(url, headers=headers)
        head = client.head(url, headers=headers)

        assert head.data == b"", url
        assert head.status_code == get.status_code, url
        # RFC 9110 §8.6: a HEAD response's Content-Length is the one GET would send
        # (a streamed file, compressed as it is sent, has none in either).
        assert head.headers.get("Content-Length", str(len(get.data))) == str(len(get.data)), url
        assert comparable(head.headers) == comparable(get.headers), url
    assert len(urls) > 20


def comparable(headers: Headers) -> list[tuple[str, str]]:
    """Return the header fields that two answers to the same request must share."""
    return sorted(
        (name, "" if name in PER_REQUEST_FIELDS else value)
        for name, value in headers
        if name not in STATE_CHANGE_FIELDS
    )
