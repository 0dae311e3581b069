"""Security headers, hostile input, error pages and logs."""

import json
import logging
import stat
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from flask.testing import FlaskClient

from methodslab import create_app, persistent_secret
from methodslab.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.app_config import config_for

# Visitors only: one app for the module, a client (a new visitor) for each test; the
# tests of settings and of failing routes build apps of their own.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/methods/put", 200),
        ("GET", "/static/style.css", 200),
        ("GET", "/api/notes", 200),
        ("PUT", "/echo", 200),
        ("GET", "/nowhere", 404),
        ("POST", "/", 405),
        ("GET", "/login", 400),
        ("OPTIONS", "/echo", 200),
    ],
)
def test_every_response_has_the_security_headers(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    response = client.open(path, method=method)

    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "Strict-Transport-Security" not in response.headers
    assert len(response.headers["X-Request-ID"]) == 16


def test_content_security_policy_is_strict() -> None:
    policy = dict(
        directive.split(" ", 1)
        for directive in SECURITY_HEADERS["Content-Security-Policy"].split("; ")
    )

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'self'"
    assert "unsafe" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_no_inline_script_or_style_in_any_page(client: FlaskClient) -> None:
    for path in ["/", "/login/post", "/success/Ada?via=post", "/methods/put", "/get-vs-post"]:
        html = client.get(path).text
        assert "<script>" not in html and "<style" not in html and "style=" not in html
        assert "onclick" not in html.lower() and "onerror" not in html.lower()


def test_hsts_only_over_https_behind_a_configured_proxy(tmp_path) -> None:
    direct = create_app(config_for(tmp_path)).test_client()
    proxied = create_app({**config_for(tmp_path), "PROXY_FIX_HOPS": 1}).test_client()
    forwarded = {"X-Forwarded-Proto": "https"}

    assert "Strict-Transport-Security" not in direct.get("/", headers=forwarded).headers
    assert (
        proxied.get("/", headers=forwarded)
        .headers["Strict-Transport-Security"]
        .startswith("max-age=")
    )
    assert "Strict-Transport-Security" not in proxied.get("/").headers


def test_secure_cookie_when_configured(tmp_path) -> None:
    client = create_app({**config_for(tmp_path), "SESSION_COOKIE_SECURE": True}).test_client()

    response = client.put("/api/notes/n", json={"text": "x"}, base_url="https://localhost")

    cookie = SimpleCookie(response.headers["Set-Cookie"])["sandbox"]
    assert cookie["secure"] is True and cookie["httponly"] is True


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/login?nm=%FF%FE", "not valid UTF-8"),
        ("/login?nm=%E2%82", "not valid UTF-8"),
        ("/success/%C3%28?via=post", "not valid UTF-8"),
        ("/login?nm=%zz", "not followed by two hex digits"),
        ("/login?nm=100%", "not followed by two hex digits"),
        ("/echo?x=%", "not followed by two hex digits"),
    ],
)
def test_undecodable_urls_are_400(client: FlaskClient, path: str, detail: str) -> None:
    response = client.get(path, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert detail in response.get_json()["detail"]


# "GET " + path + " HTTP/1.1" is 13 bytes more than the path, as sent: each byte
# of a non-ASCII character escaped ("é", two bytes, is "%C3%A9", six).
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/echo/" + "a" * 8171, 200),  # a request line of exactly 8190 bytes
        ("/echo/" + "a" * 8172, 414),
        ("/echo/" + "é" * 1361, 200),  # 8185 bytes once escaped, 2728 as the server passes it
        ("/echo/" + "é" * 1362, 414),  # 8191
    ],
)
def test_the_request_line_limit_counts_bytes_as_sent(
    client: FlaskClient, path: str, status: int
) -> None:
    assert client.get(path).status_code == status


@pytest.mark.parametrize("body", [b"nm=%FF", b"nm=%zz", b"nm=a%"])
def test_undecodable_form_bodies_are_400(client: FlaskClient, body: bytes) -> None:
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400


