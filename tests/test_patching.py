"""PATCH in both formats, tags, and the statuses of a patch that cannot be applied."""

import json
import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from methodslab.notes import store as notes_store
from methodslab.notes.databases import open_database
from methodslab.notes.patching import MAX_PATCH_VALUES
from methodslab.notes.store import MAX_TAG_LENGTH, MAX_TAGS, NoteStore
from tests.app_config import NOTES_DATABASES

# What the database does is tried on both; how a patch is judged (which status
# for which document) happens before the database writes, and runs on SQLite only.
both_stores = pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
# Visitors only: one app per database for the module, a client (a new visitor) for each
# test; the schema upgrade, marked own_app, gets an empty database of its own.
pytestmark = pytest.mark.one_app

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
ADD_URGENT = [{"op": "add", "path": "/tags/-", "value": "urgent"}]


def json_patch(client: FlaskClient, operations: Any, note_id: str = "n", **headers: str) -> Any:
    """PATCH the note with a JSON Patch document."""
    return client.patch(
        f"/api/notes/{note_id}",
        data=json.dumps(operations),
        content_type=JSON_PATCH,
        headers=headers,
    )


def merge_patch(client: FlaskClient, document: Any, note_id: str = "n") -> TestResponse:
    """PATCH the note with a JSON Merge Patch document."""
    return client.patch(
        f"/api/notes/{note_id}", data=json.dumps(document), content_type=MERGE_PATCH
    )


def stored(client: FlaskClient, note_id: str = "n") -> dict[str, Any]:
    """Return the note as a GET gives it."""
    note: dict[str, Any] = client.get(f"/api/notes/{note_id}").get_json()
    return note


def make_note(client: FlaskClient, text: str = "Milk", tags: list[str] | None = None) -> None:
    body: dict[str, Any] = {"text": text} if tags is None else {"text": text, "tags": tags}
    assert client.put("/api/notes/n", json=body).status_code == 201


@both_stores
def test_notes_have_tags_given_or_empty(client: FlaskClient) -> None:
    put = client.put("/api/notes/n", json={"text": "Milk", "tags": ["home", "shop"]})
    posted = client.post("/api/notes", json={"text": "Eggs"})

    assert put.get_json()["tags"] == ["home", "shop"]
    assert posted.get_json()["tags"] == []
    assert stored(client)["tags"] == ["home", "shop"]
    # A PUT replaces the whole note: tags left out are gone.
    assert client.put("/api/notes/n", json={"text": "Milk"}).get_json()["tags"] == []


@both_stores
def test_json_patch_add_to_the_end_twice_gives_two_tags(client: FlaskClient) -> None:
    make_note(client)

    first, second = json_patch(client, ADD_URGENT), json_patch(client, ADD_URGENT)

    assert first.status_code == second.status_code == 200
    assert first.get_json()["tags"] == ["urgent"]
    assert second.get_json()["tags"] == ["urgent", "urgent"]  # not idempotent
    life = first.headers["ETag"].partition("-")[2]  # the note's life, the same in both
    assert [first.headers["ETag"], second.headers["ETag"]] == [f'"v2-{life}', f'"v3-{life}']
    assert stored(client)["tags"] == ["urgent", "urgent"]


@both_stores
def test_the_same_merge_patch_twice_leaves_the_note_as_once(client: FlaskClient) -> None:
    make_note(client)

    first, second = (merge_patch(client, {"tags": ["urgent"]}) for _ in range(2))

    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()  # version and update time included
    assert stored(client)["tags"] == ["urgent"]


