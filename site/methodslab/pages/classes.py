"""Class mode: a teacher starts a class, students join it by code, a dashboard shows the class.

The teacher's link (/classes/<token>) is the only key to the dashboard: whoever
has it sees the class, exports it and may close it; the database keeps only its
SHA-256 (notes/classes.py). The dashboard's live part is polled with
If-None-Match and answered 304 from the class's version alone while nothing
changed (RFC 9110 §13.1.2, §15.4.5); without JavaScript a button reloads it.
"""

import csv
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, TooManyRequests

from methodslab.methods import METHODS, METHODS_BY_SLUG, Prediction
from methodslab.notes.api import client_network
from methodslab.notes.classes import (
    CLASS_DAYS,
    CLASSES_PER_DAY,
    CODE_LENGTH,
    FAILED_JOINS_PER_HOUR,
    MAX_NICKNAME_LENGTH,
    MAX_STUDENTS,
    ClassError,
    ClassRecords,
    normal_code,
)
from methodslab.pages import progress
from methodslab.pages.class_membership import (
    class_store,
    current_membership,
    keep_membership,
    record_for_class,
)
from methodslab.self_checks import CONCEPTS_BY_KEY, Question
from methodslab.web.caching import add_cache_directives
from methodslab.web.conditions import page_failure
from methodslab.web.json_bounds import load_json

bp = Blueprint("classes", __name__)

#: The largest body a class form or a prediction may have, in bytes; a real one is under 200.
MAX_BODY_BYTES = 4 * 1024

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: How often an open dashboard asks whether the class changed, in milliseconds.
POLL_MILLISECONDS = 3000


@dataclass(frozen=True)
class OptionShare:
    """One option of a question, and how many of the class's answers chose it."""

    text: str
    right: bool
    count: int
    share: int  # per cent


@dataclass(frozen=True)
class QuestionSplit:
    """A self-check question as the class answered it."""

    prompt: str
    answers: int
    right_first_try: int
    first_tries: int
    options: list[OptionShare]


@dataclass(frozen=True)
class PredictionSplit:
    """A lesson's prediction as the class made it: each student's first choice."""

    lesson: str
    question: str
    students: int
    options: list[OptionShare]


@dataclass(frozen=True)
class LessonRow:
    """One lesson: how many students visited it and passed its self-check."""

    step: progress.PathStep
    visited: int
    passed: int


@dataclass(frozen=True)
class StudentRow:
    """One student: their nickname, and per lesson "passed", "visited" or ""."""

    nickname: str
    marks: list[str]
    right: int
    answers: int


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows of a class."""

    records: ClassRecords
    lessons: list[LessonRow]
    questions: list[QuestionSplit]
    predictions: list[PredictionSplit]
    students: list[StudentRow]


@bp.url_value_preprocessor
def limit_body(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Read at most MAX_BODY_BYTES of a request, before any hook reads the body."""
    request.max_content_length = MAX_BODY_BYTES


def question_of(item: str) -> Question | None:
    """Return the question a record names ("concept:variant"), if the bank still has it."""
    concept_key, _, variant = item.partition(":")
    concept = CONCEPTS_BY_KEY.get(concept_key)
    if concept is None or not variant.isdigit() or int(variant) >= len(concept.variants):
        return None
    return concept.variants[int(variant)]


def predictions_of(slug: str) -> dict[str, Prediction]:
    """Return a lesson's predictions, by the name its page gives each (the radio group's)."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None:
        return {}
    named: dict[str, Prediction | None] = {"try": method.try_it.prediction}
    if method.contrast:  # two walkthroughs side by side (templates/methods/_sandbox.html)
        named |= {
            "walk-walkthrough-1": method.walkthrough.prediction if method.walkthrough else None,
            "walk-walkthrough-2": method.contrast.prediction,
        }
    elif method.walkthrough:
        named["walk"] = method.walkthrough.prediction
    return {name: prediction for name, prediction in named.items() if prediction}


def prediction_splits(records: ClassRecords) -> list[PredictionSplit]:
    """Count each student's first choice on each prediction, in the order of the lessons."""
    first: dict[tuple[str, str], str] = {}
    for choice in records.choices:
        if choice.kind == "prediction":
            first.setdefault((choice.item, choice.member), choice.choice)
    splits = []
    for method in METHODS:
        for name, prediction in predictions_of(method.slug).items():
            item = f"{method.slug}/{name}"
            chosen = Counter(value for (key, _), value in first.items() if key == item)
            total = sum(chosen.values())
            if not total:
                continue
            options = [
                OptionShare(
                    choice.text,
                    choice.key == prediction.answer,
                    chosen[str(index)],
                    round(100 * chosen[str(index)] / total),
                )
                for index, choice in enumerate(prediction.choices)
            ]
            splits.append(PredictionSplit(method.name, prediction.question, total, options))
    return splits


