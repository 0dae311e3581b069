"""The notes API: each visitor's own small collection, to PUT, PATCH and DELETE for real."""

import hmac
import ipaddress
import json
import re
import secrets
from functools import lru_cache, partial
from http import HTTPStatus
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from werkzeug.http import http_date

from methodslab.notes.patching import (
    Operation,
    apply_json_patch,
    apply_merge_patch,
    parse_json_patch,
    refuse_read_only,
)
from methodslab.notes.store import (
    FAILED_PRECONDITIONS,
    MAX_NOTES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TEXT_LENGTH,
    Content,
    Note,
    NoteStore,
    NoteStoreError,
)
from methodslab.web.caching import add_cache_directives
from methodslab.web.conditions import Conditions, request_conditions
from methodslab.web.errors import render_http_error
from methodslab.web.json_bounds import load_json
from methodslab.web.reason_phrases import REASON_PHRASES

bp = Blueprint("notes", __name__, url_prefix="/api/notes")

#: The largest request body the notes API reads, in bytes; larger ones get 413.
MAX_API_BODY_BYTES = 16 * 1024
NOTE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
#: The patch formats PATCH takes, as Accept-Patch lists them (RFC 5789 §3.1).
PATCH_FORMATS = (MERGE_PATCH, JSON_PATCH)
READ_ONLY_FIELDS = {"id", "created", "updated", "version"}
#: What a client may write; the rest of a note is metadata the server keeps.
WRITABLE_FIELDS = ("text", "tags")
LIMITS = {
    "notes": MAX_NOTES,
    "text_characters": MAX_TEXT_LENGTH,
    "tags": MAX_TAGS,
    "tag_characters": MAX_TAG_LENGTH,
    "body_bytes": MAX_API_BODY_BYTES,
}


def store() -> NoteStore:
    """Return the app's note store."""
    notes: NoteStore = current_app.extensions["notes"]
    return notes


def current_sandbox() -> str | None:
    """Return the visitor's sandbox id, from their signed cookie, or None if they have none."""
    sandbox: str | None = session.get("sandbox")
    return sandbox


def sandbox_for_writing() -> str:
    """Return the visitor's sandbox id, giving them one in their cookie if they have none."""
    if "sandbox" not in session:
        session["sandbox"] = secrets.token_urlsafe(16)
        session.permanent = True
    sandbox: str = session["sandbox"]
    return sandbox


def client_network() -> str:
    """Return the network a request comes from, which pays for the sandboxes it makes."""
    # remote_addr is the forwarded client's address only when FLASK_PROXY_FIX_HOPS says so.
    return network_of(request.remote_addr or "")


@lru_cache(maxsize=4096)  # one client sends many requests: parse its address once
def network_of(address: str) -> str:
    """Return the network ``address`` counts in, for the sandboxes it makes.

    An IPv4 address is one network; an IPv6 address counts as its /64, the
    smallest block one link gets (RFC 4291 §2.5.4: the last 64 bits name a
    device on it), or anyone could pick a new address for every request.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_API_BODY_BYTES of any request to the API."""
    # Flask runs URL value preprocessors before every before_request hook, so the
    # limit is set before any of the site's checks reads a body under the larger one.
    request.max_content_length = MAX_API_BODY_BYTES


@bp.after_request
def keep_out_of_every_cache(response: Response) -> Response:
    """Let no cache store a visitor's own notes, not even the browser's (RFC 9111 §5.2.2.5)."""
    # Notes would linger on a shared computer's disk. no-store alone says it; a
    # "private" beside it would add nothing. A client that keeps a note itself may
    # still revalidate it with If-None-Match (304). Pages that show the notes are
    # personal pages (pages/progress.py: personal_page), kept by the browser alone.
    add_cache_directives(response, no_store=True)
    return response


@bp.after_request
def advertise_patch_format(response: Any) -> Any:
    """Tell clients which patch formats PATCH takes, on the URLs that take PATCH only."""
    # RFC 5789 §3.1: Accept-Patch implies that PATCH is allowed on the resource, so
    # the collection, which answers PATCH with 405, must not carry it. Each method
    # of a note's URL is a rule of its own, so the URL is known by its note id.
    if "note_id" in (request.view_args or {}):
        response.headers["Accept-Patch"] = ", ".join(PATCH_FORMATS)
    return response


