"""The notes API: statuses, limits, conditional writes, sandboxes and the override form."""

import re
from http.cookies import SimpleCookie

import pytest
from flask.testing import FlaskClient

from methodslab.notes.api import MAX_BODY_BYTES
from methodslab.notes.store import MAX_NOTES, MAX_TEXT_LENGTH
from settings import NOTES_DATABASES

pytestmark = pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)

MERGE_PATCH = "application/merge-patch+json"


def put(client: FlaskClient, note_id: str, text: str = "Milk", **headers: str):
    """PUT a note with ``text``."""
    return client.put(f"/api/notes/{note_id}", json={"text": text}, headers=headers)


def patch(client: FlaskClient, note_id: str, document: str, **headers: str):
    """PATCH a note with a merge-patch document."""
    return client.patch(
        f"/api/notes/{note_id}", data=document, content_type=MERGE_PATCH, headers=headers
    )


def ids(client: FlaskClient) -> list[str]:
    """Return the ids in the visitor's collection, in order."""
    return [note["id"] for note in client.get("/api/notes").get_json()["notes"]]


def test_empty_collection(client: FlaskClient) -> None:
    listing = client.get("/api/notes").get_json()

    assert listing["notes"] == [] and listing["count"] == 0
    assert listing["limits"] == {
        "notes": MAX_NOTES,
        "text_characters": MAX_TEXT_LENGTH,
        "body_bytes": MAX_BODY_BYTES,
    }


def test_put_creates_then_replaces(client: FlaskClient) -> None:
    created = put(client, "shopping", "Milk")
    replaced = put(client, "shopping", "Eggs")

    assert created.status_code == 201
    assert created.headers["Location"] == "/api/notes/shopping"
    assert replaced.status_code == 200
    assert replaced.get_json()["text"] == "Eggs"
    assert created.headers["ETag"] != replaced.headers["ETag"]
    assert ids(client) == ["shopping"]
    assert client.get("/api/notes/shopping").get_json()["text"] == "Eggs"


def test_put_twice_leaves_the_same_state(client: FlaskClient) -> None:
    statuses = [put(client, "same", "Same text").status_code for _ in range(2)]

    assert statuses == [201, 200]
    assert [(n["id"], n["text"]) for n in client.get("/api/notes").get_json()["notes"]] == [
        ("same", "Same text")
    ]


def test_post_twice_makes_two_notes(client: FlaskClient) -> None:
    first, second = (client.post("/api/notes", json={"text": "Posted"}) for _ in range(2))

    assert first.status_code == second.status_code == 201
    assert first.headers["Location"] != second.headers["Location"]
    assert client.get(first.headers["Location"]).get_json()["text"] == "Posted"
    assert ids(client) == [first.get_json()["id"], second.get_json()["id"]]


def test_delete_twice_is_204_then_404_and_the_same_state(client: FlaskClient) -> None:
    put(client, "old")
    put(client, "keep")

    first, second = (client.delete("/api/notes/old") for _ in range(2))

    assert (first.status_code, second.status_code) == (204, 404)
    assert first.data == b""
    assert ids(client) == ["keep"]


def test_patch_changes_only_given_fields(client: FlaskClient) -> None:
    put(client, "todo", "Draft")

    unchanged = patch(client, "todo", "{}")
    changed = patch(client, "todo", '{"text": "Final"}')

    assert unchanged.status_code == changed.status_code == 200
    assert unchanged.get_json()["text"] == "Draft"
    assert changed.get_json()["text"] == "Final"
    assert changed.headers["Accept-Patch"] == MERGE_PATCH


def test_patch_does_not_create(client: FlaskClient) -> None:
    assert patch(client, "ghost", '{"text": "x"}').status_code == 404
    assert ids(client) == []


