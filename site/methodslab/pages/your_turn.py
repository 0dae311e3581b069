"""Your turn: the student's own PUT, PATCH or DELETE on their sandbox, explained.

A plain form on the PUT, PATCH and DELETE lessons posts here with the site's method
override (``_method``, and the form token of notes/api.py). This view sends that very
request, as JSON with the chosen condition, through the whole app to the notes API with
the visitor's cookie, reads the note before and after, and sends the browser with
303 See Other (RFC 9110 §15.4.4) to a result page: the explanation (methodslab.verdicts),
the request written for five clients, and the form again. The result travels in the
result page's query, signed, so that a reload shows it again and nobody can forge one.
"""

import json
from dataclasses import asdict, replace
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeSerializer

from methodslab.methods import METHODS_BY_SLUG, Method
from methodslab.notes import api as notes
from methodslab.notes.store import MAX_TAG_LENGTH, MAX_TAGS, MAX_TEXT_LENGTH, Note
from methodslab.pages import lessons, progress
from methodslab.pages.builder import FIELD_VALUE
from methodslab.pages.copy_as import Copyable, copyable
from methodslab.verdicts import Attempt, NoteState, explain

bp = Blueprint("your_turn", __name__, url_prefix="/methods")

#: What the form may send, and the body each carries (RFC 7396: a merge patch for PATCH).
CONTENT_TYPES = {"PUT": "application/json", "PATCH": "application/merge-patch+json", "DELETE": ""}
#: The conditions the form offers (RFC 9110 §13.1.1, §13.1.2).
CONDITIONS = ("If-Match", "If-None-Match")
#: The longest note id the form passes on; the API itself takes 64 characters.
MAX_ID_LENGTH = 200
#: The longest result address: the site refuses request lines over 8190 bytes.
MAX_RESULT_ADDRESS = 6000
#: How much of a note's text a result too long for its address keeps.
SHORT_TEXT = 40


def lesson_with_form(slug: str) -> Method:
    """Return the lesson ``slug`` if it has a Your turn form; 404 otherwise."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None or method.name not in CONTENT_TYPES:
        abort(404, "Your turn is on the PUT, PATCH and DELETE lessons.")
    return method


@bp.post("/<slug>/your-turn")
def send(slug: str) -> ResponseReturnValue:
    """Send the student's request to their sandbox, then 303 to its explanation."""
    lesson_with_form(slug)
    notes.check_form_token()
    asked = asked_for(request.form)
    visitor = notes.sandbox_for_writing()
    before = state_of(notes.store().get(visitor, asked["note_id"]))
    headers, body = request_parts(asked)
    # Through the whole app, as from the visitor: their cookie, their address.
    with current_app.app_context():
        answer = current_app.test_client(use_cookies=False).open(
            note_path(asked["note_id"]),
            method=asked["method"],
            headers=[*headers, ("Cookie", request.headers.get("Cookie", ""))],
            data=body.encode(),
            environ_base={"REMOTE_ADDR": request.remote_addr or ""},
        )
    after = state_of(notes.store().get(visitor, asked["note_id"]))
    detail = answer.get_json(silent=True) or {}
    attempt = Attempt(
        asked["method"],
        asked["note_id"],
        note_path(asked["note_id"]),
        HTTPStatus(answer.status_code),
        str(detail.get("detail", "")) if isinstance(detail, dict) else "",
        asked["condition"],
        asked["condition_value"],
        before,
        after,
    )
    address = result_address(slug, visitor, asked, attempt)
    if len(address) > MAX_RESULT_ADDRESS:  # non-ASCII notes: the notes shown are shortened
        shorter = replace(attempt, before=shortened(before), after=shortened(after))
        address = result_address(slug, visitor, asked, shorter)
    return redirect(address, HTTPStatus.SEE_OTHER)


def result_address(slug: str, visitor: str, asked: dict[str, str], attempt: Attempt) -> str:
    """Return the result page's address, the result signed in its query."""
    token = signer().dumps({"sandbox": visitor, "asked": asked, "attempt": as_json(attempt)})
    return url_for(".result", slug=slug, r=token)


def shortened(state: NoteState | None) -> NoteState | None:
    """Return a note with its text cut to a few words, to keep an address short."""
    if state is None or len(state.text) <= SHORT_TEXT:
        return state
    return replace(state, text=state.text[:SHORT_TEXT] + "…")


@bp.get("/<slug>/your-turn")
def result(slug: str) -> ResponseReturnValue:
    """Show what the student's request did, with the request for five clients and the form."""
    method = lesson_with_form(slug)
    outcome = read_outcome(request.args.get("r", ""))
    asked = outcome["asked"] if outcome else default_request(method)
    verdict = explain(attempt_from(outcome["attempt"])) if outcome else None
    # The visitor's own notes and sandbox cookie: no shared cache may keep it.
    return progress.personal_page(
        render_template(
            "your_turn.html",
            method=method,
            asked=asked,
            verdict=verdict,
            copy=request_copyable(asked),
            **lessons.sandbox_context(),
        )
    )