@bp.errorhandler(NoteStoreError)
def refused(error: NoteStoreError) -> Response:
    """Answer a refused change with its status, reason and, if known, when to retry."""
    response = current_app.make_response(
        render_http_error(default_exceptions[error.status](description=str(error)))
    )
    if error.retry_after is not None:  # RFC 6585 §4, RFC 9110 §10.2.3
        response.retry_after = error.retry_after
    return response


@bp.get("")
def list_notes() -> ResponseReturnValue:
    """List the visitor's notes, oldest first."""
    visitor = current_sandbox()
    notes = store().list(visitor) if visitor else []
    return {"notes": [note.as_json() for note in notes], "count": len(notes), "limits": LIMITS}


@bp.delete("")
def clear_notes() -> ResponseReturnValue:
    """Empty the visitor's sandbox: 204 No Content, however many notes it held."""
    # Idempotent like any DELETE (RFC 9110 §9.2.2): a second one finds nothing and
    # leaves the same empty collection. A page on another site cannot send it: DELETE
    # needs a CORS preflight, which this API never grants (Fetch Standard).
    visitor = current_sandbox()
    if visitor:
        store().clear(visitor)
    return "", HTTPStatus.NO_CONTENT


@bp.post("")
def post_to_collection() -> ResponseReturnValue:
    """Create a note from JSON; from an HTML form with _method=DELETE, empty the sandbox."""
    if "_method" in request.form:
        return overridden(FORM_COLLECTION_METHODS, "/api/notes")
    return create_note()


def create_note() -> ResponseReturnValue:
    """Create a note under an id the server chooses: 201 Created, with its Location."""
    content = note_content(read_document(JSON))
    note = None
    while note is None:  # a fresh random id is all but certain to be free
        note = store().create(
            sandbox_for_writing(),
            secrets.token_hex(4),
            content.text,
            network=client_network(),
            tags=content.tags,
        )
    return note_response(note, HTTPStatus.CREATED)


@bp.get("/<rest:note_id>")
def get_note(note_id: str) -> ResponseReturnValue:
    """Read one note: 304 or 412 when a precondition fails; 404 if there is no such note."""
    note = store().get(current_sandbox() or "", valid_note_id(note_id))
    if note is None:  # whatever the preconditions say (RFC 9110 §13.2.1)
        abort(404, f"You have no note called {note_id!r}.")
    failure = precondition().failure(note.validators)
    if failure is not None and failure.status == HTTPStatus.NOT_MODIFIED:
        # RFC 9110 §15.4.5: no content, and the ETag a 200 would have carried.
        return "", HTTPStatus.NOT_MODIFIED, {"ETag": note.etag}
    if failure is not None:
        abort(412, FAILED_PRECONDITIONS[failure.field])
    return note_response(note, HTTPStatus.OK)


@bp.put("/<rest:note_id>")
def put_note(note_id: str) -> ResponseReturnValue:
    """Create the note or replace it whole: 201 if it was created, 200 if replaced."""
    content = note_content(read_document(JSON))
    note, created = store().put(
        sandbox_for_writing(),
        valid_note_id(note_id),
        content.text,
        precondition(),
        client_network(),
        tags=content.tags,
    )
    # No validators: the note stored is more than the text sent, so ETag and
    # Last-Modified would claim otherwise (RFC 9110 §9.3.4); a GET gives them.
    return note_response(note, HTTPStatus.CREATED if created else HTTPStatus.OK, validators=False)


@bp.patch("/<rest:note_id>")
def patch_note(note_id: str) -> ResponseReturnValue:
    """Apply a JSON Merge Patch or a JSON Patch, whole or not at all; 404 if there is no note."""
    document = read_document(*PATCH_FORMATS)
    # What is wrong whatever the note's state is refused here, before any database work.
    if g.get("form_override") or request.mimetype == MERGE_PATCH:
        change = partial(merged, fields=note_fields(document))
    else:
        operations = parse_json_patch(document)
        refuse_read_only(operations, WRITABLE_FIELDS)
        change = partial(patched, operations=operations)
    # The store applies the change to the note as it is inside its transaction, so
    # a "test" sees the state the result is written over (RFC 5789 §2: atomic).
    note = store().patch(current_sandbox() or "", valid_note_id(note_id), change, precondition())
    if note is None:
        abort(404, f"You have no note called {note_id!r} to patch; PUT creates one.")
    return note_response(note, HTTPStatus.OK)


