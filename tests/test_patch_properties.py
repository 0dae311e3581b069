"""Property tests of the two patch formats: JSON Patch against a model, merge patch idempotent."""

import copy
import json
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from methodslab.notes.patching import (
    PatchError,
    apply_json_patch,
    apply_merge_patch,
    parse_json_patch,
    parse_pointer,
)
from methodslab.notes.store import MAX_TAG_LENGTH, MAX_TAGS

EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON_PATCH = "application/json-patch+json"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["text", "tags", "a", "b"]), children, max_size=4)
    ),
    max_leaves=12,
)


@EXAMPLES
@given(target=json_values, patch=json_values)
def test_a_merge_patch_applied_twice_gives_what_once_gave(target: Any, patch: Any) -> None:
    target_before, patch_before = copy.deepcopy(target), copy.deepcopy(patch)

    once = apply_merge_patch(target, patch)

    assert apply_merge_patch(once, patch) == once  # RFC 7396 §2: idempotent by construction
    assert (target, patch) == (target_before, patch_before)  # applied to a copy
    # And what it gives: a patch that is not an object replaces the target; in an
    # object, null removes a member, other values set it, absent members stay.
    if not isinstance(patch, dict):
        assert once == patch
        return
    kept = target if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            assert name not in once
        elif not isinstance(value, dict):
            assert once[name] == value
    assert all(once[name] == kept[name] for name in kept.keys() - patch.keys())


# A note's tags, and JSON Patch operations on them: indexes may point past the
# end, so that some operations fail as RFC 6902 says they must.
# Few distinct tags, so that "test" often succeeds and a misplaced item shows.
tags = st.sampled_from(["a", "b", "c", "d", "e"])
index = st.integers(min_value=0, max_value=3).map(str)
place = index | st.just("-")
operations = st.one_of(
    st.builds(lambda i, v: {"op": "add", "path": f"/tags/{i}", "value": v}, place, tags),
    st.builds(lambda i: {"op": "remove", "path": f"/tags/{i}"}, index),
    st.builds(lambda i, v: {"op": "replace", "path": f"/tags/{i}", "value": v}, index, tags),
    *(
        st.builds(
            lambda i, j, op=op: {"op": op, "from": f"/tags/{i}", "path": f"/tags/{j}"}, index, place
        )
        for op in ("move", "copy")
    ),
    st.builds(lambda i, v: {"op": "test", "path": f"/tags/{i}", "value": v}, index, tags),
    st.builds(lambda v: {"op": "replace", "path": "/text", "value": v}, tags),
    st.builds(lambda v: {"op": "test", "path": "/text", "value": v}, tags),
)
notes = st.fixed_dictionaries(
    {"text": tags, "tags": st.lists(tags, min_size=1, max_size=4, unique=True)}
)


def model(note: dict[str, Any], patch: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Apply ``patch`` as list operations would; None where RFC 6902 says it fails."""
    text, items = note["text"], list(note["tags"])

    def position(token: str, limit: int) -> int | None:
        number = len(items) if token == "-" else int(token)
        return number if number <= limit else None

    for operation in patch:
        op, token = operation["op"], operation["path"].rsplit("/", 1)[-1]
        if operation["path"] == "/text":
            if op == "test" and text != operation["value"]:
                return None
            text = operation["value"] if op == "replace" else text
            continue
        if op in ("move", "copy"):
            source = int(operation["from"].rsplit("/", 1)[-1])
            if source >= len(items):
                return None
            value = items.pop(source) if op == "move" else items[source]
            at = position(token, len(items))
            if at is None:
                return None
            items.insert(at, value)
        elif op == "add":
            at = position(token, len(items))
            if at is None:
                return None
            items.insert(at, operation["value"])
        else:  # remove, replace, test: the item must exist
            at = position(token, len(items) - 1)
            if at is None:
                return None
            if op == "remove":
                items.pop(at)
            elif op == "replace":
                items[at] = operation["value"]
            elif items[at] != operation["value"]:
                return None
    return {"text": text, "tags": items}


@EXAMPLES
@given(note=notes, patch=st.lists(operations, min_size=1, max_size=4))
def test_json_patch_does_what_the_model_does(
    note: dict[str, Any], patch: list[dict[str, Any]]
) -> None:
    before = copy.deepcopy(note)
    expected = model(note, patch)

    try:
        result = apply_json_patch(note, parse_json_patch(patch))
    except PatchError as error:
        assert error.status == 409 and expected is None, str(error)
    else:
        assert result == expected
    assert note == before  # applied to a copy, whatever happened


@EXAMPLES
@given(note=notes, tag=tags)
def test_adding_to_the_end_twice_gives_two_more_tags(note: dict[str, Any], tag: str) -> None:
    append = parse_json_patch([{"op": "add", "path": "/tags/-", "value": tag}])

    once = apply_json_patch(note, append)
    twice = apply_json_patch(once, append)

    assert once["tags"] == [*note["tags"], tag]
    assert twice["tags"] == [*note["tags"], tag, tag]  # not idempotent


@EXAMPLES
@given(names=st.lists(st.text(max_size=6), min_size=1, max_size=3), value=st.integers())
def test_pointer_escapes_round_trip(names: list[str], value: int) -> None:
    # RFC 6901 §3: "~" is written "~0" and "/" is written "~1".
    pointer = "".join("/" + name.replace("~", "~0").replace("/", "~1") for name in names)
    document: dict[str, Any] = {}
    nested = document
    for name in names[:-1]:
        nested = nested.setdefault(name, {})

    added = apply_json_patch(
        document, parse_json_patch([{"op": "add", "path": pointer, "value": value}])
    )

    assert parse_pointer(pointer, "path").tokens == tuple(names)
    for name in names[:-1]:
        added = added[name]
    assert added[names[-1]] == value


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=notes, patch=st.lists(operations, max_size=6), conditional=st.booleans())
def test_the_api_writes_the_whole_patch_or_nothing(
    examples_app: Flask, note: dict[str, Any], patch: list[dict[str, Any]], conditional: bool
) -> None:
    client = examples_app.test_client()
    assert client.put("/api/notes/n", json=note).status_code == 201
    before = client.get("/api/notes/n")
    headers = {"If-Match": before.headers["ETag"]} if conditional else {}
    expected = model(note, patch)

    response = client.patch(
        "/api/notes/n", data=json.dumps(patch), content_type=JSON_PATCH, headers=headers
    )

    after = client.get("/api/notes/n").get_json()
    if expected is None:
        assert response.status_code == 409
    elif len(expected["tags"]) > MAX_TAGS or any(len(t) > MAX_TAG_LENGTH for t in expected["tags"]):
        assert response.status_code == 422
    else:
        assert response.status_code == 200, response.get_json()
        assert {"text": after["text"], "tags": after["tags"]} == expected
        changed = expected != note
        assert after["version"] == before.get_json()["version"] + changed
        return
    assert response.mimetype == "application/problem+json"
    assert after == before.get_json()
