"""The self-checks at the end of each lesson and of GET vs POST, and each lesson's warm-up.

Without JavaScript the form POSTs the answers here, and the answer is 303 See
Other to this same URL, whose GET shows the graded answers from the session
(Post/Redirect/Get: a reload shows them again and sends nothing), then new
questions to try. With JavaScript, the page sends the same POST asking for JSON
and shows the feedback in place.

The feedback explains the option chosen and points to the part of the lesson
that answers the question; it never shows which option was right, so a pass
cannot be copied from a wrong try. A retry asks variants the visitor has not
seen, and only a try right on fresh variants passes (self_checks.passes).
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from methodslab.methods import METHODS_BY_SLUG
from methodslab.pages import progress
from methodslab.pages.class_membership import record_self_check
from methodslab.self_checks import (
    GUIDE,
    SELF_CHECKS_BY_KEY,
    Drawn,
    Graded,
    SelfCheck,
    after_answer,
    arrange,
    draw,
    passes,
    read_token,
    token,
    warm_up_key,
)
from methodslab.web.request_info import wants_html

bp = Blueprint("self_check", __name__)

#: The largest self-check submission read, in bytes; a real one is under 400.
MAX_ANSWERS_BYTES = 4 * 1024
#: The form field that carries the draw's token.
DRAW = "draw"


@dataclass(frozen=True)
class Shown:
    """A draw as a page shows it: the questions, and the token its form sends back."""

    drawn: list[Drawn]
    token: str


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_ANSWERS_BYTES of a submission, before any hook reads the body."""
    request.max_content_length = MAX_ANSWERS_BYTES


def self_check_for(key: str) -> SelfCheck | None:
    """Return the self-check called ``key`` (a lesson's slug, get-vs-post, or a warm-up)."""
    return SELF_CHECKS_BY_KEY.get(key)


def warm_up_for(slug: str) -> SelfCheck | None:
    """Return the warm-up that opens lesson ``slug``, if it has one."""
    return SELF_CHECKS_BY_KEY.get(warm_up_key(slug))


def self_check_url(key: str) -> str:
    """Return the URL that grades (POST) and shows (GET) self-check ``key``."""
    check = SELF_CHECKS_BY_KEY[key]
    if check.warm_up:
        return url_for("self_check.warm_up", slug=check.page)
    if key == GUIDE:
        return url_for("self_check.guide")
    return url_for("self_check.lesson", slug=key)


def hint_url(item: Drawn) -> str:
    """Return the link to the part of its page that answers ``item``'s question."""
    page, anchor = item.concept.hint(item.question)
    return page_of(page)[0] + f"#{anchor}"


def hint_page_name(item: Drawn) -> str:
    """Return the name of the page that answers ``item``'s question."""
    return page_of(item.concept.hint(item.question)[0])[1]


def questions_for(check: SelfCheck) -> Shown:
    """Return the questions this visitor is asked now: their own, or the shared ones.

    A visitor who keeps no progress sees the shared draw, the same on every page
    (the lessons are cached for all of them); nothing of anyone's session reaches it.
    """
    visitor = progress.current_progress()
    if visitor is None:
        return Shown(draw(check), token(draw(check), None))
    attempt = visitor.tries.get(check.key, 0)
    drawn = draw(check, visitor.seed, attempt, visitor.concepts)
    return Shown(drawn, token(drawn, attempt))


def page_of(key: str) -> tuple[str, str]:
    """Return the URL and name of the page ``key`` (a lesson's slug or GUIDE)."""
    if key == GUIDE:
        return url_for("guides.get_vs_post"), "GET vs POST in forms"
    return url_for("lessons.lesson", slug=key), f"the {key.upper()} lesson"


@bp.route("/methods/<slug>/self-check", methods=["GET", "POST"])
def lesson(slug: str) -> ResponseReturnValue:
    """Grade (POST) or show (GET) the self-check of lesson ``slug``."""
    if slug not in METHODS_BY_SLUG:
        abort(404, f"There is no lesson called {slug!r}, so no self-check either.")
    return self_check(SELF_CHECKS_BY_KEY[slug])


@bp.route("/methods/<slug>/warm-up", methods=["GET", "POST"])
def warm_up(slug: str) -> ResponseReturnValue:
    """Grade (POST) or show (GET) the warm-up that opens lesson ``slug``."""
    check = SELF_CHECKS_BY_KEY.get(warm_up_key(slug))
    if check is None:
        abort(404, f"There is no lesson called {slug!r} with a warm-up (the first has none).")
    return self_check(check)


@bp.route("/get-vs-post/self-check", methods=["GET", "POST"])
def guide() -> ResponseReturnValue:
    """Grade (POST) or show (GET) the self-check of GET vs POST."""
    return self_check(SELF_CHECKS_BY_KEY[GUIDE])


def self_check(check: SelfCheck) -> ResponseReturnValue:
    """Grade the answers sent, or show the last graded ones and new questions."""
    if request.method != "POST":  # GET, or the HEAD Flask answers as GET
        return progress.personal_page(render_page(check, stored_answers(check)))
    progress.refuse_cross_site()
    shown = read_draw(check, request.form.get(DRAW, ""))
    if shown is None:
        problem = (
            "These answers do not match the questions this page asks. Reload the page "
            "and answer the questions it shows."
        )
        if not wants_html():
            abort(400, problem)
        return render_page(check, [], problem), 400
    answers, problem = read_answers(shown.drawn, request.form)
    if problem:
        if not wants_html():
            abort(400, problem)
        picked = {name: request.form[name] for name in request.form if name != DRAW}
        return render_page(check, [], problem, shown, picked), 400
    graded = grade(check, shown, answers)
    passed = passes(check, graded)
    if not wants_html():
        return as_json(check, graded, passed)
    # RFC 9110 §15.4.4: see the result with a GET; a reload repeats only that GET.
    return redirect(self_check_url(check.key), HTTPStatus.SEE_OTHER)


