"""The method facts, the lesson pages that teach them, and the home table."""

import itertools

import pytest
from flask.testing import FlaskClient

from methodslab.methods import METHODS, METHODS_BY_SLUG, PROPERTIES
from tests.html_text import texts_of

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

# Transcribed from the project's reference table (RFC 9110 §9, RFC 5789 §2), one
# word per property in PROPERTIES' order: an independent check of methods.py. A body in
# GET, HEAD and DELETE: the same SHOULD NOT (§9.3.1, §9.3.2, §9.3.5); a POST answer may
# have no content (201, 204).
UNLESS_ACCEPTED = "Not by default"
REFERENCE = {
    "GET": (UNLESS_ACCEPTED, "Yes", "Yes", "Yes", "Yes", "Yes"),
    "HEAD": (UNLESS_ACCEPTED, "No", "Yes", "Yes", "Yes", "No"),
    "POST": ("Yes", "May", "No", "No", "Only", "Yes"),
    "PUT": ("Yes", "May", "No", "Yes", "No", "No"),
    "DELETE": (UNLESS_ACCEPTED, "May", "No", "Yes", "No", "No"),
    "PATCH": ("Yes", "May", "No", "No", "Only", "No"),
    "OPTIONS": ("May", "May", "Yes", "Yes", "No", "No"),
}
SECTIONS = {
    "GET": "RFC 9110 §9.3.1",
    "HEAD": "RFC 9110 §9.3.2",
    "POST": "RFC 9110 §9.3.3",
    "PUT": "RFC 9110 §9.3.4",
    "DELETE": "RFC 9110 §9.3.5",
    "PATCH": "RFC 5789 §2",
    "OPTIONS": "RFC 9110 §9.3.7",
}


def test_a_body_in_get_and_delete_is_described_alike() -> None:
    get, delete = METHODS_BY_SLUG["get"], METHODS_BY_SLUG["delete"]

    assert get.request_body == delete.request_body
    assert "only to a server that says it accepts one" in get.request_body.note
    assert "a 201 may have none, a 204 never does" in METHODS_BY_SLUG["post"].response_body.note


def test_facts_match_the_reference() -> None:
    assert [m.name for m in METHODS] == list(REFERENCE)
    for method in METHODS:
        assert tuple(answer.word for _, answer in method.properties) == REFERENCE[method.name]
        assert method.spec == SECTIONS[method.name]
        assert method.spec_url.endswith(f"#section-{method.spec.split('§')[1]}")


def cells(html: str, tag: str) -> list[str]:
    """Return the text of each ``tag`` cell with whitespace folded."""
    return [" ".join(text.split()) for text in texts_of(html, tag)]


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_lesson_shows_the_facts(client: FlaskClient, method) -> None:
    response = client.get(f"/methods/{method.slug}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert texts_of(html, "h1") == [f"The {method.name} method"]
    assert f'href="{method.spec_url}"' in html
    expected_rows = [
        (label, f"{a.word} ({a.note})" if a.note else a.word) for label, a in method.properties
    ]
    headers = cells(html, "th")
    values = cells(html, "td")
    for label, value in expected_rows:
        assert label in headers
        assert values[headers.index(label) - headers.index(PROPERTIES[0][0])] == value


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_lesson_shows_running_code_and_curl(client: FlaskClient, method) -> None:
    html = client.get(f"/methods/{method.slug}", base_url="http://127.0.0.1:8080").text

    view = client.application.view_functions[method.handler]
    assert f"def {view.__name__}(" in html
    assert "curl " in html and "http://127.0.0.1:8080" + method.try_it.path in html
    assert f"{method.name} {method.try_it.path}" in html
    assert "Send " + method.name in html
    if method.try_it.sandbox:  # without JavaScript, forms send the same requests
        assert f'name="_method" value="{method.name}"' in html
        assert f"{method.name} {method.try_it.note_id} with a form" in html
    else:
        assert "so it needs JavaScript" in html


def test_lessons_link_to_their_neighbours(client: FlaskClient) -> None:
    for before, after in itertools.pairwise(METHODS):
        assert (
            f'rel="next" href="/methods/{after.slug}"' in client.get(f"/methods/{before.slug}").text
        )
        assert (
            f'rel="prev" href="/methods/{before.slug}"' in client.get(f"/methods/{after.slug}").text
        )


@pytest.mark.parametrize("slug", ["trace", "GET", "connect", "<script>"])
def test_unknown_lesson_lists_the_real_ones(client: FlaskClient, slug: str) -> None:
    response = client.get(f"/methods/{slug}")

    assert response.status_code == 404
    for method in METHODS:
        assert f'href="/methods/{method.slug}"' in response.text
    assert "<script>" not in response.text


def test_head_lesson_compares_head_with_get_live(client: FlaskClient) -> None:
    html = client.get("/methods/head").text
    home = client.get("/")

    assert cells(html, "td")[-6:] == [
        home.headers["Content-Type"],
        home.headers["Content-Type"],
        str(len(home.data)),
        str(len(home.data)),
        str(len(home.data)),
        "0",
    ]


def test_options_lesson_lists_allow_headers_live(client: FlaskClient) -> None:
    html = client.get("/methods/options").text

    allow = client.options("/echo").headers["Allow"]
    assert ", ".join(sorted(allow.split(", "))) in cells(html, "td")


def test_home_table_has_every_method_and_property(client: FlaskClient) -> None:
    html = client.get("/").text

    for method in METHODS:
        assert f'<a href="/methods/{method.slug}">{method.name}</a>' in html
    for label, _ in PROPERTIES:
        assert label in cells(html, "th")
    assert 'href="/get-vs-post"' in html


def test_get_vs_post_page(client: FlaskClient) -> None:
    response = client.get("/get-vs-post")

    assert response.status_code == 200
    assert texts_of(response.text, "h1") == ["GET vs POST in forms"]
    for phrase in ("Post/Redirect/Get", "303 See Other", "unencrypted", "Referer"):
        assert phrase in response.text


@pytest.mark.parametrize("variant", ["post", "get"])
def test_login_pages_link_to_the_forms_guide(client: FlaskClient, variant: str) -> None:
    assert 'href="/get-vs-post"' in client.get(f"/login/{variant}").text


def test_every_lesson_exists() -> None:
    assert sorted(METHODS_BY_SLUG) == sorted(m.lower() for m in REFERENCE)