@both_stores
def test_every_operation(client: FlaskClient) -> None:
    make_note(client, "Draft", ["a", "b", "c"])
    operations = [
        {"op": "test", "path": "/version", "value": 1},  # metadata may be read
        {"op": "replace", "path": "/text", "value": "Final"},
        {"op": "remove", "path": "/tags/0"},  # b, c
        {"op": "add", "path": "/tags/1", "value": "x"},  # b, x, c
        {"op": "move", "from": "/tags/0", "path": "/tags/-"},  # x, c, b
        {"op": "copy", "from": "/tags/2", "path": "/tags/0"},  # b, x, c, b
        {"op": "copy", "from": "/id", "path": "/tags/-"},  # b, x, c, b, n
        {"op": "test", "path": "/tags", "value": ["b", "x", "c", "b", "n"]},
    ]

    response = json_patch(client, operations)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["text"] == "Final"
    assert stored(client)["tags"] == ["b", "x", "c", "b", "n"]
    assert stored(client)["version"] == 2


def test_an_empty_json_patch_changes_nothing(client: FlaskClient) -> None:
    make_note(client)

    response = json_patch(client, [])

    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"v1-')


def assert_refused(response: TestResponse, status: int, detail: str) -> None:
    """Check a refusal: its status, and a problem document (RFC 9457) that says why."""
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status
    assert detail in problem["detail"], problem["detail"]


def assert_unchanged(client: FlaskClient) -> None:
    note = stored(client)
    assert (note["text"], note["tags"], note["version"]) == ("Milk", ["home"], 1)


@both_stores
def test_a_failing_test_after_changes_writes_nothing(client: FlaskClient) -> None:
    make_note(client, tags=["home"])
    operations = [
        {"op": "replace", "path": "/text", "value": "Changed"},
        {"op": "add", "path": "/tags/-", "value": "written?"},
        {"op": "test", "path": "/version", "value": 7},
    ]

    assert_refused(json_patch(client, operations), 409, "failed: /version is 1, not 7")
    assert_unchanged(client)
    assert client.get("/api/notes").get_json()["count"] == 1


@pytest.mark.parametrize(
    ("operations", "detail"),
    [
        pytest.param(
            [
                {"op": "add", "path": "/tags/-", "value": "written?"},
                {"op": "test", "path": "/text", "value": "Eggs"},
            ],
            'failed: /text is "Milk", not "Eggs"',
            id="a failed test after a change",
        ),
        pytest.param(
            [{"op": "test", "path": "/version", "value": True}],
            "is 1, not true",
            id="true is not 1 (RFC 6902 §4.6)",
        ),
        pytest.param(
            [{"op": "remove", "path": "/tags/1"}], "that array has 1 item", id="no such item"
        ),
        pytest.param(
            [{"op": "add", "path": "/tags/2", "value": "x"}],
            "that array has 1 item",
            id="past the end",
        ),
        pytest.param(
            [{"op": "replace", "path": "/tags/-", "value": "x"}],
            '"-" names the end, for add only',
            id="the end is for add",
        ),
        pytest.param(
            [{"op": "add", "path": "/tags/01", "value": "x"}],
            "not an index",
            id="leading zero (RFC 6901 §4)",
        ),
        pytest.param(
            [{"op": "add", "path": "/tags/" + "9" * 5000, "value": "x"}],
            "that array has 1 item",
            id="past int()'s 4300 digits",
        ),
        pytest.param(
            [{"op": "remove", "path": "/tags/" + "1" * 5000}],
            "that array has 1 item",
            id="thousands of digits",
        ),
        pytest.param(
            [{"op": "add", "path": "/text/x", "value": "x"}],
            "what holds it is",
            id="into a string",
        ),
        pytest.param(
            [{"op": "test", "path": "/owner", "value": "me"}], "does not exist", id="no member"
        ),
        pytest.param(
            [{"op": "move", "from": "/tags/3", "path": "/tags/-"}],
            "that array has 1 item",
            id="move from nowhere",
        ),
    ],
)
def test_a_patch_the_note_cannot_take_now_is_409_and_writes_nothing(
    client: FlaskClient, operations: list[dict[str, Any]], detail: str
) -> None:
    make_note(client, tags=["home"])

    assert_refused(json_patch(client, operations), 409, detail)
    assert_unchanged(client)


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        ({"op": "add", "path": "/tags/-", "value": "x"}, "an array of operations"),
        (["add"], "Operation 1 is not a JSON object"),
        ([{"path": "/text", "value": "x"}], "it must be one of add, remove"),
        ([{"op": "ADD", "path": "/text", "value": "x"}], "it must be one of"),
        ([{"op": "add", "value": "x"}], 'has no "path"'),
        ([{"op": "add", "path": "/text"}], 'has no "value"'),
        ([{"op": "copy", "path": "/tags/-"}], 'has no "from"'),
        ([{"op": "add", "path": "text", "value": "x"}], 'must be "" or start with "/"'),
        ([{"op": "add", "path": 5, "value": "x"}], "must be a JSON Pointer"),
        ([{"op": "add", "path": "/tags/~2", "value": "x"}], '"~" must be followed by 0 or 1'),
        ([{"op": "move", "from": "/tags", "path": "/tags/0"}], "moves /tags into itself"),
    ],
)
def test_a_document_that_is_not_a_json_patch_is_400(
    client: FlaskClient, document: Any, detail: str
) -> None:
    make_note(client, tags=["home"])

    assert_refused(json_patch(client, document), 400, detail)
    assert_unchanged(client)