def grade(check: SelfCheck, shown: Shown, answers: list[str]) -> list[Graded]:
    """Grade ``answers`` to the questions ``shown``; keep them and the records they change."""
    visitor = progress.current_progress()
    records = dict(visitor.concepts) if visitor else {}
    graded = []
    for item, chosen in zip(shown.drawn, answers, strict=True):
        record = records.get(item.concept.key, 0)
        fresh = not record & 1 << item.variant
        graded.append(Graded(item, chosen, fresh))
        records[item.concept.key] = after_answer(
            record, item.concept, item.variant, chosen == item.question.right, fresh
        )
    passed = passes(check, graded)
    tries = (visitor.tries.get(check.key, 0) if visitor else 0) + 1
    asked = {item.concept.key: records[item.concept.key] for item in shown.drawn}
    progress.record_result(check.key, None if check.warm_up else passed, asked, tries)
    record_self_check(check.key, graded, None if check.warm_up else passed, tries)
    if not check.warm_up and check.key in METHODS_BY_SLUG:
        progress.record_visit(check.key)
    fresh_marks = "".join("1" if item.fresh else "0" for item in graded)
    session[progress.ANSWERS] = {
        **session.get(progress.ANSWERS, {}),
        check.key: [shown.token, answers, fresh_marks],
    }
    return graded


def read_draw(check: SelfCheck, text: str) -> Shown | None:
    """Return the questions a form's token names, in the order that visitor was shown them."""
    read = read_token(check, text)
    if read is None:
        return None
    attempt, picks = read
    visitor = progress.current_progress()
    if attempt is not None and visitor is None:
        return None  # a visitor's own draw, from a visitor who has none
    seed = None if attempt is None or visitor is None else visitor.seed
    drawn = arrange(picks, seed)
    return Shown(drawn, token(drawn, attempt))


def read_answers(drawn: list[Drawn], form: MultiDict[str, str]) -> tuple[list[str], str]:
    """Return the option chosen for each question, and what is wrong with the form if anything."""
    by_name = {item.concept.key: item for item in drawn}
    for name in form:
        if name != DRAW and name not in by_name:
            return [], f"This self-check has no question called {name!r}."
    answers = []
    missing = []
    for number, item in enumerate(drawn, 1):
        values = form.getlist(item.concept.key)
        if not values:
            missing.append(str(number))
            continue
        if len(values) != 1:
            return [], f"Question {number} was answered more than once."
        if item.question.option(values[0]) is None:
            keys = ", ".join(option.key for option in item.options)
            return [], f"Question {number} has no option {values[0]!r}: its options are {keys}."
        answers.append(values[0])
    if missing:
        return answers, f"Please answer every question: {', '.join(missing)} had no answer."
    return answers, ""


def stored_answers(check: SelfCheck) -> list[Graded]:
    """Return the visitor's last graded answers, or none if they have none (still valid)."""
    kept = session.get(progress.ANSWERS, {}).get(check.key)
    if not (isinstance(kept, list) and len(kept) == 3 and isinstance(kept[0], str)):
        return []
    shown = read_draw(check, kept[0])
    answers, fresh = kept[1], kept[2]
    if shown is None or not isinstance(answers, list) or len(answers) != len(shown.drawn):
        return []
    pairs = zip(shown.drawn, answers, strict=True)
    form = MultiDict({item.concept.key: str(answer) for item, answer in pairs})
    chosen, problem = read_answers(shown.drawn, form)
    if problem or not isinstance(fresh, str) or len(fresh) != len(chosen):  # changed since
        return []
    return [
        Graded(item, answer, mark == "1")
        for item, answer, mark in zip(shown.drawn, chosen, fresh, strict=True)
    ]


def render_page(
    check: SelfCheck,
    graded: list[Graded],
    problem: str = "",
    shown: Shown | None = None,
    picked: dict[str, str] | None = None,
) -> str:
    """Render the self-check's own page: the last graded answers, then questions to answer."""
    page_url, page_name = page_of(check.page)
    return render_template(
        "self_check.html",
        check=check,
        graded=graded,
        passed=passes(check, graded) if graded else False,
        shown=shown or questions_for(check),
        picked=picked or {},
        problem=problem,
        page_url=page_url,
        page_name=page_name,
        following=next_step(check),
    )


def next_step(check: SelfCheck) -> dict[str, str] | None:
    """Return where a lesson's self-check leads: the next lesson, after the last the summary."""
    if check.page not in METHODS_BY_SLUG or check.warm_up:
        return None
    step = progress.neighbours(check.page)[1]
    if step is None:
        return None
    label = "Go to the summary" if step is progress.SUMMARY else f"Next lesson: {step.name}"
    return {"url": step.url, "name": step.name, "label": label}


def as_json(check: SelfCheck, graded: list[Graded], passed: bool) -> dict[str, Any]:
    """Return the grading for a script to show in place: never which option was right."""
    return {
        "check": check.key,
        "right": sum(item.correct for item in graded),
        "total": len(graded),
        "passed": passed,
        "warm_up": check.warm_up,
        "retry": self_check_url(check.key),
        "next": next_step(check),
        "questions": [
            {
                "question": item.drawn.concept.key,
                "chosen": item.chosen,
                "correct": item.correct,
                "fresh": item.fresh,
                "why": item.why,
                "hint": hint_url(item.drawn),
                "hint_page": hint_page_name(item.drawn),
            }
            for item in graded
        ],
    }