def test_get_missing_note_is_404(client: FlaskClient) -> None:
    response = client.get("/api/notes/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_head_and_options_as_flask_gives_them(client: FlaskClient) -> None:
    put(client, "n")

    head = client.head("/api/notes/n")
    options = client.options("/api/notes/n")

    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) == len(client.get("/api/notes/n").data)
    assert set(options.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PUT",
        "PATCH",
        "DELETE",
        "POST",
    }


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/notes", "PUT"),
        ("/api/notes", "DELETE"),
        ("/api/notes", "PATCH"),
        ("/api/notes/n", "TRACE"),
    ],
)
def test_other_methods_are_405_with_allow(client: FlaskClient, path: str, method: str) -> None:
    response = client.open(path, method=method)

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "note_id", ["has space", "a" * 65, "semi;colon", "dot.dot", "ünïcode", "%2F", "a%0Ab", "%0A"]
)
def test_bad_ids_are_400(client: FlaskClient, note_id: str) -> None:
    response = put(client, note_id)

    assert response.status_code == 400
    assert "1 to 64 letters, digits" in response.get_json()["detail"]


def test_longest_id_is_fine(client: FlaskClient) -> None:
    assert put(client, "a-_Z9" * 12 + "abcd").status_code == 201


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        ('{"text": ', "application/json", 400, "not valid JSON"),
        (b"\xff\xfe{}", "application/json", 400, "not valid JSON"),
        ("[" * 10_000 + "]" * 10_000, "application/json", 413, "Too Large"),
        ("[" * 3_000 + "]" * 3_000, "application/json", 400, "nested too deeply"),
        ('{"text": "x"}', "text/plain", 415, "application/json"),
        ('{"text": "x"}', "", 415, "no type"),
        ("text=x", "application/x-www-form-urlencoded", 415, "application/json"),
        ('["x"]', "application/json", 422, "JSON object"),
        ("{}", "application/json", 422, 'needs a "text"'),
        ('{"text": 5}', "application/json", 422, "must be a string"),
        ('{"text": null}', "application/json", 422, "must be a string"),
        ('{"text": "x", "owner": "me"}', "application/json", 422, "Unknown field 'owner'"),
        ('{"text": "' + "x" * (MAX_TEXT_LENGTH + 1) + '"}', "application/json", 422, "at most"),
    ],
)
def test_bad_bodies_get_clear_errors_and_write_nothing(
    client: FlaskClient, body: str | bytes, content_type: str, status: int, detail: str
) -> None:
    put(client, "n", "Original")

    response = client.put("/api/notes/n", data=body, content_type=content_type)

    assert response.status_code == status
    problem = response.get_json()
    assert detail in problem["detail"] or detail in problem["title"]
    assert client.get("/api/notes/n").get_json()["text"] == "Original"
    assert ids(client) == ["n"]


def test_read_only_metadata_may_be_sent_back(client: FlaskClient) -> None:
    note = put(client, "n", "One").get_json()

    response = client.put("/api/notes/n", json={**note, "text": "Two", "version": 99})

    assert response.status_code == 200
    assert response.get_json()["version"] == note["version"] + 1


def test_patch_needs_merge_patch(client: FlaskClient) -> None:
    put(client, "n")

    response = client.patch("/api/notes/n", json={"text": "x"})

    assert response.status_code == 415
    assert response.headers["Accept-Patch"] == MERGE_PATCH


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post(
        "/api/notes", data=b"x" * (MAX_BODY_BYTES + 1), content_type="application/json"
    )

    assert response.status_code == 413
    assert ids(client) == []


def test_sandbox_holds_at_most_max_notes(client: FlaskClient) -> None:
    for number in range(MAX_NOTES):
        assert put(client, f"n{number}").status_code == 201

    too_many = client.post("/api/notes", json={"text": "one more"})

    assert too_many.status_code == 409
    assert f"{MAX_NOTES} notes" in too_many.get_json()["detail"]
    assert len(ids(client)) == MAX_NOTES
    assert put(client, "n0", "replacing is fine").status_code == 200


def test_longest_text_is_fine(client: FlaskClient) -> None:
    assert put(client, "n", "é" * MAX_TEXT_LENGTH).status_code == 201


def test_if_match_prevents_lost_updates(client: FlaskClient) -> None:
    tag = put(client, "n", "v1").headers["ETag"]
    put(client, "n", "someone else's change")

    stale = put(client, "n", "mine", **{"If-Match": tag})
    stale_patch = patch(client, "n", '{"text": "mine"}', **{"If-Match": tag})
    stale_delete = client.delete("/api/notes/n", headers={"If-Match": tag})

    assert stale.status_code == stale_patch.status_code == stale_delete.status_code == 412
    assert client.get("/api/notes/n").get_json()["text"] == "someone else's change"
    current = client.get("/api/notes/n").headers["ETag"]
    assert put(client, "n", "mine", **{"If-Match": current}).status_code == 200
    assert put(client, "n", "weak", **{"If-Match": f"W/{current}"}).status_code == 412


