"""The visitor's session cookie: sent when it changes or ages, checked for age every time."""

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from methodslab.web.sessions import RESIGN_AFTER_SECONDS

THIRTY_ONE_DAYS = 31 * 24 * 3600


def put(client: FlaskClient, note_id: str = "n", text: str = "Buy milk") -> TestResponse:
    """PUT a note as ``client``."""
    return client.put(f"/api/notes/{note_id}", json={"text": text})


def note_count(client: FlaskClient) -> int:
    """Return how many notes ``client``'s sandbox holds."""
    count: int = client.get("/api/notes").get_json()["count"]
    return count


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move every clock that signs and checks cookies ``seconds`` ahead."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + seconds)


def test_an_unchanged_session_is_not_sent_again(client: FlaskClient) -> None:
    assert "Set-Cookie" in put(client).headers  # a new sandbox

    again = put(client, text="Buy bread")

    assert again.status_code == 200
    assert "Set-Cookie" not in again.headers
    assert "Cookie" in again.headers["Vary"]  # the answer still depends on it


def test_a_changed_session_is_sent(client: FlaskClient) -> None:
    put(client)

    lesson = client.get("/methods/put")  # gives the visitor a form token

    assert "sandbox=" in lesson.headers["Set-Cookie"]


def test_a_day_old_cookie_is_signed_again(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = put(client).headers["Set-Cookie"]
    later(monkeypatch, RESIGN_AFTER_SECONDS + 1)

    again = put(client, text="Buy bread")

    assert again.headers["Set-Cookie"] != cookie  # a new signature, a new expiry
    assert note_count(client) == 1  # the same sandbox


def test_a_cookie_past_its_lifetime_is_refused_though_remembered(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(client)
    assert note_count(client) == 1  # the cookie's check is remembered now
    later(monkeypatch, THIRTY_ONE_DAYS)

    assert note_count(client) == 0


def test_a_cookie_signed_in_the_future_is_refused(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    later(monkeypatch, 3600)
    put(client)
    monkeypatch.undo()

    assert note_count(client) == 0


def test_a_new_secret_key_refuses_old_cookies_unless_kept_as_fallback(
    app: Flask, client: FlaskClient
) -> None:
    put(client)
    old_key = app.secret_key

    app.secret_key = "a new key"
    assert note_count(client) == 0

    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert note_count(client) == 1


def test_a_session_changed_in_place_does_not_change_the_next_request(app: Flask) -> None:
    interface = app.session_interface
    with app.test_request_context():
        serializer = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = serializer.dumps({"visited": ["get"]})
    headers = {"Cookie": f"sandbox={cookie}"}

    with app.test_request_context(headers=headers) as first:
        session = interface.open_session(app, first.request)
        assert session is not None
        session["visited"].append("put")  # as flash() appends to its list
    with app.test_request_context(headers=headers) as second:
        session = interface.open_session(app, second.request)

    assert dict(session or {}) == {"visited": ["get"]}


def sandbox_cookie(client: FlaskClient) -> str:
    """Return the value of ``client``'s sandbox cookie."""
    cookie = client.get_cookie("sandbox")
    assert cookie is not None
    return cookie.value


@pytest.mark.parametrize("junk", ["!!!!", "=", "~", "%", " ", "A"])
def test_junk_after_the_signature_is_refused(client: FlaskClient, app: Flask, junk: str) -> None:
    put(client)
    signed = sandbox_cookie(client)
    forged = app.test_client()
    forged.set_cookie("sandbox", signed + junk)

    assert note_count(forged) == 0  # not the sandbox: a cookie of its own


def test_variants_of_one_cookie_are_not_remembered(app: Flask) -> None:
    client = app.test_client()
    put(client)
    signed = sandbox_cookie(client)
    assert note_count(client) == 1
    remembered = app.session_interface._checked.cache_info().currsize  # type: ignore[attr-defined]

    for number in range(200):
        variant = app.test_client()
        variant.set_cookie("sandbox", signed + "!" * (number % 50 + 1) + "=" * (number // 50))
        variant.get("/api/notes")

    assert app.session_interface._checked.cache_info().currsize == remembered  # type: ignore[attr-defined]