@bp.delete("/<rest:note_id>")
def delete_note(note_id: str) -> ResponseReturnValue:
    """Delete the note: 204 No Content, or 404 when it is already gone."""
    if not store().delete(current_sandbox() or "", valid_note_id(note_id), precondition()):
        abort(404, f"You have no note called {note_id!r}: nothing to delete.")
    return "", HTTPStatus.NO_CONTENT


FORM_METHODS = {"PUT": put_note, "PATCH": patch_note, "DELETE": delete_note}
FORM_COLLECTION_METHODS = {"DELETE": clear_notes}


@bp.post("/<rest:note_id>")
def form_override(note_id: str) -> ResponseReturnValue:
    """Let an HTML form PUT, PATCH or DELETE: a POST with a _method field and a CSRF token."""
    return overridden(FORM_METHODS, f"/api/notes/{note_id}", note_id=note_id)


def overridden(views: dict[str, Any], path: str, **arguments: str) -> ResponseReturnValue:
    """Carry out a form's _method on ``path`` if its CSRF token is right; 303 to the lesson."""
    view = views.get(request.form.get("_method", "").upper())
    if view is None:
        abort(
            400,
            f"POST to {path} from a form needs a _method field of "
            f"{' or '.join(views)}. To create a note with a name the server chooses, "
            "POST JSON to /api/notes.",
        )
    check_form_token()
    g.form_override = True
    try:
        status, detail = HTTPStatus(current_app.make_response(view(**arguments)).status_code), ""
    except HTTPException as error:
        status, detail = HTTPStatus(error.code or 400), f": {error.description}"
    except NoteStoreError as error:
        status, detail = HTTPStatus(error.status), f": {error}"
    method = request.form["_method"].upper()
    # Shown where the form was: the Try it panel, or the sandbox's notes.
    back = "try-it" if request.form.get("back") == "try-it" else "your-notes"
    flash(
        f"{method} {path} → {status.value} {REASON_PHRASES[status.value]}{detail}",
        "try-it" if back == "try-it" else "message",
    )
    return redirect(lesson_to_return_to(back), HTTPStatus.SEE_OTHER)


def check_form_token() -> None:
    """Refuse (403) a form sent without the visitor's sandbox cookie or form token."""
    expected = session.get("csrf")
    if not expected or "sandbox" not in session:
        # No cookie came: a form on another site (the SameSite=Lax cookie is not
        # sent with its POST), or cookies are off. Such a form must not get a
        # sandbox of its own either, or it could swap the visitor's cookie for its own.
        abort(
            403,
            "This form came without your sandbox cookie, so it cannot change your notes. "
            "Open the lesson on this site, with cookies allowed, and send the form from there.",
        )
    # As bytes: compare_digest refuses str with non-ASCII characters.
    if not hmac.compare_digest(request.form.get("_csrf", "").encode(), expected.encode()):
        abort(
            403,
            "This form's security token is missing or out of date: reload the page "
            "and send it again.",
        )


def lesson_to_return_to(anchor: str) -> str:
    """Return the part of the lesson the form came from; only lessons, so no open redirect."""
    slug = request.form.get("lesson", "")
    if slug not in current_app.config["NOTES_FORM_LESSONS"]:  # create_app names them
        slug = "put"
    # Back to the form's part, not the top of the page: the fragment in Location is
    # kept by the browser (RFC 9110 §10.2.2).
    return url_for("lessons.lesson", slug=slug, _anchor=anchor)


def csrf_token() -> str:
    """Return the visitor's CSRF token for method-override forms, creating it once.

    The sandbox id comes with it, so that a form never has to make one.
    """
    sandbox_for_writing()
    token: str = session.setdefault("csrf", secrets.token_urlsafe(32))
    return token


def valid_note_id(note_id: str) -> str:
    """Refuse ids other than 1 to 64 letters, digits, - and _ (400)."""
    if not NOTE_ID.fullmatch(note_id):
        abort(400, "A note id is 1 to 64 letters, digits, '-' or '_'.")
    return note_id


