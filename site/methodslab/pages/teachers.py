"""The page for teachers: objectives, a lesson plan, exercises, a printable quiz, set-up."""

from flask import Blueprint, Response, current_app, render_template

from methodslab.notes.store import IDLE_SECONDS, MAX_NOTES, NEW_SANDBOXES_PER_HOUR
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
        )
    )