@pytest.mark.parametrize("name", ["Ada\r\nSet-Cookie: owned=1", "Ada\nLocation: //evil", "a\x00b"])
def test_control_characters_never_reach_a_header(client: FlaskClient, name: str) -> None:
    for response in (
        client.post("/login", data={"nm": name}),
        client.get("/login", query_string={"nm": name}),
    ):
        assert response.status_code == 400
        assert "Location" not in response.headers
        assert "owned" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "localhost.evil.example",
        "bad host<",
        "a" * 300,
        "[::2]",
        "[::1]:99999",
        "[::1]evil",
        "[::1]:80:80",
    ],
)
def test_forged_host_is_400(client: FlaskClient, host: str) -> None:
    problem = client.get("/methods/get", headers={"Host": host, "Accept": "application/json"})
    page = client.get("/methods/get", headers={"Host": host, **BROWSER})

    assert problem.status_code == page.status_code == 400
    assert "is not trusted" in problem.text and problem.mimetype == "text/plain"
    assert page.mimetype == "text/plain"  # never HTML, so nothing in it can run


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
@pytest.mark.parametrize(
    "path", ["/methods/options", "/labs/cors/frame", "/labs/cors/run/0123456789abcdef"]
)
def test_a_forged_host_is_the_same_400_on_the_cors_lab_pages(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method, headers={"Host": "evil.example", **BROWSER})

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:5000", "127.0.0.1:8080", "[::1]", "[::1]:5000"]
)
def test_trusted_hosts_are_answered_with_or_without_a_port(client: FlaskClient, host: str) -> None:
    response = client.get("/methods/get", headers={"Host": host})

    assert response.status_code == 200
    # The lesson's curl commands name the host, with the port the server listens on
    # (80 for the test client), whatever port the Host header names: web/page_cache.py.
    name = host if host.endswith("]") else host.rpartition(":")[0] or host
    assert f"http://{name}/" in response.text


# More methods no URL accepts (PROPFIND, QUERY) get 501: tests/test_methods_guard.py.
@pytest.mark.parametrize("method", ["TRACE", "CONNECT"])
def test_methods_allowed_nowhere_are_501(client: FlaskClient, method: str) -> None:
    response = client.open("/echo", method=method)

    # Never echoed back (cross-site tracing), and no Allow: no URL here allows them.
    assert response.status_code == 501
    assert "Allow" not in response.headers


def test_notes_are_untouched_by_refused_requests(client: FlaskClient) -> None:
    client.put("/api/notes/keep", json={"text": "safe"})

    client.put("/api/notes/keep?x=%FF", json={"text": "changed"})
    client.put("/api/notes/keep", json={"text": "changed"}, headers={"Host": "evil.example"})
    client.open("/api/notes/keep", method="BREW")

    assert client.get("/api/notes/keep").get_json()["text"] == "safe"


@pytest.fixture
def failing_app(tmp_path) -> Flask:
    """Return the site with routes that always fail, one naming the path in its errors."""
    # Testing mode re-raises errors for the test to see; a server would not.
    app = create_app({**config_for(tmp_path), "PROPAGATE_EXCEPTIONS": False})
    app.add_url_rule("/boom/<secret>", "boom", lambda secret: str(1 / 0))
    app.add_url_rule("/telling/<secret>", "telling", fail_naming)

    @app.after_request
    def fail_again(response: Response) -> Response:
        """Fail while the error page is finished too, as Flask then logs on its own."""
        if request.path.startswith("/telling/") and response.status_code == 500:
            raise ValueError(f"finishing {request.path}")
        return response

    return app


def fail_naming(secret: str) -> str:
    """Fail with errors whose messages hold ``secret``, as a file name or a key would."""
    try:
        return {"known": "x"}[secret]
    except KeyError:
        raise LookupError(f"nothing called {secret}") from None


