"""The notes API: each visitor's own small collection, to PUT, PATCH and DELETE for real."""

import hmac
import re
import secrets
from http import HTTPStatus
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, default_exceptions

from methodslab.methods import METHODS_BY_SLUG
from methodslab.notes.store import (
    MAX_NOTES,
    MAX_TEXT_LENGTH,
    Note,
    NoteStore,
    NoteStoreError,
    Precondition,
)
from methodslab.web.errors import render_http_error
from methodslab.web.json_bounds import load_json

bp = Blueprint("notes", __name__, url_prefix="/api/notes")

#: The largest request body the notes API reads, in bytes; larger ones get 413.
MAX_BODY_BYTES = 16 * 1024
NOTE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
READ_ONLY_FIELDS = {"id", "created", "updated", "version"}
LIMITS = {
    "notes": MAX_NOTES,
    "text_characters": MAX_TEXT_LENGTH,
    "body_bytes": MAX_BODY_BYTES,
}


def store() -> NoteStore:
    """Return the app's note store."""
    return current_app.extensions["notes"]


def sandbox(create: bool = True) -> str | None:
    """Return the visitor's sandbox id, from their signed cookie, giving them one if asked."""
    if "sandbox" not in session and create:
        session["sandbox"] = secrets.token_urlsafe(16)
        session.permanent = True
    return session.get("sandbox")


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_BODY_BYTES of any request to the API."""
    # Flask runs URL value preprocessors before every before_request hook, so the
    # limit is set before any of the site's checks reads a body under the larger one.
    request.max_content_length = MAX_BODY_BYTES


@bp.after_request
def advertise_patch_format(response: Any) -> Any:
    """Tell clients which patch format PATCH takes (RFC 5789 §3.1)."""
    response.headers["Accept-Patch"] = MERGE_PATCH
    return response


@bp.errorhandler(NoteStoreError)
def refused(error: NoteStoreError) -> ResponseReturnValue:
    """Answer a refused change with its status and reason."""
    return render_http_error(default_exceptions[error.status](description=str(error)))


@bp.get("")
def list_notes() -> ResponseReturnValue:
    """List the visitor's notes, oldest first."""
    visitor = sandbox(create=False)
    notes = store().list(visitor) if visitor else []
    return {"notes": [note.as_json() for note in notes], "count": len(notes), "limits": LIMITS}


@bp.post("")
def create_note() -> ResponseReturnValue:
    """Create a note under an id the server chooses: 201 Created, with its Location."""
    text = note_text(read_document(JSON), required=True)
    note = None
    while note is None:  # a fresh random id is all but certain to be free
        note = store().create(sandbox(), secrets.token_hex(4), text)
    return note_response(note, HTTPStatus.CREATED)


@bp.get("/<rest:note_id>")
def get_note(note_id: str) -> ResponseReturnValue:
    """Read one note; 404 if the visitor has none by that id."""
    note = store().get(sandbox(create=False) or "", checked(note_id))
    if note is None:
        abort(404, f"You have no note called {note_id!r}.")
    return note_response(note, HTTPStatus.OK)


@bp.put("/<rest:note_id>")
def put_note(note_id: str) -> ResponseReturnValue:
    """Create the note or replace it whole: 201 if it was created, 200 if replaced."""
    text = note_text(read_document(JSON), required=True)
    note, created = store().put(sandbox(), checked(note_id), text, precondition())
    return note_response(note, HTTPStatus.CREATED if created else HTTPStatus.OK)


@bp.patch("/<rest:note_id>")
def patch_note(note_id: str) -> ResponseReturnValue:
    """Change only the fields a JSON Merge Patch gives; 404 if there is no such note."""
    text = note_text(read_document(MERGE_PATCH), required=False)
    note = store().patch(sandbox(), checked(note_id), text, precondition())
    if note is None:
        abort(404, f"You have no note called {note_id!r} to patch; PUT creates one.")
    return note_response(note, HTTPStatus.OK)


@bp.delete("/<rest:note_id>")
def delete_note(note_id: str) -> ResponseReturnValue:
    """Delete the note: 204 No Content, or 404 when it is already gone."""
    if not store().delete(sandbox(), checked(note_id), precondition()):
        abort(404, f"You have no note called {note_id!r}: nothing to delete.")
    return "", HTTPStatus.NO_CONTENT


