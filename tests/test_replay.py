"""The replay layer: a shared page's answer given again, exactly, without running Flask."""

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import Client, TestResponse

from methodslab import create_app
from methodslab.web.replay import REPLAYABLE_ROUTE, ReplayLayer
from tests.app_config import config_for

SHARED_PAGES = ["/", "/methods/get", "/methods/head", "/methods/options", "/login/post"]
REQUESTS = [
    ("GET", {}),
    ("GET", {"Accept-Encoding": "br, gzip"}),
    ("GET", {"Accept-Encoding": "gzip"}),
    ("HEAD", {"Accept-Encoding": "gzip, deflate, br, zstd"}),
]


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """Return the log lines written since the last call."""
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def log_line_of(response: TestResponse, lines: list[dict]) -> dict:
    """Return the log line of ``response`` (a lesson's worked example logs requests too)."""
    return next(line for line in lines if line["request_id"] == response.headers["X-Request-ID"])


def without_request_id(response: TestResponse) -> list[tuple[str, str]]:
    """Return a response's headers, leaving out the one that differs on purpose."""
    return [(name, value) for name, value in response.headers if name != "X-Request-ID"]


@pytest.mark.parametrize("path", SHARED_PAGES)
@pytest.mark.parametrize(("method", "headers"), REQUESTS)
def test_the_same_request_gets_flasks_answer_again(
    client: FlaskClient, capsys, path: str, method: str, headers: dict[str, str]
) -> None:
    first = client.open(path, method=method, headers=headers)
    again = client.open(path, method=method, headers=headers)

    assert first.status_code == 200
    assert (again.status, without_request_id(again), again.data) == (
        first.status,
        without_request_id(first),
        first.data,
    )
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    lines = log_lines(capsys)
    flask_line, replay_line = log_line_of(first, lines), log_line_of(again, lines)
    assert "replayed" not in flask_line
    assert replay_line["replayed"] is True
    for field in ("event", "method", "route", "status"):
        assert replay_line[field] == flask_line[field]


def test_a_revalidation_is_replayed_as_304(client: FlaskClient, capsys) -> None:
    etag = client.get("/methods/get").headers["ETag"]

    answers = [client.get("/methods/get", headers={"If-None-Match": etag}) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [304, 304]
    assert answers[1].data == b"" and answers[1].headers["ETag"] == etag
    lines = log_lines(capsys)
    assert "replayed" not in log_line_of(answers[0], lines)
    assert log_line_of(answers[1], lines)["replayed"] is True


@pytest.mark.parametrize(
    ("first", "then", "status"),
    [
        # Another host, URL or encoding is another request with an answer of its own.
        ({"path": "/methods/get"}, {"path": "/methods/get", "base_url": "http://127.0.0.1"}, 200),
        ({"path": "/"}, {"path": "/?x=%zz"}, 400),
        (
            {"path": "/methods/get"},
            {"path": "/methods/get", "headers": {"Host": "evil.example"}},
            400,
        ),
        # A body is checked by Flask even where the page ignores it.
        (
            {"path": "/"},
            {"path": "/", "data": b"nm=%FF", "content_type": "application/x-www-form-urlencoded"},
            400,
        ),
        ({"path": "/"}, {"path": "/", "method": "POST"}, 405),
    ],
)
def test_any_other_request_goes_to_flask(
    client: FlaskClient, capsys, first: dict, then: dict, status: int
) -> None:
    client.open(**first)
    client.open(**first)

    assert client.open(**then).status_code == status
    assert "replayed" not in log_lines(capsys)[-1]


def test_each_host_gets_its_own_curl_command(client: FlaskClient) -> None:
    for host in ("127.0.0.1:5000", "localhost:8000", "127.0.0.1:5000", "localhost:8000"):
        page = client.get("/methods/get", headers={"Host": host}).text
        assert f"http://{host}/methods/get" in page


@pytest.mark.parametrize("path", ["/methods/put", "/echo", "/success/Ada", "/static/style.css"])
def test_pages_that_differ_per_request_are_never_replayed(
    client: FlaskClient, capsys, path: str
) -> None:
    client.get(path)
    client.get(path)

    assert all("replayed" not in line for line in log_lines(capsys))


def test_visitors_with_a_cookie_go_to_flask(client: FlaskClient, capsys) -> None:
    client.put("/api/notes/mine", json={"text": "x"})  # sets the sandbox cookie
    client.get("/")
    client.get("/")

    assert all("replayed" not in line for line in log_lines(capsys))


def test_hsts_is_replayed_only_to_https(tmp_path) -> None:
    client = create_app({**config_for(tmp_path), "PROXY_FIX_HOPS": 1}).test_client()
    https = {"X-Forwarded-Proto": "https"}

    over_https = [client.get("/", headers=https).headers for _ in range(2)]
    over_http = [client.get("/").headers for _ in range(2)]

    assert all("Strict-Transport-Security" in headers for headers in over_https)
    assert all("Strict-Transport-Security" not in headers for headers in over_http)


def test_an_answer_that_sets_a_cookie_is_never_kept() -> None:
    calls = []

    def app(environ: dict, start_response: Callable) -> list[bytes]:
        calls.append(environ["PATH_INFO"])
        environ[REPLAYABLE_ROUTE] = "/"
        start_response("200 OK", [("Set-Cookie", f"visitor={len(calls)}")])
        return [b"page"]

    client = Client(ReplayLayer(app))

    cookies = [client.get("/", environ_overrides={"RAW_URI": "/"}) for _ in range(2)]

    assert calls == ["/", "/"]
    assert [response.headers["Set-Cookie"] for response in cookies] == ["visitor=1", "visitor=2"]


def test_the_layer_sees_the_request_after_the_proxy_fix(tmp_path) -> None:
    app: Flask = create_app({**config_for(tmp_path), "PROXY_FIX_HOPS": 1})
    client = app.test_client()
    forwarded = {"X-Forwarded-Host": "localhost:8000"}

    pages = [client.get("/methods/get", headers=forwarded).text for _ in range(2)]

    assert all("http://localhost:8000/methods/get" in page for page in pages)
