"""Your turn: the student's own PUT, PATCH or DELETE, from a plain form, explained."""

import html
import re
from http import HTTPStatus

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from methodslab.verdicts import Attempt, NoteState, explain
from tests.html_text import texts_of
from tests.test_notes import csrf_token

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app


def send(client: FlaskClient, token: str, method: str, **fields: str) -> TestResponse:
    """Send the Your turn form with ``fields``, following its 303 to the result page."""
    form = {"_csrf": token, "_method": method, "note_id": "mine", "text": "", "tags": ""}
    answer = client.post("/methods/put/your-turn", data=form | fields)
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["Location"])


def verdict(page: TestResponse) -> list[str]:
    """Return the verdict's sentences as the result page shows them."""
    box = page.text.split('<div class="verdict" role="status">')[1].split("</div>")[0]
    return texts_of(f"<div>{box}</div>", "p")


def test_each_answer_is_explained_with_what_changed_and_its_section(client: FlaskClient) -> None:
    token = csrf_token(client)

    created = verdict(send(client, token, "PUT", text="Milk", tags="a, b"))
    again = verdict(send(client, token, "PUT", text="Milk", tags="a, b"))
    patched = verdict(send(client, token, "PATCH", tags="c"))
    stale = verdict(
        send(client, token, "PUT", text="x", condition="If-Match", condition_value='"v1-0"')
    )
    exists = verdict(
        send(client, token, "PUT", text="x", condition="If-None-Match", condition_value="*")
    )
    deleted = verdict(send(client, token, "DELETE"))
    gone = verdict(send(client, token, "DELETE"))

    assert created[0] == "PUT /api/notes/mine → 201 Created"
    assert created[1] == "The note mine now exists: “Milk” (tags: a, b), version 1."
    assert "RFC 9110 §9.3.4" in created[2]
    assert again[0].endswith("200 OK") and "idempotent" in again[2] and "§9.2.2" in again[2]
    assert patched[1].startswith("The note mine went from version 1") and "(tags: c)" in patched[1]
    assert "RFC 7396 §2" in patched[2]
    assert stale[0].endswith("412 Precondition Failed") and "§13.1.1" in stale[2]
    assert stale[1].startswith("Nothing changed")
    assert exists[0].endswith("412 Precondition Failed") and "§13.1.2" in exists[2]
    assert deleted[0].endswith("204 No Content") and deleted[1].startswith("The note mine is gone")
    assert gone[0].endswith("404 Not Found") and "§9.2.2" in gone[2]
    assert client.get("/api/notes").get_json()["count"] == 0


def test_the_result_page_writes_the_request_out_with_the_sandbox_cookie(
    client: FlaskClient,
) -> None:
    page = send(client, csrf_token(client), "PUT", text="it's $(id) é", tags="x")
    cookie = client.get_cookie("sandbox")
    text = html.unescape(page.text)

    assert cookie is not None and f"--cookie sandbox={cookie.value}" in text
    assert """--data-raw '{"text": "it'"'"'s $(id) é", "tags": ["x"]}'""" in text
    assert 'href="/builder?method=PUT&amp;url=/api/notes/mine' in page.text
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_an_id_that_is_no_note_id_stays_in_the_notes_url(client: FlaskClient) -> None:
    page = send(client, csrf_token(client), "PUT", note_id="../../echo?x=1", text="x")

    assert verdict(page)[0] == "PUT /api/notes/..%2F..%2Fecho%3Fx%3D1 → 400 Bad Request"


def test_the_lesson_offers_the_form_without_javascript(client: FlaskClient) -> None:
    page = client.get("/methods/delete").text
    form = page.split('<details id="your-turn">')[1].split("</details>")[0]

    assert 'action="/methods/delete/your-turn" method="post"' in form
    assert re.search(r"<option selected>DELETE</option>", form)
    assert 'id="your-turn"' not in client.get("/methods/post").text


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"_csrf": "wrong"}, 403),
        ({"_method": "POST"}, 400),
        ({"note_id": ""}, 400),
        ({"text": "x" * 501}, 400),
        ({"condition": "If-Match", "condition_value": ""}, 400),
        ({"condition": "If-Match", "condition_value": "a\r\nX-Evil: 1"}, 400),
        ({"condition": "Range"}, 400),
    ],
)
def test_a_form_no_request_could_carry_is_refused(
    client: FlaskClient, fields: dict[str, str], status: int
) -> None:
    form = {"_csrf": csrf_token(client), "_method": "PUT", "note_id": "a", "text": "x"}

    assert client.post("/methods/put/your-turn", data=form | fields).status_code == status
    assert client.get("/api/notes").get_json()["count"] == 0


def test_another_sites_form_and_a_forged_result_are_refused(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    form = {"_csrf": "x", "_method": "PUT", "note_id": "a", "text": "x"}
    page = send(client, csrf_token(client), "PUT", text="Mine")
    address = page.request.full_path

    assert other_client.post("/methods/put/your-turn", data=form).status_code == 403
    csrf_token(other_client)  # a visitor with a sandbox of their own
    assert other_client.get(address).status_code == 403
    assert client.get(address[:-3] + "abc").status_code == 400
    assert client.get("/methods/post/your-turn").status_code == 404


def test_every_verdict_names_an_rfc_section() -> None:
    note = NoteState("t", (), 1, '"v1-a"')
    for status in HTTPStatus:
        for method in ("PUT", "PATCH", "DELETE"):
            said = explain(Attempt(method, "n", "/api/notes/n", status, "detail", before=note))
            assert re.fullmatch(r"RFC \d{4} §[\d.]+", said.section), (method, status)
            assert said.section_url.endswith("#section-" + said.section.split("§")[1])