FORM_METHODS = {"PUT": put_note, "PATCH": patch_note, "DELETE": delete_note}


@bp.post("/<rest:note_id>")
def form_override(note_id: str) -> ResponseReturnValue:
    """Let an HTML form PUT, PATCH or DELETE: a POST with a _method field and a CSRF token."""
    view = FORM_METHODS.get(request.form.get("_method", "").upper())
    if view is None:
        abort(
            400,
            "POST to a note is for HTML forms with a _method field of PUT, PATCH or "
            "DELETE. To create a note with a name the server chooses, POST to /api/notes.",
        )
    sent, expected = request.form.get("_csrf", ""), session.get("csrf", "-")
    # As bytes: compare_digest refuses str with non-ASCII characters.
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(
            403,
            "This form's security token is missing or out of date: reload the page "
            "and send it again.",
        )
    g.form_override = True
    try:
        status, detail = HTTPStatus(current_app.make_response(view(note_id)).status_code), ""
    except HTTPException as error:
        status, detail = HTTPStatus(error.code or 400), f": {error.description}"
    except NoteStoreError as error:
        status, detail = HTTPStatus(error.status), f": {error}"
    method = request.form["_method"].upper()
    flash(f"{method} /api/notes/{note_id} → {status.value} {status.phrase}{detail}")
    return redirect(lesson_to_return_to(), HTTPStatus.SEE_OTHER)


def lesson_to_return_to() -> str:
    """Return the lesson the form came from; only lesson pages, so no open redirect."""
    slug = request.form.get("lesson", "")
    return url_for("lessons.lesson", slug=slug if slug in METHODS_BY_SLUG else "put")


def csrf_token() -> str:
    """Return the visitor's CSRF token for method-override forms, creating it once."""
    return session.setdefault("csrf", secrets.token_urlsafe(32))


def checked(note_id: str) -> str:
    """Refuse ids other than 1 to 64 letters, digits, - and _ (400)."""
    if not NOTE_ID.fullmatch(note_id):
        abort(400, "A note id is 1 to 64 letters, digits, '-' or '_'.")
    return note_id


def read_document(media_type: str) -> Any:
    """Parse the body as JSON of ``media_type``: 415 for another type, 400 if malformed."""
    if g.get("form_override"):
        return {"text": request.form["text"]} if "text" in request.form else {}
    if request.mimetype != media_type:
        abort(415, f"Send the note as {media_type}, not {request.mimetype or 'no type'}.")
    try:
        return load_json(request.get_data())
    except ValueError as error:
        abort(400, f"The body is not valid JSON: {error}.")


def note_text(document: Any, required: bool) -> str | None:
    """Return the note's text from a JSON document, or None if optional and absent (422)."""
    if not isinstance(document, dict):
        abort(422, 'A note is a JSON object, such as {"text": "Buy milk"}.')
    unknown = sorted(document.keys() - READ_ONLY_FIELDS - {"text"})
    if unknown:
        abort(422, f"Unknown field {unknown[0]!r}: a note has a text and read-only metadata.")
    if "text" not in document:
        if required:
            abort(422, 'A note needs a "text" field.')
        return None
    text = document["text"]
    if not isinstance(text, str):
        abort(422, '"text" must be a string; a note cannot be without one.')
    if len(text) > MAX_TEXT_LENGTH:
        abort(
            422,
            f"A note's text can be at most {MAX_TEXT_LENGTH} characters; this one has {len(text)}.",
        )
    return text


def precondition() -> Precondition:
    """Read If-Match and If-None-Match, so writes can be made conditional (412)."""
    if "If-Match" not in request.headers:
        tags = None
    elif request.if_match.star_tag:
        tags = frozenset({"*"})
    else:  # strong comparison: weak tags never match
        tags = frozenset(f'"{tag}"' for tag in request.if_match.as_set())
    return Precondition(if_match=tags, if_none_match_any=request.if_none_match.star_tag)


def note_response(note: Note, status: HTTPStatus) -> ResponseReturnValue:
    """Answer with the note, its ETag and, when just created, its Location."""
    headers = {"ETag": note.etag}
    if status == HTTPStatus.CREATED:
        headers["Location"] = url_for(".get_note", note_id=note.id)
    return note.as_json(), status, headers
