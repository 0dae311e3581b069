"""The self-check at the end of each lesson and of GET vs POST, graded on the server.

Without JavaScript the form POSTs the answers here, and the answer is 303 See
Other to this same URL, whose GET shows the graded answers from the session
(Post/Redirect/Get: a reload shows them again and sends nothing). With
JavaScript, the page sends the same POST asking for JSON and shows the feedback
in place.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from methodslab.methods import METHODS, METHODS_BY_SLUG
from methodslab.pages import progress
from methodslab.self_checks import SELF_CHECKS_BY_KEY, Question, SelfCheck
from methodslab.web.request_info import wants_html

bp = Blueprint("self_check", __name__)

#: The largest self-check submission read, in bytes; a real one is under 300.
MAX_ANSWERS_BYTES = 4 * 1024
GUIDE = "get-vs-post"


@dataclass(frozen=True)
class Graded:
    """One question with the option chosen, and whether it was the right one."""

    question: Question
    chosen: str

    @property
    def correct(self) -> bool:
        """Return whether the chosen option is the right one."""
        return self.chosen == self.question.right


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_ANSWERS_BYTES of a submission, before any hook reads the body."""
    request.max_content_length = MAX_ANSWERS_BYTES


@bp.app_template_global()
def self_check_for(key: str) -> SelfCheck:
    """Return the self-check of the page ``key`` (a lesson's slug, or get-vs-post)."""
    return SELF_CHECKS_BY_KEY[key]


@bp.app_template_global()
def self_check_url(key: str) -> str:
    """Return the URL that grades (POST) and shows (GET) self-check ``key``."""
    if key == GUIDE:
        return url_for("self_check.guide")
    return url_for("self_check.lesson", slug=key)


def page_of(key: str) -> tuple[str, str]:
    """Return the URL and name of the page self-check ``key`` belongs to."""
    if key == GUIDE:
        return url_for("guides.get_vs_post"), "GET vs POST in forms"
    return url_for("lessons.lesson", slug=key), f"the {key.upper()} lesson"


@bp.route("/methods/<slug>/self-check", methods=["GET", "POST"])
def lesson(slug: str) -> ResponseReturnValue:
    """Grade (POST) or show (GET) the self-check of lesson ``slug``."""
    if slug not in METHODS_BY_SLUG:
        abort(404, f"There is no lesson called {slug!r}, so no self-check either.")
    return self_check(SELF_CHECKS_BY_KEY[slug])


@bp.route("/get-vs-post/self-check", methods=["GET", "POST"])
def guide() -> ResponseReturnValue:
    """Grade (POST) or show (GET) the self-check of GET vs POST."""
    return self_check(SELF_CHECKS_BY_KEY[GUIDE])


def self_check(check: SelfCheck) -> ResponseReturnValue:
    """Grade the answers sent, or show the last graded ones."""
    if request.method != "POST":  # GET, or the HEAD Flask answers as GET
        return progress.personal_page(render_page(check, stored_answers(check)))
    progress.refuse_cross_site()
    answers, problem = read_answers(check, request.form)
    if problem:
        if not wants_html():
            abort(400, problem)
        return render_page(check, [], problem, answers), 400
    graded = [Graded(question, answers[question.key]) for question in check.questions]
    session[progress.ANSWERS] = {**session.get(progress.ANSWERS, {}), check.key: answers}
    passed = all(item.correct for item in graded)
    progress.record_result(check.key, passed)
    if check.key in METHODS_BY_SLUG:
        progress.record_visit(check.key)
    if not wants_html():
        return as_json(check, graded)
    # RFC 9110 §15.4.4: see the result with a GET; a reload repeats only that GET.
    return redirect(self_check_url(check.key), HTTPStatus.SEE_OTHER)


def read_answers(check: SelfCheck, form: MultiDict[str, str]) -> tuple[dict[str, str], str]:
    """Return the option chosen for each question, and what is wrong with the form if anything."""
    answers: dict[str, str] = {}
    for name in form:
        question = check.question(name)
        values = form.getlist(name)
        if question is None:
            return answers, f"This self-check has no question called {name!r}."
        if len(values) != 1:
            return answers, f"Question {number(check, question)} was answered more than once."
        if question.option(values[0]) is None:
            return answers, (
                f"Question {number(check, question)} has no option {values[0]!r}: "
                f"its options are {', '.join(option.key for option in question.options)}."
            )
        answers[name] = values[0]
    missing = [str(number(check, q)) for q in check.questions if q.key not in answers]
    if missing:
        which = ", ".join(missing)
        return answers, f"Please answer every question: {which} had no answer."
    return answers, ""


def number(check: SelfCheck, question: Question) -> int:
    """Return the question's number, as the page shows it."""
    return check.questions.index(question) + 1


def stored_answers(check: SelfCheck) -> list[Graded]:
    """Return the visitor's last graded answers, or none if they have none (still valid)."""
    kept = session.get(progress.ANSWERS, {}).get(check.key)
    if not isinstance(kept, dict):
        return []
    answers, problem = read_answers(check, MultiDict(kept))
    if problem:  # the questions changed since: start afresh
        return []
    return [Graded(question, answers[question.key]) for question in check.questions]


def render_page(
    check: SelfCheck, graded: list[Graded], problem: str = "", picked: dict[str, str] | None = None
) -> str:
    """Render the self-check's own page: the questions, graded if they were answered."""
    page_url, page_name = page_of(check.key)
    following = None
    if check.key in METHODS_BY_SLUG:
        index = METHODS.index(METHODS_BY_SLUG[check.key])
        following = METHODS[index + 1] if index + 1 < len(METHODS) else None
    return render_template(
        "self_check.html",
        check=check,
        graded=graded,
        picked=picked or {item.question.key: item.chosen for item in graded},
        problem=problem,
        page_url=page_url,
        page_name=page_name,
        following=following,
    )


def as_json(check: SelfCheck, graded: list[Graded]) -> dict[str, Any]:
    """Return the grading for a script to show in place."""
    return {
        "check": check.key,
        "right": sum(item.correct for item in graded),
        "total": len(graded),
        "passed": all(item.correct for item in graded),
        "questions": [
            {
                "question": item.question.key,
                "chosen": item.chosen,
                "right": item.question.right,
                "correct": item.correct,
                "why": {option.key: option.why for option in item.question.options},
            }
            for item in graded
        ],
    }
