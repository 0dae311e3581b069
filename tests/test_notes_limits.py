"""The notes API's limits on the whole lab, and a store changed behind its back.

Each test here counts or changes every sandbox in the store, so each has an app
and a database of its own (test_notes.py shares one per module and database).
"""

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.notes import store as notes_store
from methodslab.notes.store import NEW_SANDBOXES_PER_HOUR
from tests.app_config import NOTES_DATABASES, config_for
from tests.test_notes import LONE_SURROGATE, put

pytestmark = pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)


def from_address(app: Flask, address: str) -> FlaskClient:
    """Return a client without a cookie jar, as a script making sandboxes would be."""
    client = app.test_client(use_cookies=False)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_address_cannot_push_out_other_visitors(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A smaller lab, so that the attack needs fewer requests than 2,000 to fill it.
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 100)
    visitors = [from_address(app, f"192.0.2.{n}") for n in range(1, 6)]
    cookies = []
    for visitor in visitors:
        response = put(visitor, "mine", "kept")
        cookies.append(response.headers["Set-Cookie"].split(";")[0])
    attacker = from_address(app, "198.51.100.7")

    statuses = [
        attacker.post("/api/notes", json={"text": "filler"}).status_code for _ in range(210)
    ]
    refused = attacker.post("/api/notes", json={"text": "filler"})

    for visitor, cookie in zip(visitors, cookies, strict=True):
        note = visitor.get("/api/notes/mine", headers={"Cookie": cookie})
        assert note.status_code == 200 and note.get_json()["text"] == "kept"
    assert statuses.count(201) == NEW_SANDBOXES_PER_HOUR
    assert set(statuses[NEW_SANDBOXES_PER_HOUR:]) == {429}
    assert refused.mimetype == "application/problem+json"
    assert "new sandboxes in the last hour" in refused.get_json()["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600  # RFC 6585 §4


def test_the_allowance_is_per_address_and_ipv6_per_64(tmp_path: Path, notes_database: str) -> None:
    app = create_app({**config_for(tmp_path, notes_database), "NEW_SANDBOXES_PER_HOUR": 1})

    def new_sandbox(address: str) -> int:
        return from_address(app, address).put("/api/notes/n", json={"text": "x"}).status_code

    assert [new_sandbox("192.0.2.1"), new_sandbox("192.0.2.1")] == [201, 429]
    assert new_sandbox("192.0.2.2") == 201
    assert new_sandbox("::ffff:192.0.2.2") == 429  # the same IPv4 address
    assert [new_sandbox("2001:db8:0:1::1"), new_sandbox("2001:db8:0:1::2")] == [201, 429]
    assert new_sandbox("2001:db8:0:2::1") == 201


def test_the_allowance_follows_the_forwarded_address_only_behind_a_proxy(
    tmp_path: Path, notes_database: str
) -> None:
    # Both apps share the database: the first makes sandboxes for 192.0.2.x, the
    # second (no proxy) for the test client's own address.
    def statuses(hops: int) -> list[int]:
        config = {**config_for(tmp_path, notes_database), "NEW_SANDBOXES_PER_HOUR": 1}
        client = create_app({**config, "PROXY_FIX_HOPS": hops}).test_client(use_cookies=False)
        return [
            client.put(
                "/api/notes/n", json={"text": "x"}, headers={"X-Forwarded-For": address}
            ).status_code
            for address in ("192.0.2.1", "192.0.2.2")
        ]

    assert statuses(hops=1) == [201, 201]  # two clients behind the proxy
    assert statuses(hops=0) == [201, 429]  # a forgeable header, so one client


def test_a_full_lab_answers_503_with_retry_after(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 1)
    assert put(from_address(app, "192.0.2.1"), "n").status_code == 201

    refused = put(from_address(app, "192.0.2.2"), "n")

    assert refused.status_code == 503
    assert refused.mimetype == "application/problem+json"
    assert 24 * 3600 - 60 <= int(refused.headers["Retry-After"]) <= 24 * 3600


def test_a_note_stored_with_a_lone_surrogate_does_not_break_pages(
    client: FlaskClient, app: Flask
) -> None:
    # As a note stored before lone surrogates were refused holds one: in its tags' JSON.
    put(client, "n", "Original")
    app.extensions["notes"].database.write(
        lambda db: db.execute("UPDATE notes SET tags = ?", (f'["a{LONE_SURROGATE}"]',))
    )

    for path in ["/methods/put", "/methods/patch", "/methods/delete", "/methods/post"]:
        assert client.get(path).status_code == 200, path
    note = client.get("/api/notes/n")
    assert note.status_code == 200
    assert note.get_json()["tags"] == ["a\ufffd"]  # the lone half replaced (Unicode §3.9)