def dashboard(records: ClassRecords) -> Dashboard:
    """Count what the class did, per lesson, per question and per student."""
    ticks = Counter((kind, item) for _, kind, item in records.ticks)
    lessons = [
        LessonRow(step, ticks["visit", step.slug], ticks["pass", step.slug])
        for step in progress.PATH
    ]
    answers = [choice for choice in records.choices if choice.kind == "answer"]
    questions = []
    for item in dict.fromkeys(choice.item for choice in answers):  # in the order first answered
        question = question_of(item)
        if question is None:
            continue
        chosen = [choice for choice in answers if choice.item == item]
        counts = Counter(choice.choice for choice in chosen)
        first = [choice for choice in chosen if choice.first_try]
        questions.append(
            QuestionSplit(
                question.prompt,
                len(chosen),
                sum(choice.choice == question.right for choice in first),
                len(first),
                [
                    OptionShare(
                        option.text,
                        option.key == question.right,
                        counts[option.key],
                        round(100 * counts[option.key] / len(chosen)),
                    )
                    for option in question.options
                ],
            )
        )
    students = []
    for member, nickname in records.students:
        mine = [choice for choice in answers if choice.member == member]
        right = sum(
            (question := question_of(choice.item)) is not None and choice.choice == question.right
            for choice in mine
        )
        marks = [
            "passed"
            if (member, "pass", step.slug) in records.ticks
            else "visited"
            if (member, "visit", step.slug) in records.ticks
            else ""
            for step in progress.PATH
        ]
        students.append(StudentRow(nickname, marks, right, len(mine)))
    return Dashboard(records, lessons, questions, prediction_splits(records), students)


def display_code(code: str) -> str:
    """Return a join code as it is read aloud and written on a board: ABC-DEF."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def refused(error: ClassError) -> HTTPException:
    """Return the HTTP error for a refusal of the class store."""
    if error.status == 429:
        return TooManyRequests(str(error), retry_after=error.retry_after)
    exception = HTTPException(str(error))
    exception.code = error.status
    return exception


@bp.post("/classes")
def start() -> ResponseReturnValue:
    """Start a class, then show its dashboard: the teacher keeps that page's link."""
    progress.refuse_cross_site()
    try:
        started = class_store().start(client_network())
    except ClassError as error:
        raise refused(error) from None
    # 303: the dashboard is fetched with GET, so a reload does not start another class.
    return redirect(
        url_for("classes.teacher", token=started.teacher_token, new=1), HTTPStatus.SEE_OTHER
    )


def records_or_404(token: str) -> ClassRecords:
    """Return the class of the teacher link ``token``, or answer 404."""
    records = class_store().records(token) if len(token) <= 64 else None
    if records is None:
        abort(
            404,
            "No class has this teacher link. It may have been closed, or be over "
            f"{CLASS_DAYS} days old; start a new class on the teachers' page.",
        )
    return records


def teacher_page(body: str, etag: str | None = None, mimetype: str = "text/html") -> Response:
    """Answer with a page for the teacher alone, which no shared cache may keep.

    The link is the key: the dashboard's <meta name="referrer"> keeps it out of any
    Referer (the site's Referrer-Policy header would send it to this site's own pages).
    """
    response = Response(body, mimetype=mimetype)
    add_cache_directives(response, private=True, no_cache=True)
    response.headers["X-Robots-Tag"] = "noindex"
    if etag:  # weak: the same live part in every content-coding (RFC 9110 §8.8.1)
        response.set_etag(etag, weak=True)
    return response


