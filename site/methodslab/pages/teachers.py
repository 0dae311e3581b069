"""The page for teachers: objectives, a lesson plan, exercises, a printable quiz, set-up."""

from flask import Blueprint, Response, current_app, render_template, request, url_for

from methodslab.notes.store import IDLE_SECONDS, MAX_NOTES, NEW_SANDBOXES_PER_HOUR
from methodslab.pages.cors_lab import OPAQUE_ORIGIN, frame_url, partner_origin
from methodslab.self_checks import SELF_CHECKS_BY_KEY, Question
from methodslab.web.page_cache import cached_page

bp = Blueprint("teachers", __name__)

# The printable quiz: one question from most self-checks, as (self-check, question) keys.
QUIZ = (
    ("get", "crawler"),
    ("head", "length"),
    ("post", "redirect"),
    ("post", "cached-post"),
    ("put", "form"),
    ("delete", "second"),
    ("patch", "json-patch"),
    ("options", "preflight"),
    ("get-vs-post", "lookup"),
)


def quiz() -> list[Question]:
    """Return the quiz's questions, taken from the self-checks (one source for both)."""
    questions = []
    for check, key in QUIZ:
        question = SELF_CHECKS_BY_KEY[check].question(key)
        if question is None:
            raise LookupError(f"{check}/{key} is not a self-check question")
        questions.append(question)
    return questions


def exercise_addresses() -> dict[str, str]:
    """Return the exercises' addresses: a note here, and a page of another origin that may call it.

    Every page of this site may connect only to itself (CSP ``connect-src 'self'``), so
    a fetch to another origin typed in its console is blocked before any preflight. The
    CORS lab's frame is the page of another origin that may connect to this one: this
    site under its other name, or a sandboxed document whose origin is opaque.
    """
    partner = partner_origin()
    return {
        "exercise_note": url_for("notes.put_note", note_id="exercise", _external=True),
        "other_page": frame_url() if partner else request.host_url.rstrip("/") + frame_url(),
        "other_origin": partner or OPAQUE_ORIGIN,
    }


@bp.get("/teachers")
def index() -> Response:
    """Show the page for teachers."""
    return cached_page(
        lambda: render_template(
            "teachers.html",
            quiz=quiz(),
            max_notes=MAX_NOTES,
            idle_days=IDLE_SECONDS // (24 * 3600),
            new_sandboxes_per_hour=current_app.config["NEW_SANDBOXES_PER_HOUR"],
            default_new_sandboxes_per_hour=NEW_SANDBOXES_PER_HOUR,
            **exercise_addresses(),
        )
    )
