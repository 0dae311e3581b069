"""The notes API: statuses, limits, conditional writes, sandboxes and the override form."""

import re
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import http_date, parse_date
from werkzeug.test import TestResponse

from methodslab.notes.api import MAX_API_BODY_BYTES, READ_ONLY_FIELDS
from methodslab.notes.store import (
    MAX_NOTES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TEXT_LENGTH,
)
from methodslab.web.reason_phrases import REASON_PHRASES
from tests.app_config import NOTES_DATABASES

# Visitors only: one app per database for the module, a client (a new visitor) for each
# test. The tests that count or change every sandbox are in test_notes_limits.py.
pytestmark = [
    pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True),
    pytest.mark.one_app,
]

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
ACCEPT_PATCH = f"{MERGE_PATCH}, {JSON_PATCH}"


def put(client: FlaskClient, note_id: str, text: str = "Milk", **headers: str) -> TestResponse:
    """PUT a note with ``text``."""
    return client.put(f"/api/notes/{note_id}", json={"text": text}, headers=headers)


def patch(client: FlaskClient, note_id: str, document: str, **headers: str) -> TestResponse:
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
        "tags": MAX_TAGS,
        "tag_characters": MAX_TAG_LENGTH,
        "body_bytes": MAX_API_BODY_BYTES,
    }


def test_put_creates_then_replaces(client: FlaskClient) -> None:
    created = put(client, "shopping", "Milk")
    replaced = put(client, "shopping", "Eggs")

    assert created.status_code == 201
    assert created.headers["Location"] == "/api/notes/shopping"
    assert replaced.status_code == 200
    assert replaced.get_json()["text"] == "Eggs"
    assert ids(client) == ["shopping"]
    assert client.get("/api/notes/shopping").get_json()["text"] == "Eggs"


def test_put_answers_without_validators(client: FlaskClient) -> None:
    # RFC 9110 §9.3.4: the note stored is more than the text sent, so a PUT's
    # response must not carry ETag or Last-Modified; a GET gives the ETag.
    created = put(client, "n", "One")
    replaced = put(client, "n", "Two")
    read = client.get("/api/notes/n")

    for response in (created, replaced):
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers
    assert re.fullmatch(r'"v2-[0-9a-f]{12}"', read.headers["ETag"])
    assert "Last-Modified" in read.headers


def test_put_twice_leaves_the_note_exactly_as_after_once(client: FlaskClient) -> None:
    first = put(client, "same", "Same text")
    tag = client.get("/api/notes/same").headers["ETag"]

    again = put(client, "same", "Same text")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()  # version and updated included
    assert ids(client) == ["same"]
    assert client.get("/api/notes/same").headers["ETag"] == tag
    assert put(client, "same", "Same text", **{"If-Match": tag}).status_code == 200


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
    assert unchanged.get_json()["version"] == 1  # nothing changed, so not even the version
    assert changed.get_json()["text"] == "Final"
    assert changed.get_json()["version"] == 2
    assert changed.headers["Accept-Patch"] == ACCEPT_PATCH


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
        ("/api/notes", "PATCH"),
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


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_statuses_carry_rfc_9110_reason_phrases(client: FlaskClient, accept: str) -> None:
    # RFC 9110 §15.5.21: 422 is Unprocessable Content, as the Try it panels write it.
    invalid = client.put("/api/notes/n", json={"tags": []}, headers={"Accept": accept})

    assert invalid.status == f"422 {REASON_PHRASES[422]}" == "422 Unprocessable Content"
    # Every status, not Werkzeug's upper-cased names ("201 CREATED").
    assert put(client, "n").status == "201 Created"
    if accept == "text/html":
        assert "<h1>422 Unprocessable Content</h1>" in invalid.text
    else:
        assert invalid.get_json()["title"] == "Unprocessable Content"


def test_read_only_metadata_may_be_sent_back(client: FlaskClient) -> None:
    note = put(client, "n", "One").get_json()

    response = client.put("/api/notes/n", json={**note, "text": "Two", "version": 99})

    assert response.status_code == 200
    assert response.get_json()["version"] == note["version"] + 1


def test_accept_patch_only_where_patch_is_allowed(client: FlaskClient) -> None:
    # RFC 5789 §3.1: Accept-Patch says PATCH is allowed; the collection refuses it.
    put(client, "n")

    assert client.options("/api/notes/n").headers["Accept-Patch"] == ACCEPT_PATCH
    assert client.get("/api/notes/n").headers["Accept-Patch"] == ACCEPT_PATCH
    for method in ("GET", "OPTIONS", "PATCH", "DELETE"):
        assert "Accept-Patch" not in client.open("/api/notes", method=method).headers