@bp.get("/classes/<token>")
def teacher(token: str) -> Response:
    """Show the class's dashboard to whoever has the teacher link."""
    records = records_or_404(token)
    return teacher_page(
        render_template(
            "classes/dashboard.html",
            board=dashboard(records),
            code=display_code(records.code),
            token=token,
            new="new" in request.args,
            poll_milliseconds=POLL_MILLISECONDS,
            class_days=CLASS_DAYS,
        )
    )


@bp.get("/classes/<token>/live")
def live(token: str) -> Response:
    """Send the dashboard's live part, or 304 while the class's version is the one named.

    JSON, {"version": n, "html": the part as the page includes it}: a fragment of HTML is
    no document of its own, and the script puts it in place.
    """
    version = class_store().version(token) if len(token) <= 64 else None
    if version is None:
        abort(404, "No class has this teacher link: it was closed, or is over 30 days old.")
    etag = f"v{version}"
    failure = page_failure(request, etag)
    if failure is not None and failure.status == HTTPStatus.NOT_MODIFIED:
        response = teacher_page("", etag)
        response.status_code = HTTPStatus.NOT_MODIFIED
        return response
    records = records_or_404(token)
    html = render_template("classes/_live.html", board=dashboard(records))
    body = current_app.json.dumps({"version": records.version, "html": html})
    return teacher_page(body, f"v{records.version}", "application/json")


@bp.get("/classes/<token>/export.csv")
def export(token: str) -> Response:
    """Send everything the class holds as CSV: one row per thing a student did."""
    board = dashboard(records_or_404(token))
    records = board.records
    nicknames = dict(records.students)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nickname", "kind", "item", "choice", "right", "first try"])
    for member, kind, item in sorted(records.ticks, key=lambda tick: (tick[0], tick[1], tick[2])):
        writer.writerow(cells([nicknames.get(member, ""), kind, item, "", "", ""]))
    for choice in records.choices:
        question = question_of(choice.item) if choice.kind == "answer" else None
        right = "" if question is None else "yes" if choice.choice == question.right else "no"
        writer.writerow(
            cells(
                [
                    nicknames.get(choice.member, ""),
                    choice.kind,
                    choice.item,
                    choice.choice,
                    right,
                    "yes" if choice.first_try else "no",
                ]
            )
        )
    response = Response(out.getvalue(), mimetype="text/csv")
    # A download of students' records: kept by no cache, not even the browser's.
    add_cache_directives(response, no_store=True)
    response.headers["Content-Disposition"] = f'attachment; filename="class-{records.code}.csv"'
    return response


def cells(row: list[str]) -> list[str]:
    """Return a CSV row whose cells a spreadsheet reads as text, never as a formula."""
    return [f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell for cell in row]


@bp.delete("/classes/<token>")
def close(token: str) -> ResponseReturnValue:
    """Close the class: everything it holds is deleted, and its code is refused from now."""
    progress.refuse_cross_site()
    if not class_store().close(token):
        abort(404, "No class has this teacher link: it is closed already, or expired.")
    if request.method == "POST":  # the form without JavaScript: a page to land on
        return redirect(url_for("classes.closed"), HTTPStatus.SEE_OTHER)
    return "", HTTPStatus.NO_CONTENT


@bp.post("/classes/<token>")
def form_override(token: str) -> ResponseReturnValue:
    """Let the dashboard's form close the class: a POST with _method=DELETE."""
    if request.form.get("_method", "").upper() != "DELETE":
        abort(400, "POST to a class's link needs a _method field of DELETE, to close it.")
    return close(token)


@bp.get("/classes/closed")
def closed() -> ResponseReturnValue:
    """Say that the class is closed and its data gone."""
    return render_template("classes/closed.html")


def valid_nickname(typed: str) -> str:
    """Return a nickname as kept: plain text, spaces collapsed; 400 for anything else."""
    nickname = " ".join(unicodedata.normalize("NFC", typed).split())
    if len(nickname) > MAX_NICKNAME_LENGTH:
        abort(400, f"A nickname has at most {MAX_NICKNAME_LENGTH} characters.")
    # Letters, marks, digits, punctuation, symbols and spaces: no control or invisible format
    # characters, which could hide or reorder what the teacher reads.
    if any(unicodedata.category(character).startswith(("C", "Zl", "Zp")) for character in nickname):
        abort(400, "A nickname is plain text: letters, digits, spaces and punctuation.")
    return nickname