def test_an_errors_message_stays_out_of_the_log(
    failing_app: Flask, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    response = failing_app.test_client().get("/telling/Ozymandias", headers=BROWSER)

    captured = capsys.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert response.status_code == 500
    assert "LookupError" in logged and "ValueError" in logged  # where and what, still
    assert "fail_naming" in logged
    assert "Ozymandias" not in logged


def test_500_shows_a_request_id_and_no_traceback(failing_app: Flask, capsys) -> None:
    client = failing_app.test_client()

    page = client.get("/boom/Ada", headers=BROWSER)
    as_json = client.get("/boom/Ada", headers={"Accept": "application/json"})

    assert page.status_code == as_json.status_code == 500
    assert "Traceback" not in page.text and "ZeroDivisionError" not in page.text
    request_id = page.headers["X-Request-ID"]
    assert request_id in page.text
    assert as_json.get_json()["request_id"] == as_json.headers["X-Request-ID"]
    log = capsys.readouterr().err
    logged = [json.loads(line) for line in log.splitlines()]
    error = next(line for line in logged if line["event"] == "error")
    assert error["request_id"] == request_id
    assert "ZeroDivisionError" in error["traceback"]
    assert "Ada" not in log  # the path's name, in no line: not even the error's


@pytest.mark.parametrize("status", [400, 404, 405, 413, 415])
def test_error_pages_in_both_forms(client: FlaskClient, status: int) -> None:
    requests: dict[int, tuple[str, str, dict[str, Any]]] = {
        400: ("GET", "/login", {}),
        404: ("GET", "/nowhere", {}),
        405: ("DELETE", "/", {}),
        413: ("POST", "/echo", {"data": b"x" * (2 * 1024 * 1024)}),
        415: ("PUT", "/api/notes/n", {"data": "x", "content_type": "text/plain"}),
    }
    method, path, extra = requests[status]

    page = client.open(path, method=method, headers=BROWSER, **extra)
    problem = client.open(path, method=method, headers={"Accept": "application/json"}, **extra)

    assert page.status_code == problem.status_code == status
    assert page.mimetype == "text/html" and "<h1>" in page.text
    if status != 400:  # the login form is its own 400 page
        assert problem.mimetype == "application/problem+json"
        assert problem.get_json()["status"] == status


def test_logs_hold_no_names_or_note_text(client: FlaskClient, capsys) -> None:
    client.post("/login", data={"nm": "Ozymandias"})
    client.get("/success/Ozymandias?via=post")
    client.put("/api/notes/private-id", json={"text": "my secret note"})

    logged = capsys.readouterr().err
    lines = [json.loads(line) for line in logged.splitlines()]
    assert len(lines) == 3
    assert {line["route"] for line in lines} == {
        "/login",
        "/success/<name:name>",
        "/api/notes/<rest:note_id>",
    }
    for secret in ("Ozymandias", "private-id", "my secret note"):
        assert secret not in logged
    assert all({"method", "status", "duration_ms", "request_id"} <= line.keys() for line in lines)


def test_a_500_is_logged_once_and_without_the_path(
    failing_app: Flask, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, Flask's and Werkzeug's included

    failing_app.test_client().get("/boom/Ozymandias", headers=BROWSER)

    captured = capsys.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "ZeroDivisionError" in logged
    assert "Ozymandias" not in logged
    assert logged.count("Traceback (most recent call last)") == 1


def test_every_file_the_site_writes_is_for_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    app = create_app(config_for(folder))
    client = app.test_client()
    client.put("/api/notes/n", json={"text": "private"})
    client.options(
        "/labs/cors/run/0123456789abcdef",
        headers={"Origin": "http://127.0.0.1", "Access-Control-Request-Method": "PUT"},
    )
    persistent_secret(folder / "secret_key")
    (folder / "written-later").write_text("x")  # any file made by this process from now on

    paths = [folder, *folder.rglob("*")]
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in paths}

    assert {"notes.sqlite3-wal", "notes.sqlite3-shm", "secret_key"} <= modes.keys()
    assert modes == {path.name: 0o700 if path.is_dir() else 0o600 for path in paths}