def test_patch_needs_merge_patch(client: FlaskClient) -> None:
    put(client, "n")

    response = client.patch("/api/notes/n", json={"text": "x"})

    assert response.status_code == 415
    assert response.headers["Accept-Patch"] == ACCEPT_PATCH
    assert f"{MERGE_PATCH} or {JSON_PATCH}" in response.get_json()["detail"]


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post(
        "/api/notes", data=b"x" * (MAX_API_BODY_BYTES + 1), content_type="application/json"
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
    put(client, "n", "v1")
    tag = client.get("/api/notes/n").headers["ETag"]
    put(client, "n", "someone else's change")

    stale = put(client, "n", "mine", **{"If-Match": tag})
    stale_patch = patch(client, "n", '{"text": "mine"}', **{"If-Match": tag})
    stale_delete = client.delete("/api/notes/n", headers={"If-Match": tag})

    assert stale.status_code == stale_patch.status_code == stale_delete.status_code == 412
    assert client.get("/api/notes/n").get_json()["text"] == "someone else's change"
    current = client.get("/api/notes/n").headers["ETag"]
    assert put(client, "n", "mine", **{"If-Match": current}).status_code == 200
    assert put(client, "n", "weak", **{"If-Match": f"W/{current}"}).status_code == 412


def test_a_note_made_again_never_has_an_etag_it_had_before(client: FlaskClient) -> None:
    # RFC 9110 §8.8.3: an entity tag names one representation for the life of the URL.
    put(client, "n", "first life")
    old = client.get("/api/notes/n").headers["ETag"]
    assert client.delete("/api/notes/n").status_code == 204
    put(client, "n", "second life")
    again = client.get("/api/notes/n")

    assert again.get_json()["version"] == 1 and again.headers["ETag"] != old
    # The lost update If-Match prevents (§13.1.1): the old tag names no current note.
    assert put(client, "n", "stale", **{"If-Match": old}).status_code == 412
    assert patch(client, "n", '{"text": "stale"}', **{"If-Match": old}).status_code == 412
    assert client.delete("/api/notes/n", headers={"If-Match": old}).status_code == 412
    assert client.get("/api/notes/n").get_json()["text"] == "second life"


def test_tags_of_every_life_and_version_differ(client: FlaskClient) -> None:
    seen = set()
    for life in range(3):
        for text in ("one", "two"):
            put(client, "n", f"{text} {life}")
            seen.add(client.get("/api/notes/n").headers["ETag"])
        client.delete("/api/notes/n")

    assert len(seen) == 6


def http_date_of(response: TestResponse, seconds: int = 0) -> str:
    """Return the response's Last-Modified, moved by ``seconds``."""
    modified = parse_date(response.headers["Last-Modified"])
    assert modified is not None
    return http_date(modified + timedelta(seconds=seconds))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_none_match_on_a_read_is_304_by_weak_comparison(
    client: FlaskClient, method: str
) -> None:
    put(client, "n")
    tag = client.get("/api/notes/n").headers["ETag"]

    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        answer = client.open("/api/notes/n", method=method, headers={"If-None-Match": sent})
        # RFC 9110 §15.4.5: no content, and the ETag a 200 would carry.
        assert (answer.status_code, answer.data, answer.headers["ETag"]) == (304, b"", tag)
    other = client.open("/api/notes/n", method=method, headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_if_none_match_on_a_write_is_412_and_changes_nothing(
    client: FlaskClient, method: str
) -> None:
    put(client, "n", "kept")
    tag = client.get("/api/notes/n").headers["ETag"]

    for sent in (tag, f"W/{tag}", "*"):
        answer = client.open(
            "/api/notes/n",
            method=method,
            data='{"text": "changed"}',
            content_type=MERGE_PATCH if method == "PATCH" else "application/json",
            headers={"If-None-Match": sent},
        )
        assert answer.status_code == 412, sent
    assert client.get("/api/notes/n").get_json()["text"] == "kept"
    assert put(client, "n", "changed", **{"If-None-Match": '"other"'}).status_code == 200


def test_if_match_on_a_read_is_412_when_it_fails(client: FlaskClient) -> None:
    put(client, "n")
    tag = client.get("/api/notes/n").headers["ETag"]

    assert client.get("/api/notes/n", headers={"If-Match": tag}).status_code == 200
    assert client.get("/api/notes/n", headers={"If-Match": '"other"'}).status_code == 412
    # Strong comparison: a weak tag never matches (RFC 9110 §8.8.3.2).
    assert client.get("/api/notes/n", headers={"If-Match": f"W/{tag}"}).status_code == 412


def test_if_modified_since_gives_304_unless_if_none_match_is_sent(client: FlaskClient) -> None:
    put(client, "n")
    read = client.get("/api/notes/n")

    def status(**headers: str) -> int:
        return client.get("/api/notes/n", headers=headers).status_code

    assert status(**{"If-Modified-Since": http_date_of(read)}) == 304
    assert status(**{"If-Modified-Since": http_date_of(read, seconds=-1)}) == 200
    assert status(**{"If-Modified-Since": "not a date"}) == 200  # ignored (§13.1.3)
    # §13.2.2: If-None-Match decides, and If-Modified-Since is ignored beside it.
    both = {"If-Modified-Since": http_date_of(read), "If-None-Match": '"other"'}
    assert status(**both) == 200


def test_if_unmodified_since_guards_writes_unless_if_match_is_sent(client: FlaskClient) -> None:
    put(client, "n", "one")
    read = client.get("/api/notes/n")
    before = http_date_of(read, seconds=-1)

    assert put(client, "n", "two", **{"If-Unmodified-Since": before}).status_code == 412
    assert (
        patch(client, "n", '{"text": "two"}', **{"If-Unmodified-Since": before}).status_code == 412
    )
    assert client.delete("/api/notes/n", headers={"If-Unmodified-Since": before}).status_code == 412
    assert client.get("/api/notes/n").get_json()["text"] == "one"
    assert put(client, "n", "two", **{"If-Unmodified-Since": http_date_of(read)}).status_code == 200
    assert put(client, "n", "three", **{"If-Unmodified-Since": "yesterday"}).status_code == 200
    # §13.1.4: ignored beside If-Match, which compares more exactly.
    tag = client.get("/api/notes/n").headers["ETag"]
    both = {"If-Match": tag, "If-Unmodified-Since": before}
    assert put(client, "n", "four", **both).status_code == 200
    # No note, no date to compare: the condition is ignored and the PUT creates.
    assert put(client, "new", **{"If-Unmodified-Since": before}).status_code == 201


def test_if_match_is_evaluated_before_if_none_match(client: FlaskClient) -> None:
    put(client, "n")
    tag = client.get("/api/notes/n").headers["ETag"]

    # §13.2.2: step 1 (If-Match fails: 412) comes before step 3 (If-None-Match: 304).
    both = {"If-Match": '"other"', "If-None-Match": tag}
    assert client.get("/api/notes/n", headers=both).status_code == 412


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("DELETE", {"If-Match": '"v1"'}),
        ("DELETE", {"If-Match": "*"}),
        ("PATCH", {"If-Match": '"v1"'}),
        ("GET", {"If-Match": '"v1"'}),
        ("GET", {"If-None-Match": "*"}),
        ("DELETE", {"If-Unmodified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}),
    ],
)
def test_preconditions_are_ignored_when_there_is_no_note(
    client: FlaskClient, method: str, headers: dict[str, str]
) -> None:
    # RFC 9110 §13.2.1: without the conditions the answer would be 404, so it is 404.
    answer = client.open(
        "/api/notes/absent", method=method, data="{}", content_type=MERGE_PATCH, headers=headers
    )

    assert answer.status_code == 404


def test_a_refused_body_comes_before_a_failed_precondition(client: FlaskClient) -> None:
    put(client, "n")

    answer = client.put("/api/notes/n", json={"wrong": 1}, headers={"If-Match": '"other"'})

    assert answer.status_code == 422  # §13.2.1: a failure found before the method runs


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
    assert response.headers["Location"] == "/methods/patch#your-notes"
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

    assert response.headers["Location"] == "/methods/put#your-notes"


def stored_sandboxes(app: Flask) -> int:
    """Return how many sandboxes the app's database holds (every test's: compare two counts)."""
    with app.extensions["notes"].database.reading() as db:
        (count,) = db.execute("SELECT count(*) FROM sandboxes").fetchone()
    return int(count)


@pytest.mark.parametrize("token", ["-", "", "guess"])
def test_a_cross_site_form_cannot_use_or_replace_a_sandbox(
    app: Flask, client: FlaskClient, token: str
) -> None:
    before = stored_sandboxes(app)
    put(client, "mine", "the victim's note")
    # Another site's auto-submitting form: the browser sends no SameSite=Lax
    # cookie with a cross-site POST, so the request arrives with none.
    cross_site = app.test_client(use_cookies=False)
    fields = {"_method": "PUT", "_csrf": token, "text": "planted", "lesson": "put"}

    as_page = cross_site.post("/api/notes/planted", data=fields, headers={"Accept": "text/html"})
    as_problem = cross_site.post("/api/notes/planted", data=fields)

    assert as_page.status_code == as_problem.status_code == 403
    assert "without your sandbox cookie" in as_page.text and as_page.mimetype == "text/html"
    assert "without your sandbox cookie" in as_problem.get_json()["detail"]
    assert "Set-Cookie" not in as_page.headers and "Set-Cookie" not in as_problem.headers
    assert stored_sandboxes(app) == before + 1  # the victim's alone
    assert ids(client) == ["mine"]


def test_another_visitors_token_is_refused(client: FlaskClient, other_client: FlaskClient) -> None:
    put(other_client, "theirs", "kept")
    csrf_token(other_client)
    fields = {"_method": "DELETE", "_csrf": csrf_token(client)}

    response = other_client.post("/api/notes/theirs", data=fields)

    assert response.status_code == 403
    assert ids(other_client) == ["theirs"]


def test_an_override_never_makes_a_sandbox(app: Flask, client: FlaskClient) -> None:
    before = stored_sandboxes(app)
    with client.session_transaction() as session:
        session["csrf"] = "a token, but no sandbox"

    response = client.post(
        "/api/notes/n", data={"_method": "PUT", "_csrf": "a token, but no sandbox", "text": "x"}
    )

    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers
    assert stored_sandboxes(app) == before


def test_the_lesson_gives_the_token_and_the_sandbox_together(client: FlaskClient) -> None:
    fields = {"_method": "PUT", "_csrf": csrf_token(client), "text": "x", "lesson": "put"}

    response = client.post("/api/notes/n", data=fields)

    assert response.status_code == 303
    assert ids(client) == ["n"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/notes", None),
        ("GET", "/api/notes/n", None),
        ("GET", "/api/notes/absent", None),
        ("PUT", "/api/notes/n", {"text": "x"}),
        ("POST", "/api/notes", {"text": "x"}),
        ("DELETE", "/api/notes/n", None),
    ],
)
def test_api_answers_are_never_stored_by_caches(
    client: FlaskClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    put(client, "n", "private")

    response = client.open(path, method=method, json=body)

    assert response.status_code < 500
    # RFC 9111 §5.2.2.5 no-store: no cache at all, so "private" (§5.2.2.7) would add nothing.
    assert response.cache_control.no_store and not response.cache_control.private


@pytest.mark.parametrize("lesson", ["post", "put", "patch", "delete"])
def test_lessons_showing_a_visitors_notes_are_private(client: FlaskClient, lesson: str) -> None:
    put(client, "n", "private")

    page = client.get(f"/methods/{lesson}")

    assert page.status_code == 200 and "private" in page.text
    assert page.cache_control.private and page.cache_control.no_cache
    assert not client.get("/methods/get").cache_control.private  # the same for everyone


def test_openapi_paths_match_the_routes(app: Flask) -> None:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/notes"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", "{id}", rule.rule)
            routes.setdefault(path, set()).update(rule.methods or ())
    described = app.test_client().get("/api/openapi.json").get_json()["paths"]

    assert routes.keys() == described.keys()
    for path, methods in routes.items():
        # HEAD and OPTIONS are Flask's own, on every route.
        assert methods - {"HEAD", "OPTIONS"} == {
            method.upper() for method in described[path] if method != "parameters"
        }


def test_note_input_marks_the_metadata_it_accepts_back_as_read_only(app: Flask) -> None:
    schemas = app.test_client().get("/api/openapi.json").get_json()["components"]["schemas"]

    for schema in ("NoteInput", "NotePatch"):
        properties = schemas[schema]["properties"]
        assert properties.keys() == READ_ONLY_FIELDS | {"text", "tags"}
        assert all(properties[field]["readOnly"] is True for field in READ_ONLY_FIELDS)


LONE_SURROGATE = "\\ud800"  # as a JSON escape: half a UTF-16 pair, no character at all


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body"),
    [
        ("PUT", "/api/notes/n", "application/json", f'{{"text": "a{LONE_SURROGATE}b"}}'),
        (
            "PUT",
            "/api/notes/n",
            "application/json",
            f'{{"text": "a", "tags": ["{LONE_SURROGATE}"]}}',
        ),
        ("POST", "/api/notes", "application/json", f'{{"text": "{LONE_SURROGATE}"}}'),
        ("PATCH", "/api/notes/n", MERGE_PATCH, f'{{"text": "\\udfff{LONE_SURROGATE}"}}'),
        ("PATCH", "/api/notes/n", MERGE_PATCH, f'{{"tags": ["{LONE_SURROGATE}"]}}'),
        (
            "PATCH",
            "/api/notes/n",
            JSON_PATCH,
            f'[{{"op": "replace", "path": "/text", "value": "{LONE_SURROGATE}"}}]',
        ),
        (
            "PATCH",
            "/api/notes/n",
            JSON_PATCH,
            f'[{{"op": "add", "path": "/tags/-", "value": "{LONE_SURROGATE}"}}]',
        ),
    ],
)
def test_a_lone_surrogate_is_refused_and_nothing_written(
    client: FlaskClient, method: str, path: str, content_type: str, body: str
) -> None:
    put(client, "n", "Original")

    response = client.open(path, method=method, data=body, content_type=content_type)

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "surrogate" in response.get_json()["detail"]
    assert ids(client) == ["n"]
    assert client.get("/api/notes/n").get_json()["text"] == "Original"
