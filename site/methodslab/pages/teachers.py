"""The page for teachers: objectives, a lesson plan, exercises, a printable quiz, set-up."""

import random
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from methodslab.methods import Option
from methodslab.notes.store import IDLE_SECONDS, MAX_NOTES, NEW_SANDBOXES_PER_HOUR
from methodslab.pages.cors_lab import OPAQUE_ORIGIN, frame_url, partner_origin
from methodslab.self_checks import (
    CONCEPTS_BY_KEY,
    Question,
    balanced_positions,
    placed,
)
from methodslab.web.page_cache import cached_page

bp = Blueprint("teachers", __name__)

# The printable quiz: one question from most lessons, as (concept, variant) keys into the
# self-checks' pools (one source for both).
QUIZ = (
    ("get-safe", 0),
    ("head-headers", 0),
    ("post-redirect", 0),
    ("post-cacheable", 0),
    ("put-forms", 0),
    ("delete-idempotent", 0),
    ("patch-idempotent", 0),
    ("options-preflight", 0),
    ("form-sensitive", 0),
)
#: Two versions, so neighbours in a room do not share an order: B asks the questions in
#: reverse, and its right answers start one position further along.
VERSIONS = {"a": 0, "b": 1}
LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Printed:
    """A quiz question as one version prints it: its options in order, the right one's letter."""

    question: Question
    options: tuple[Option, ...]

    @property
    def letter(self) -> str:
        """Return the letter of the right option."""
        keys = [option.key for option in self.options]
        return LETTERS[keys.index(self.question.right)]

    @property
    def why(self) -> str:
        """Return why the right option is right."""
        return next(option.why for option in self.options if option.key == self.question.right)


def quiz(version: str = "a") -> list[Printed]:
    """Return the quiz as ``version`` prints it, its right answers spread over the letters."""
    offset = VERSIONS[version]
    questions = [CONCEPTS_BY_KEY[concept].variants[variant] for concept, variant in QUIZ]
    if offset:
        questions.reverse()
    positions = balanced_positions(questions, offset)
    # Spread, then shuffled among questions with as many options: no A B C A B C to spot.
    rng = random.Random(f"quiz-{version}")
    for size in {len(question.options) for question in questions}:
        same = [i for i, question in enumerate(questions) if len(question.options) == size]
        moved = [positions[i] for i in same]
        rng.shuffle(moved)
        for i, position in zip(same, moved, strict=True):
            positions[i] = position
    return [
        Printed(question, tuple(question.options[i] for i in placed(question, position)))
        for question, position in zip(questions, positions, strict=True)
    ]


def other_origin() -> dict[str, str]:
    """Return exercise 3's addresses: a note here, and a page of another origin that may call it.

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
            versions=VERSIONS,
            max_notes=MAX_NOTES,
            idle_days=IDLE_SECONDS // (24 * 3600),
            new_sandboxes_per_hour=current_app.config["NEW_SANDBOXES_PER_HOUR"],
            default_new_sandboxes_per_hour=NEW_SANDBOXES_PER_HOUR,
            **other_origin(),
        )
    )


@bp.get("/teachers/quiz/<version>")
def printed_quiz(version: str) -> Response:
    """Show version ``version`` of the quiz, to print for students."""
    return printed(version, answers=False)


@bp.get("/teachers/quiz/<version>/answers")
def answer_key(version: str) -> Response:
    """Show the answer key of version ``version`` of the quiz, to print for the teacher."""
    return printed(version, answers=True)


def printed(version: str, answers: bool) -> Response:
    """Render a version of the quiz or of its answer key: the same for every visitor."""
    if version not in VERSIONS:
        abort(404, f"The quiz has versions {' and '.join(v.upper() for v in VERSIONS)}.")
    return cached_page(
        lambda: render_template(
            "teachers_quiz.html", version=version, quiz=quiz(version), answers=answers
        )
    )