def conditions() -> tuple[str, ...]:
    """Return the conditions the form offers (template global ``your_turn_conditions``)."""
    return CONDITIONS


def methods() -> tuple[str, ...]:
    """Return the methods the form offers (template global ``your_turn_methods``)."""
    return tuple(CONTENT_TYPES)


def lesson_default(method: Method) -> dict[str, str] | None:
    """Return what a lesson's form holds at first, or None if the lesson has no form."""
    return default_request(method) if method.name in CONTENT_TYPES else None


def default_request(method: Method) -> dict[str, str]:
    """Return what the form holds before the student changes it."""
    return {
        "method": method.name,
        "note_id": "mine",
        "text": "My own note",
        "tags": "",
        "condition": "",
        "condition_value": "",
    }


def asked_for(form: Any) -> dict[str, str]:
    """Return the request the form asks for; refuse (400) what no request could carry."""
    asked = {name: form.get(name, "") for name in default_request(METHODS_BY_SLUG["put"])}
    asked["method"] = form.get("_method", "").upper()
    if asked["method"] not in CONTENT_TYPES:
        abort(400, "Choose PUT, PATCH or DELETE.")
    if not asked["note_id"] or len(asked["note_id"]) > MAX_ID_LENGTH:
        abort(400, f"Give a note id of 1 to {MAX_ID_LENGTH} characters.")
    # Longer than any note's: refused here, so that a result's address stays short.
    if len(asked["text"]) > MAX_TEXT_LENGTH or len(asked["tags"]) > MAX_TAGS * (MAX_TAG_LENGTH + 2):
        abort(
            400,
            f"A note's text is at most {MAX_TEXT_LENGTH} characters, and it has at most "
            f"{MAX_TAGS} tags of {MAX_TAG_LENGTH}.",
        )
    if asked["condition"] not in ("", *CONDITIONS):
        abort(400, "Choose no condition, If-Match or If-None-Match.")
    if asked["condition"] and not FIELD_VALUE.fullmatch(asked["condition_value"] or "\n"):
        abort(
            400,
            f'{asked["condition"]} needs a value: an ETag such as "v1-…" (copy it from '
            "your notes below), or * for any version. Visible ASCII characters only.",
        )
    if not asked["condition"]:
        asked["condition_value"] = ""
    return asked


def request_parts(asked: dict[str, str]) -> tuple[list[tuple[str, str]], str]:
    """Return the header fields and the JSON body of the request the form asks for."""
    headers = [("Accept", "application/json")]
    document: dict[str, Any] = {}
    tags = [tag.strip() for tag in asked["tags"].split(",") if tag.strip()]
    if asked["method"] == "PUT":  # the whole note
        document = {"text": asked["text"], "tags": tags}
    elif asked["method"] == "PATCH":  # only the fields given
        document = {"text": asked["text"]} if asked["text"] else {}
        if tags:
            document["tags"] = tags
    if asked["method"] != "DELETE":
        headers.append(("Content-Type", CONTENT_TYPES[asked["method"]]))
    if asked["condition"]:
        headers.append((asked["condition"], asked["condition_value"]))
    body = json.dumps(document, ensure_ascii=False) if asked["method"] != "DELETE" else ""
    return headers, body


def note_path(note_id: str) -> str:
    """Return the note's path, its id escaped, so that no id can reach another URL."""
    return f"/api/notes/{quote(note_id, safe='')}"


def request_copyable(asked: dict[str, str]) -> Copyable:
    """Return the request the form asks for, written for five clients."""
    headers, body = request_parts(asked)
    return copyable(asked["method"], note_path(asked["note_id"]), headers, body)


def state_of(note: Note | None) -> NoteState | None:
    """Return what the explanation compares of a note."""
    if note is None:
        return None
    return NoteState(note.text, note.tags, note.version, note.etag)


def signer() -> URLSafeSerializer:
    """Return the signer of result tokens, keyed by the app's secret."""
    # Non-ASCII as UTF-8, not \\u escapes: a shorter address.
    return URLSafeSerializer(
        current_app.secret_key or "", salt="your-turn", serializer_kwargs={"ensure_ascii": False}
    )


def as_json(attempt: Attempt) -> dict[str, Any]:
    """Return an attempt as JSON data."""
    return {**asdict(attempt), "status": attempt.status.value}


def attempt_from(data: dict[str, Any]) -> Attempt:
    """Return the attempt a result token holds."""

    def note(state: dict[str, Any] | None) -> NoteState | None:
        return None if state is None else NoteState(**{**state, "tags": tuple(state["tags"])})

    return Attempt(
        **{
            **data,
            "status": HTTPStatus(data["status"]),
            "before": note(data["before"]),
            "after": note(data["after"]),
        }
    )


def read_outcome(token: str) -> dict[str, Any] | None:
    """Return the result a token holds, if this site signed it for this visitor."""
    if not token:
        return None
    try:
        outcome: dict[str, Any] = signer().loads(token)
    except BadSignature:
        abort(400, "This result's address was changed or cut short: send the form again.")
    if outcome.get("sandbox") != notes.current_sandbox():
        abort(403, "This result is of another visitor's sandbox, which only they can see.")
    return outcome
