"""Property-based tests: whatever a person or program sends, the site answers sensibly."""

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from methodslab.notes.store import MAX_TEXT_LENGTH
from methodslab.pages.names import MAX_NAME_LENGTH, check_name
from tests.html_text import texts_of

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Any text a person could type or paste: every Unicode character but surrogates.
typed_text = st.text(max_size=MAX_NAME_LENGTH + 20)


@EXAMPLES
@given(name=typed_text, method=st.sampled_from(["POST", "GET"]))
def test_login_round_trips_or_refuses_clearly(examples_app: Flask, name: str, method: str) -> None:
    client = examples_app.test_client()
    if method == "POST":
        response = client.post("/login", data={"nm": name})
    else:
        response = client.get("/login", query_string={"nm": name})

    checked = check_name(name)
    if checked.problem:
        assert response.status_code == 400
        assert 'role="alert"' in response.text
        return
    assert 300 <= response.status_code < 400
    welcome = client.get(response.headers["Location"])
    assert welcome.status_code == 200
    assert texts_of(welcome.text, "h1") == [f"welcome {name.strip()}"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "id", "version", "extra"]) | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
note_documents = json_values | st.fixed_dictionaries(
    {"text": st.text(max_size=MAX_TEXT_LENGTH + 5)}
)


def notes_of(client: FlaskClient) -> dict[str, str]:
    """Return the visitor's notes as id → text, checking the listing's shape."""
    listing = client.get("/api/notes").get_json()
    assert listing["count"] == len(listing["notes"])
    return {note["id"]: note["text"] for note in listing["notes"]}


@EXAMPLES
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["PUT", "PATCH", "POST", "DELETE"]),
            st.sampled_from(["a", "b"]),
            note_documents,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_notes_api_stays_consistent_under_any_json(
    examples_app: Flask, steps: list[tuple[str, str, object]]
) -> None:
    client = examples_app.test_client()
    model: dict[str, str] = {}
    for method, note_id, document in steps:
        content_type = "application/merge-patch+json" if method == "PATCH" else "application/json"
        path = "/api/notes" if method == "POST" else f"/api/notes/{note_id}"
        response = client.open(path, method=method, json=document, content_type=content_type)

        assert response.status_code < 500
        text = document.get("text") if isinstance(document, dict) else None
        if 200 <= response.status_code < 300:
            if method == "DELETE":
                model.pop(note_id)
            else:
                assert isinstance(text, str) or method == "PATCH"
                new_id = response.get_json()["id"]
                model[new_id] = response.get_json()["text"]
                assert text is None or model[new_id] == text
        else:
            assert response.mimetype == "application/problem+json"
        assert notes_of(client) == model
        assert all(len(text) <= MAX_TEXT_LENGTH for text in model.values())


@EXAMPLES
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    path=st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=20),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            "application/json",
            "text/plain",
            "application/octet-stream",
            "application/x-www-form-urlencoded",
        ]
    ),
)
def test_echo_answers_any_method_and_body(
    examples_app: Flask, method: str, path: str, body: bytes, content_type: str
) -> None:
    client = examples_app.test_client()
    data = None if method in ("GET", "HEAD", "OPTIONS") else body

    response = client.open(
        "/echo/" + path.replace("?", "").replace("#", ""),
        method=method,
        data=data,
        content_type=content_type,
    )

    assert response.status_code in (200, 400), response.text
    if method in ("HEAD", "OPTIONS") or response.status_code == 400:
        return
    seen = response.get_json()
    assert seen["method"] == method
    assert seen["body_bytes"] == len(data or b"")