@pytest.mark.parametrize(
    ("operations", "detail"),
    [
        ([{"op": "replace", "path": "/version", "value": 9}], "would change /version"),
        ([{"op": "remove", "path": "/created"}], "would change /created"),
        ([{"op": "add", "path": "/id", "value": "other"}], "would change /id"),
        ([{"op": "move", "from": "/updated", "path": "/text"}], "would change /updated"),
        ([{"op": "add", "path": "", "value": {"text": "x"}}], "would change the whole note"),
        ([{"op": "add", "path": "/owner", "value": "me"}], "would change /owner"),
        # Refused before any state is looked at, so a failing test comes second.
        (
            [
                {"op": "test", "path": "/text", "value": "not this"},
                {"op": "replace", "path": "/id", "value": "x"},
            ],
            "Operation 2 (replace) would change /id, which is read-only",
        ),
    ],
)
def test_writing_read_only_metadata_is_422(
    client: FlaskClient, operations: list[dict[str, Any]], detail: str
) -> None:
    make_note(client, tags=["home"])

    assert_refused(json_patch(client, operations), 422, detail)
    assert_unchanged(client)


@pytest.mark.parametrize(
    ("operations", "detail"),
    [
        (
            [{"op": "add", "path": "/tags/-", "value": f"t{n}"} for n in range(MAX_TAGS)],
            f"at most {MAX_TAGS} tags; this one would have {MAX_TAGS + 1}",
        ),
        (
            [{"op": "add", "path": "/tags/-", "value": "x" * (MAX_TAG_LENGTH + 1)}],
            f"1 to {MAX_TAG_LENGTH} characters",
        ),
        ([{"op": "add", "path": "/tags/-", "value": ""}], f"1 to {MAX_TAG_LENGTH} characters"),
        ([{"op": "add", "path": "/tags/-", "value": 7}], "7 is not"),
        ([{"op": "replace", "path": "/tags", "value": "home"}], '"tags" must be an array'),
        ([{"op": "replace", "path": "/text", "value": None}], '"text" must be a string'),
        ([{"op": "remove", "path": "/text"}], "removes /text"),
        ([{"op": "remove", "path": "/tags"}], "removes /tags"),
    ],
)
def test_a_result_that_is_not_a_valid_note_is_422(
    client: FlaskClient, operations: list[dict[str, Any]], detail: str
) -> None:
    make_note(client, tags=["home"])

    assert_refused(json_patch(client, operations), 422, detail)
    assert_unchanged(client)


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        ({"tags": None}, "send [] for a note without tags"),
        ({"text": None}, "cannot be without one"),
        ({"tags": ["x"] * (MAX_TAGS + 1)}, f"at most {MAX_TAGS} tags"),
        ({"tags": {"0": "x"}}, '"tags" must be an array'),
        ({"tags": [["nested"]]}, "Each tag is a string"),
    ],
)
def test_a_merge_patch_that_makes_an_invalid_note_is_422(
    client: FlaskClient, document: Any, detail: str
) -> None:
    make_note(client, tags=["home"])

    assert_refused(merge_patch(client, document), 422, detail)
    assert_unchanged(client)


