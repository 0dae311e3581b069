"""Resetting a sandbox: DELETE on the collection, and its form for pages without JavaScript."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab.notes.store import MAX_NOTES
from tests.test_notes import csrf_token, ids, put


def fill(client: FlaskClient) -> None:
    """Fill the visitor's sandbox to its limit."""
    for number in range(MAX_NOTES):
        assert put(client, f"n{number}").status_code == 201


def test_delete_on_the_collection_empties_only_this_sandbox(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    fill(client)
    put(other_client, "theirs")

    first = client.delete("/api/notes")
    second = client.delete("/api/notes")

    assert first.status_code == second.status_code == 204
    assert first.data == b""
    assert ids(client) == []
    assert ids(other_client) == ["theirs"]
    assert put(client, "fresh").status_code == 201  # the sandbox is usable again


def test_delete_on_the_collection_without_a_sandbox_makes_none(app: Flask) -> None:
    visitor = app.test_client()

    response = visitor.delete("/api/notes")

    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers


def test_the_reset_form_empties_the_sandbox_and_returns_to_the_notes(client: FlaskClient) -> None:
    fill(client)
    fields = {"_method": "DELETE", "_csrf": csrf_token(client, "delete"), "lesson": "delete"}

    response = client.post("/api/notes", data=fields)

    assert response.status_code == 303
    assert response.headers["Location"] == "/methods/delete#your-notes"
    assert ids(client) == []
    assert "DELETE /api/notes → 204 No Content" in client.get("/methods/delete").text


@pytest.mark.parametrize("token", ["", "guess", "\u0080é"])
def test_the_reset_form_needs_the_csrf_token(client: FlaskClient, token: str) -> None:
    put(client, "kept")
    csrf_token(client)

    response = client.post("/api/notes", data={"_method": "DELETE", "_csrf": token})

    assert response.status_code == 403
    assert ids(client) == ["kept"]


def test_a_cross_site_reset_form_is_refused(app: Flask, client: FlaskClient) -> None:
    put(client, "kept")
    # Another site's form: no SameSite=Lax cookie comes with its POST.
    cross_site = app.test_client(use_cookies=False)

    response = cross_site.post("/api/notes", data={"_method": "DELETE", "_csrf": "-"})

    assert response.status_code == 403
    assert ids(client) == ["kept"]


@pytest.mark.parametrize("override", ["PUT", "PATCH", "GET", "nonsense"])
def test_the_collection_form_honours_only_delete(client: FlaskClient, override: str) -> None:
    put(client, "kept")

    response = client.post("/api/notes", data={"_method": override, "_csrf": csrf_token(client)})

    assert response.status_code == 400
    assert "_method field of DELETE" in response.get_json()["detail"]
    assert ids(client) == ["kept"]


def test_a_form_post_without_override_still_needs_json(client: FlaskClient) -> None:
    response = client.post("/api/notes", data={"text": "from a form"})

    assert response.status_code == 415
    assert ids(client) == []