def test_if_match_star_and_if_none_match_star(client: FlaskClient) -> None:
    assert put(client, "n", **{"If-Match": "*"}).status_code == 412
    assert put(client, "n", **{"If-None-Match": "*"}).status_code == 201
    assert put(client, "n", **{"If-None-Match": "*"}).status_code == 412
    assert put(client, "n", **{"If-Match": "*"}).status_code == 200


def test_visitors_cannot_touch_each_others_notes(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    put(client, "shared-id", "mine")
    put(other_client, "shared-id", "theirs")

    assert other_client.delete("/api/notes/shared-id").status_code == 204
    assert other_client.get("/api/notes/shared-id").status_code == 404
    assert patch(other_client, "shared-id", '{"text": "x"}').status_code == 404
    assert client.get("/api/notes/shared-id").get_json()["text"] == "mine"
    assert ids(client) == ["shared-id"] and ids(other_client) == []


def test_forged_sandbox_cookie_is_ignored(client: FlaskClient, other_client: FlaskClient) -> None:
    put(client, "secret", "mine")
    other_client.set_cookie("sandbox", "forged-value")

    assert ids(other_client) == []
    assert other_client.get("/api/notes/secret").status_code == 404


def test_sandbox_cookie_attributes(client: FlaskClient) -> None:
    response = put(client, "n")

    cookie = SimpleCookie(response.headers["Set-Cookie"])["sandbox"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["expires"]


def csrf_token(client: FlaskClient, lesson: str = "put") -> str:
    """Load a lesson and return the CSRF token its forms carry."""
    match = re.search(r'name="_csrf" value="([^"]+)"', client.get(f"/methods/{lesson}").text)
    assert match is not None
    return match[1]


@pytest.mark.parametrize(
    ("method", "setup", "text", "flash"),
    [
        ("PUT", False, "by form", "PUT /api/notes/from-a-form → 201 Created"),
        ("PATCH", True, "patched", "PATCH /api/notes/from-a-form → 200 OK"),
        ("DELETE", True, "", "DELETE /api/notes/from-a-form → 204 No Content"),
        ("PATCH", False, "x", "PATCH /api/notes/from-a-form → 404 Not Found: You have no note"),
    ],
)
def test_override_form(
    client: FlaskClient, method: str, setup: bool, text: str, flash: str
) -> None:
    if setup:
        put(client, "from-a-form", "before")
    fields = {"_method": method, "_csrf": csrf_token(client), "lesson": "patch", "text": text}

    response = client.post("/api/notes/from-a-form", data=fields)

    assert response.status_code == 303
    assert response.headers["Location"] == "/methods/patch"
    assert flash in client.get("/methods/patch").text


def test_override_form_needs_the_csrf_token(client: FlaskClient) -> None:
    put(client, "n")
    csrf_token(client)

    refused = client.post("/api/notes/n", data={"_method": "DELETE", "_csrf": "guess"})
    missing = client.post("/api/notes/n", data={"_method": "DELETE"})
    non_ascii = client.post("/api/notes/n", data={"_method": "DELETE", "_csrf": "\u0080é"})

    assert refused.status_code == missing.status_code == non_ascii.status_code == 403
    assert ids(client) == ["n"]


@pytest.mark.parametrize("override", ["GET", "POST", "TRACE", ""])
def test_override_honours_only_put_patch_delete(client: FlaskClient, override: str) -> None:
    response = client.post(
        "/api/notes/n", data={"_method": override, "_csrf": csrf_token(client), "text": "x"}
    )

    assert response.status_code == 400
    assert ids(client) == []


def test_override_is_only_honoured_on_post(client: FlaskClient) -> None:
    put(client, "n")

    response = client.get("/api/notes/n?_method=DELETE")

    assert response.status_code == 200
    assert ids(client) == ["n"]


def test_override_never_redirects_off_site(client: FlaskClient) -> None:
    fields = {
        "_method": "PUT",
        "_csrf": csrf_token(client),
        "text": "x",
        "lesson": "//evil.example",
    }

    response = client.post("/api/notes/n", data=fields)

    assert response.headers["Location"] == "/methods/put"