def read_document(*media_types: str) -> Any:
    """Parse the body as JSON of one of ``media_types``: 415 for another type, 400 if malformed."""
    if g.get("form_override"):
        return {"text": request.form["text"]} if "text" in request.form else {}
    if request.mimetype not in media_types:
        what = "the note" if media_types == (JSON,) else "the patch"
        abort(
            415,
            f"Send {what} as {' or '.join(media_types)}, not {request.mimetype or 'no type'}.",
        )
    try:
        return load_json(request.get_data())
    except ValueError as error:
        abort(400, f"The body is not valid JSON: {error}.")


def note_content(document: Any) -> Content:
    """Return the note a PUT or POST body gives: a text, and tags or none (422 if invalid)."""
    fields = note_fields(document)
    if "text" not in fields:
        abort(422, 'A note needs a "text" field.')
    return checked_content(fields["text"], fields.get("tags", []))


def note_fields(document: Any) -> dict[str, Any]:
    """Return the writable fields a JSON object gives, refusing unknown ones (422).

    Read-only metadata is accepted and ignored, so a client may send back a note
    as a GET gave it, as a PUT body or as a merge patch.
    """
    if not isinstance(document, dict):
        # RFC 7396 §2: a merge patch that is not an object would replace the
        # whole note with it, leaving no note: 422, as for any invalid result.
        abort(422, 'A note is a JSON object, such as {"text": "Buy milk", "tags": ["home"]}.')
    unknown = sorted(document.keys() - READ_ONLY_FIELDS - set(WRITABLE_FIELDS))
    if unknown:
        abort(
            422,
            f"Unknown field {unknown[0]!r}: a note has a text, tags and read-only metadata.",
        )
    return {name: document[name] for name in WRITABLE_FIELDS if name in document}


def checked_content(text: Any, tags: Any) -> Content:
    """Return the text and tags as a note's content, if they make a valid note (else 422)."""
    if not isinstance(text, str):
        abort(422, '"text" must be a string; a note cannot be without one.')
    if len(text) > MAX_TEXT_LENGTH:
        abort(
            422,
            f"A note's text can be at most {MAX_TEXT_LENGTH} characters; this one has {len(text)}.",
        )
    if not isinstance(tags, list):
        abort(422, '"tags" must be an array of strings, such as ["home"], or [] for none.')
    if len(tags) > MAX_TAGS:
        abort(422, f"A note can have at most {MAX_TAGS} tags; this one would have {len(tags)}.")
    for tag in tags:
        if not isinstance(tag, str) or not 1 <= len(tag) <= MAX_TAG_LENGTH:
            abort(
                422,
                f"Each tag is a string of 1 to {MAX_TAG_LENGTH} characters; "
                f"{json.dumps(tag)[:40]} is not.",
            )
    return Content(text, tuple(tags))


def merged(note: Note, fields: dict[str, Any]) -> Content:
    """Apply a merge patch's writable fields to the note (RFC 7396), checking the result."""
    result = apply_merge_patch({"text": note.text, "tags": list(note.tags)}, fields)
    if "text" not in result:
        abort(422, '"text": null would remove the text, and a note cannot be without one.')
    if "tags" not in result:
        abort(422, '"tags": null would remove the tags; send [] for a note without tags.')
    return checked_content(result["text"], result["tags"])


def patched(note: Note, operations: list[Operation]) -> Content:
    """Apply a JSON Patch's operations to the note (RFC 6902), checking the result."""
    # The whole note, metadata included, so that a "test" can read /version; only
    # /text and /tags can change (refuse_read_only saw to it).
    result = apply_json_patch(note.as_json(), operations)
    if "text" not in result:
        abort(422, "The patch removes /text, and a note cannot be without one.")
    if "tags" not in result:
        abort(422, "The patch removes /tags; replace them with [] for a note without tags.")
    return checked_content(result["text"], result["tags"])


def precondition() -> Conditions:
    """Read the request's preconditions (RFC 9110 §13.1); the store checks a write's."""
    return request_conditions(request)


def note_response(
    note: Note, status: HTTPStatus, *, validators: bool = True
) -> ResponseReturnValue:
    """Answer with the note, its ETag and Last-Modified if ``validators``, and any Location."""
    headers = (
        {"ETag": note.etag, "Last-Modified": http_date(note.last_modified)} if validators else {}
    )
    if status == HTTPStatus.CREATED:
        headers["Location"] = url_for(".get_note", note_id=note.id)
    return note.as_json(), status, headers