@bp.get("/join", defaults={"code": ""})
@bp.get("/join/<code>")
def join_form(code: str) -> Response:
    """Show the form to join a class (the code filled in from a short URL), or the class joined."""
    return progress.personal_page(join_page(code=normal_code(code)[: CODE_LENGTH * 2]))


def join_page(code: str = "", nickname: str = "", problem: str = "") -> str:
    """Render the join page: the form, or the class this visitor is in (code, nickname)."""
    membership = current_membership()
    joined = class_store().joined(membership) if membership else None
    if membership and joined is None:  # closed, expired, or left from another device
        keep_membership(None)
    return render_template(
        "classes/join.html",
        joined=joined and (display_code(joined[0]), joined[1]),
        code=code,
        nickname=nickname,
        problem=problem,
        code_length=CODE_LENGTH,
        max_nickname=MAX_NICKNAME_LENGTH,
    )


@bp.post("/join")
def join() -> ResponseReturnValue:
    """Join the class whose code the form sends, under an optional nickname."""
    progress.refuse_cross_site()
    code = normal_code(request.form.get("code", ""))
    nickname = request.form.get("nickname", "")
    try:
        kept = valid_nickname(nickname)
        if not code:
            abort(400, "Type the class code your teacher gave you.")
        membership = class_store().join(code, kept, client_network())
    except ClassError as error:
        failure = refused(error)
    except HTTPException as error:
        failure = error
    else:
        old = current_membership()
        if old is not None:  # one class at a time: the other one forgets this student
            class_store().leave(old)
        keep_membership(membership)
        if progress.current_progress() is None:  # visits are recorded from now on
            progress.keep(progress.Progress(frozenset(), frozenset(), progress.new_seed()))
        return redirect(url_for("classes.join_form"), HTTPStatus.SEE_OTHER)
    page = progress.personal_page(
        join_page(code, nickname[:MAX_NICKNAME_LENGTH], str(failure.description))
    )
    page.status_code = failure.code or 400
    page.headers.extend(
        (name, value) for name, value in failure.get_headers() if name == "Retry-After"
    )
    return page


@bp.post("/join/leave")
def leave() -> ResponseReturnValue:
    """Leave the class: everything recorded of this student there is deleted."""
    progress.refuse_cross_site()
    membership = current_membership()
    if membership is not None:
        class_store().leave(membership)
        keep_membership(None)
    return redirect(url_for("classes.join_form"), HTTPStatus.SEE_OTHER)


@bp.post("/class/predictions")
def record_prediction() -> ResponseReturnValue:
    """Record a lesson's prediction for the student's class: 204, whether in a class or not.

    JSON: {"lesson": slug, "prediction": the radio group's name, "choice": its index}.
    """
    progress.refuse_cross_site()
    try:
        sent = load_json(request.get_data())
    except ValueError as error:
        abort(400, f"The body is not valid JSON: {error}.")
    if not isinstance(sent, dict):
        abort(400, 'Send {"lesson": ..., "prediction": ..., "choice": ...}.')
    lesson, name, choice = sent.get("lesson"), sent.get("prediction"), sent.get("choice")
    if not (isinstance(lesson, str) and isinstance(name, str)):
        abort(400, "Name the lesson and its prediction, as text.")
    prediction = predictions_of(lesson).get(name)
    if prediction is None:
        abort(400, "No lesson has this prediction.")
    if not (type(choice) is int and 0 <= choice < len(prediction.choices)):
        abort(400, f"The choice is a number from 0 to {len(prediction.choices) - 1}.")
    record_for_class("prediction", f"{lesson}/{name}", str(choice), first_try=True)
    return "", HTTPStatus.NO_CONTENT


def in_class() -> bool:
    """Tell whether the visitor joined a class (their cookie says so)."""
    return current_membership() is not None


def class_limits() -> dict[str, int]:
    """Return class mode's limits, for the pages that explain them."""
    return {
        "students": MAX_STUDENTS,
        "classes_per_day": CLASSES_PER_DAY,
        "failed_joins_per_hour": FAILED_JOINS_PER_HOUR,
        "days": CLASS_DAYS,
    }