@pytest.mark.parametrize("method", ["PUT", "POST"])
@pytest.mark.parametrize(
    ("tags", "detail"),
    [
        (["x"] * (MAX_TAGS + 1), f"at most {MAX_TAGS} tags"),
        (["é" * (MAX_TAG_LENGTH + 1)], "1 to 30 characters"),
        ([None], "null is not"),
        ("home", "must be an array"),
    ],
)
def test_put_and_post_check_the_tags(
    client: FlaskClient, method: str, tags: Any, detail: str
) -> None:
    path = "/api/notes" if method == "POST" else "/api/notes/n"

    response = client.open(path, method=method, json={"text": "x", "tags": tags})

    assert_refused(response, 422, detail)
    assert client.get("/api/notes").get_json()["count"] == 0


def test_longest_tags_are_fine(client: FlaskClient) -> None:
    tags = ["é" * MAX_TAG_LENGTH] * MAX_TAGS

    assert client.put("/api/notes/n", json={"text": "x", "tags": tags}).status_code == 201


def test_copies_cannot_double_the_note_without_bound(client: FlaskClient) -> None:
    make_note(client, tags=["home"])
    # Each copy doubles /tags: forty of them would make a trillion values.
    doubling = [{"op": "copy", "from": "/tags", "path": "/tags/-"}] * 40

    started = time.perf_counter()
    response = json_patch(client, doubling)

    assert_refused(response, 422, f"more than {MAX_PATCH_VALUES} JSON values")
    assert time.perf_counter() - started < 5  # a generous bound, far from 2**40 values
    assert_unchanged(client)


@both_stores
def test_a_stale_if_match_refuses_a_json_patch(client: FlaskClient) -> None:
    make_note(client, tags=["home"])
    tag = client.get("/api/notes/n").headers["ETag"]
    assert json_patch(client, ADD_URGENT).status_code == 200

    stale = json_patch(client, ADD_URGENT, **{"If-Match": tag})

    assert stale.status_code == 412
    assert stored(client)["tags"] == ["home", "urgent"]


def test_json_patch_does_not_create(client: FlaskClient) -> None:
    assert json_patch(client, ADD_URGENT, note_id="ghost").status_code == 404
    assert client.get("/api/notes").get_json()["count"] == 0


def test_pointer_escapes_name_the_member_they_spell(client: FlaskClient) -> None:
    make_note(client, tags=["home"])
    # "/tags~1-" is the member "tags/-", which a note does not have: not /tags/-.
    response = json_patch(client, [{"op": "add", "path": "/tags~1-", "value": "x"}])

    assert_refused(response, 422, "would change /tags~1-")
    assert_unchanged(client)


@pytest.mark.own_app
@both_stores
def test_notes_from_before_tags_get_none_when_the_schema_is_upgraded(
    notes_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database as the code before tags left it: schema version 2, a note in it.
    with monkeypatch.context() as before_tags:
        before_tags.setattr(notes_store, "UPGRADES", notes_store.UPGRADES[:2])
        before_tags.setattr(notes_store, "SCHEMA_VERSION", 2)
        old = NoteStore(open_database(notes_database))
        with old.database.writing() as db:
            db.execute("INSERT INTO sandboxes (id, touched) VALUES ('s', ?)", (time.time(),))
            db.execute(
                "INSERT INTO notes (sandbox, id, text, created, updated, version) "
                "VALUES ('s', 'n', 'written before tags', 'c', 'u', 1)"
            )

    upgraded = NoteStore(open_database(notes_database))

    assert upgraded.schema_upgrade == (2, notes_store.SCHEMA_VERSION)
    note = upgraded.get("s", "n")
    assert note is not None and (note.text, note.tags) == ("written before tags", ())
