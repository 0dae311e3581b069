"""The end of the path: a mixed challenge, a mastery grid, and a result a teacher can verify.

The challenge is a self-check of ten questions, each on another concept of any
lesson (self_checks.challenge), drawn, graded and remembered as every self-check
is (pages/grading.py): weighted to what this visitor missed, options in their
own order, never the right option revealed. Without JavaScript its form POSTs
here, and the answer is 303 See Other to the page that shows the result
(Post/Redirect/Get). The grid shows every concept at the level the visitor's
answers reached (self_checks.mastery).

The printable result carries a code: what it certifies, signed by the server
with the app's secret key (itsdangerous, as Flask signs its session), so a teacher
can paste it into /verify and see it, and a changed code is refused. No accounts.
"""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from methodslab.pages import grading, progress
from methodslab.self_checks import CONCEPTS_BY_KEY, Concept, Graded, challenge, mastery

bp = Blueprint("summary", __name__)

CHALLENGE_SIZE = 10
CHALLENGE = challenge("summary", "Summary challenge", "summary", CHALLENGE_SIZE)
# The session key holding the name to print on the last result; its form field.
NAME = "summary_name"
NAME_FIELD = "name"
MAX_NAME_LENGTH = 60
#: The largest submission read, in bytes; a real one is under 1,000.
MAX_FORM_BYTES = 4 * 1024
# A result code is about 400 characters; anything far longer is not one.
MAX_CODE_LENGTH = 2000
# Keeps result codes apart from every other thing the app signs with its key (the session).
RESULT_SALT = "methodslab.summary.result"


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_FORM_BYTES of a submission, before any hook reads the body."""
    request.max_content_length = MAX_FORM_BYTES


@bp.get("/summary")
def index() -> ResponseReturnValue:
    """Show the challenge, or the result of the last one, beside the mastery grid."""
    graded = grading.stored_answers(CHALLENGE)
    name = session.get(NAME)
    name = name if isinstance(name, str) and graded else ""
    return progress.personal_page(render_page(graded, name=name))


@bp.post("/summary")
def grade() -> ResponseReturnValue:
    """Grade the challenge sent, keep the answers, and show the result (303)."""
    progress.refuse_cross_site()
    shown = grading.read_draw(CHALLENGE, request.form.get(grading.DRAW, ""))
    if shown is None:
        abort(400, "The challenge's questions are missing or changed: load the summary again.")
    choices = MultiDict(
        [(key, value) for key, value in request.form.items(multi=True) if key != NAME_FIELD]
    )
    answers, problem = grading.read_answers(shown.drawn, choices)
    name, name_problem = read_name(request.form.get(NAME_FIELD, ""))
    if problem or name_problem:
        picked = {key: choices[key] for key in choices if key != grading.DRAW}
        html = render_page(
            [], problem=problem or name_problem, shown=shown, picked=picked, name=name
        )
        return progress.personal_page(html), HTTPStatus.BAD_REQUEST
    grading.grade(CHALLENGE, shown, answers)
    session[NAME] = name
    # RFC 9110 §15.4.4: see the result with a GET; a reload repeats only that GET.
    return redirect(url_for(".index"), HTTPStatus.SEE_OTHER)


@bp.post("/summary/new")
def new_challenge() -> ResponseReturnValue:
    """Forget the last challenge's answers, so the page asks new questions (303)."""
    progress.refuse_cross_site()
    answers = session.get(progress.ANSWERS)
    if isinstance(answers, dict) and CHALLENGE.key in answers:
        session[progress.ANSWERS] = {k: v for k, v in answers.items() if k != CHALLENGE.key}
    session.pop(NAME, None)
    return redirect(url_for(".index"), HTTPStatus.SEE_OTHER)


def read_name(value: str) -> tuple[str, str]:
    """Return the name to print on the result (may be blank), and what is wrong with it."""
    name = " ".join(value.split())
    if len(name) > MAX_NAME_LENGTH:
        return name[:MAX_NAME_LENGTH], f"Please keep the name to {MAX_NAME_LENGTH} characters."
    if not name.isprintable():
        return "", "The name holds characters that cannot be printed."
    return name, ""


def grid() -> list[tuple[Concept, str]]:
    """Return every concept with the level this visitor's answers reached."""
    visitor = progress.current_progress()
    return mastery(visitor.concepts if visitor else {})


def result_code(graded: list[Graded], name: str) -> str:
    """Return the signed code that certifies this result: each concept asked, right or not."""
    certified = {
        "name": name,
        "right": sum(item.correct for item in graded),
        "asked": len(graded),
        "concepts": [[item.drawn.concept.key, item.correct] for item in graded],
    }
    return result_signer().dumps(certified)


def result_signer() -> URLSafeTimedSerializer:
    """Return the signer of result codes: the app's key signs, older keys still verify."""
    fallbacks = current_app.config.get("SECRET_KEY_FALLBACKS") or []
    keys = [*fallbacks, current_app.secret_key]  # the last signs (itsdangerous)
    return URLSafeTimedSerializer(keys, salt=RESULT_SALT)


def concept_page(concept: Concept) -> tuple[str, str]:
    """Return the URL and name of the page that teaches ``concept``."""
    return grading.page_of(concept.page)


def render_page(
    graded: list[Graded],
    *,
    problem: str = "",
    shown: grading.Shown | None = None,
    picked: dict[str, str] | None = None,
    name: str = "",
) -> str:
    """Render the summary: the challenge (or its result) and the mastery grid."""
    return render_template(
        "summary.html",
        check=CHALLENGE,
        shown=shown or (None if graded else grading.questions_for(CHALLENGE)),
        graded=graded,
        right=sum(item.correct for item in graded),
        rows=grid(),
        code=result_code(graded, name) if graded else "",
        name=name,
        problem=problem,
        picked=picked or {},
        today=datetime.now(UTC).date(),
        max_name_length=MAX_NAME_LENGTH,
        previous=progress.PATH[-1],
    )


@bp.get("/verify")
def verify() -> ResponseReturnValue:
    """Show what a result code certifies, or say plainly why it certifies nothing (400)."""
    code = "".join(request.args.get("code", "").split())  # pasted with line breaks, perhaps
    if not code:
        return render_template("verify.html", code="", certified=None)
    try:
        if len(code) > MAX_CODE_LENGTH:
            raise BadSignature("too long")
        certified, signed_at = result_signer().loads(code, return_timestamp=True)
    except BadSignature:
        problem = (
            "This code is not one this site signed: it was changed, cut short or made "
            "elsewhere, so it certifies nothing. Ask for the printed result, or a new code."
        )
        return render_template("verify.html", code=code, certified=None, problem=problem), 400
    rows = [
        (CONCEPTS_BY_KEY[key], correct)
        for key, correct in certified.get("concepts", [])
        if key in CONCEPTS_BY_KEY
    ]
    return render_template(
        "verify.html", code=code, certified=certified, rows=rows, signed_at=signed_at
    )
