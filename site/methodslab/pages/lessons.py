"""One lesson page per HTTP method, each with a live Try it panel."""

import re
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.test import TestResponse

from methodslab.methods import (
    METHODS,
    METHODS_BY_SLUG,
    UNTAUGHT,
    UNTAUGHT_BY_SLUG,
    Exchange,
    Method,
    Walkthrough,
)
from methodslab.notes import api as notes
from methodslab.notes.store import MAX_NOTES, MAX_TEXT_LENGTH
from methodslab.pages import progress
from methodslab.pages.copy_as import Copyable, exchange_copyable, try_it_copyable
from methodslab.teaching.page_text import lesson_estimate, with_estimate
from methodslab.teaching.raw_http import raw_message
from methodslab.teaching.sequence_diagram import Note, Step, sequence_diagram
from methodslab.teaching.source_code import source_of
from methodslab.web.caching import revalidated
from methodslab.web.reason_phrases import REASON_PHRASES

bp = Blueprint("lessons", __name__, url_prefix="/methods")

# The URLs whose Allow header the OPTIONS lesson lists, as Flask computes it.
SHOWCASE_URLS = ("/", "/login", "/echo", "/methods/options", "/api/notes/shopping")
# Response fields whose value is new on every response: a worked example shows what
# they hold instead, so a page built from it is the same in every process (its ETag too).
FRESH_EACH_TIME = {
    "X-Request-ID": "<a new random id for each response>",
    "Date": "<the time of the response>",
    "Set-Cookie": "<a cookie made for this visitor>",
}
# A page's ETag is a hash of the page (web/page_cache.py), so no page can show its own.
THIS_PAGE_TAG = 'W/"<a hash of this page>"'


@bp.get("/<slug>")
def lesson(slug: str) -> ResponseReturnValue:
    """Teach one method: what it means, its properties, and how to send it."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None:  # no lesson here, whether the method is real (TRACE) or not
        return render_template(
            "methods/unknown.html",
            slug=slug,
            methods=METHODS,
            untaught=UNTAUGHT,
            named=UNTAUGHT_BY_SLUG.get(slug),
        ), 404
    template = f"methods/{slug}.html"

    def page(visitor_progress: progress.Progress | None) -> str:
        return render_template(template, progress=visitor_progress, **lesson_context(method))

    if method.walkthrough:  # the visitor's own notes: never in the page everyone shares
        html = page(progress.record_visit(slug))
        return progress.personal_page(with_estimate(html, lesson_estimate(lambda: page(None))))
    return progress.lesson_page(slug, page)


def lesson_context(method: Method) -> dict[str, Any]:
    """Gather what a lesson page shows besides its prose."""
    handler = current_app.view_functions[method.handler]
    previous, following = progress.neighbours(method.slug)
    context = {
        "method": method,
        "number": progress.PATH_BY_SLUG[method.slug].number,
        "total": len(METHODS),
        "previous": previous,
        "next": following,
        # The view, then the helpers that set its status, Location and validators.
        "code": [(code.__name__, source_of(code)) for code in (handler, *method.helpers)],
        "example": worked_example(method.slug, request.host),
        # Called by the lessons that show them: OPTIONS lists Allow, HEAD compares.
        "allowed": lambda: [(url, ", ".join(allowed_methods(url))) for url in SHOWCASE_URLS],
        "head_vs_get": head_vs_get,
        "untaught": UNTAUGHT,
        "diagram": diagram_for(method),
        "reason_phrases": REASON_PHRASES,
    }
    if method.walkthrough:
        context |= sandbox_context() | {"copies": walkthrough_copies(method)}
    # After the sandbox is made: a copy of a request to it carries its cookie.
    context["try_it_copy"] = try_it_copyable(method)
    return context


#: What a walkthrough's setup request is answered, whatever the sandbox held: deleting
#: a note that is not there is 404 (RFC 9110 §15.5.5); a PUT creates (201) or replaces (200).
SETUP_ANSWERS = {
    "DELETE": (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_FOUND),
    "PUT": (HTTPStatus.CREATED, HTTPStatus.OK),
}


def walkthrough_copies(method: Method) -> dict[Exchange, Copyable]:
    """Return each walkthrough request of the lesson, to copy, with the answers it gets."""
    copies = {}
    for walk in (method.walkthrough, method.contrast):
        if walk is None:
            continue
        if walk.setup:
            copies[walk.setup] = exchange_copyable(walk.setup, SETUP_ANSWERS[walk.setup.method])
        sends = [(outcome.status,) for outcome in walk.outcomes]
        copies[walk.repeated] = exchange_copyable(walk.repeated, *sends)
    return copies


def diagram_for(method: Method) -> Markup | None:
    """Draw the exchange ``method``'s lesson shows live, if it has one."""
    if method.walkthrough:
        return walkthrough_diagram(method.walkthrough)
    if method.name == "GET":
        return conditional_get_diagram(url_for(".lesson", slug=method.slug))
    return None


def conditional_get_diagram(path: str) -> Markup:
    """Draw the conditional GET of ``path`` that the GET lesson's live panel makes."""
    # What cached_page answers (web/page_cache.py): RFC 9110 §8.8.3 (ETag), §13.1.2
    # (If-None-Match), §15.4.5 (304 has no content); RFC 9111 §5.2.2.4 (no-cache).
    items: list[Step | Note] = [
        Step("client", f"GET {path}"),
        Step(
            "server",
            status_line(HTTPStatus.OK),
            ("Cache-Control: no-cache", f"ETag: {THIS_PAGE_TAG}"),
        ),
        Note("Your browser keeps the page and its tag, and checks before reusing it.", "state"),
        Step("client", f"GET {path}", (f"If-None-Match: {THIS_PAGE_TAG}",)),
        Step("server", status_line(HTTPStatus.NOT_MODIFIED), (f"ETag: {THIS_PAGE_TAG}",)),
        Note("No body: the page has not changed, so the browser shows the copy it kept."),
    ]
    return sequence_diagram(
        items,
        name="conditional-get",
        title="A conditional GET of this page: 200 with an ETag, then 304 Not Modified",
        summary="The ETag is a hash of this page, so the page cannot show its own: "
        "it is written here in angle brackets.",
    )


def walkthrough_diagram(walk: Walkthrough) -> Markup:
    """Draw the exchange the lesson predicts for ``walk``, with the state after each send."""
    repeated = walk.repeated
    items = setup_note(walk)
    for outcome in walk.outcomes:
        items += [
            Step("client", f"{repeated.method} {repeated.path}", sent_fields(repeated)),
            Step("server", status_line(outcome.status), outcome.fields),
            Note(outcome.after, "state"),
        ]
    return sequence_diagram(
        items,
        name="walkthrough-prediction",
        title=f"What the lesson predicts: {repeated.method} {repeated.path} sent twice",
        summary="The lesson's prediction, drawn before anything is sent; the walkthrough "
        "shows what your sandbox really answers.",
    )


@bp.get("/<slug>/walkthrough.svg")
def observed_walkthrough(slug: str) -> ResponseReturnValue:
    """Draw a walkthrough as the visitor's sandbox answered it: ?status=…&notes=…, twice each."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None or method.walkthrough is None:
        abort(404, f"There is no walkthrough on a lesson called {slug!r}.")
    walk = method.walkthrough
    statuses = [observed_status(value) for value in request.args.getlist("status")]
    counts = [observed_count(value) for value in request.args.getlist("notes")]
    if len(statuses) != len(walk.outcomes) or len(counts) not in (0, len(statuses)):
        abort(
            400,
            "Give status twice, and notes twice or not at all, such as "
            "?status=201&status=200&notes=1&notes=1.",
        )
    repeated = walk.repeated
    items = setup_note(walk)
    for index, (status, outcome) in enumerate(zip(statuses, walk.outcomes, strict=True)):
        items += [
            Step("client", f"{repeated.method} {repeated.path}", sent_fields(repeated)),
            Step("server", status_line(status)),
        ]
        if status != outcome.status:
            items.append(Note(f"The lesson predicted {status_line(outcome.status)}."))
        if counts:
            items.append(Note(f"Your notes after it: {counts[index]}.", "state"))
    svg = sequence_diagram(
        items,
        name="walkthrough-observed",
        title=f"What your sandbox answered: {repeated.method} {repeated.path} sent twice",
        summary="Drawn from the statuses your browser received.",
    )
    # A picture of the query alone: the same for everyone who asks the same.
    return revalidated(Response(svg, content_type="image/svg+xml; charset=utf-8"))


def observed_status(value: str) -> HTTPStatus:
    """Return a status code from the query string (400 unless HTTP defines it)."""
    try:  # ASCII digits only: int() would also read "٢٠١" and " 201 "
        if not (value.isascii() and value.isdigit()):
            raise ValueError(value)
        return HTTPStatus(int(value))
    except ValueError:
        abort(400, f"{value[:20]!r} is not a status code HTTP defines.")


def observed_count(value: str) -> int:
    """Return a number of notes from the query string (400 unless a sandbox can hold it)."""
    # The length first: int() refuses a number of over 4300 digits (a ValueError, a 500).
    if not (
        value.isascii()
        and value.isdigit()
        and len(value) <= len(str(MAX_NOTES))
        and int(value) <= MAX_NOTES
    ):
        abort(400, f"A sandbox holds 0 to {MAX_NOTES} notes, not {value[:20]!r}.")
    return int(value)


def setup_note(walk: Walkthrough) -> list[Step | Note]:
    """Return the note that opens a walkthrough's diagram: how it sets its start, if it does."""
    if walk.setup is None:
        return []
    return [Note(f"First, {walk.setup.method} {walk.setup.path} sets where you start.")]


def sent_fields(exchange: Exchange) -> tuple[str, ...]:
    """Return the lines a diagram shows for what a request carries: its type and body."""
    if not exchange.body:
        return ()
    return (f"Content-Type: {exchange.content_type}", f"body: {exchange.body}")


def status_line(status: HTTPStatus) -> str:
    """Return a status code with its reason phrase, as RFC 9110 writes it."""
    return f"{status.value} {status.phrase}"


def sandbox_context() -> dict[str, Any]:
    """Gather the visitor's notes and form token for a lesson's sandbox section."""
    visitor = notes.current_sandbox()
    return {
        "notes": notes.store().list(visitor) if visitor else [],
        "csrf_token": notes.csrf_token(),
        "max_text_length": MAX_TEXT_LENGTH,
    }


#: The address a sandbox panel's worked example comes from: a documentation network
#: (RFC 5737), so its sandbox never counts against a real client network's allowance.
EXAMPLE_CLIENT = "192.0.2.1"
NOTE_TIMES = re.compile(r'"(created|updated)": "[^"]*"')


@lru_cache(maxsize=64)
def worked_example(slug: str, host: str) -> tuple[str, str]:
    """Send ``slug``'s example to this very app and return the raw request and response.

    A sandbox panel's example runs in a sandbox of its own, after its setup request,
    and leaves that sandbox empty.
    """
    example = METHODS_BY_SLUG[slug].try_it
    sent = [("Accept", "application/json")]
    if example.content_type:
        sent.append(("Content-Type", example.content_type))
    target = example.path + (f"?{example.query}" if example.query else "")
    # In an app context of its own: a nested request would otherwise share the
    # outer one's flask.g, and with it the outer request's id and state.
    with current_app.app_context():
        client = current_app.test_client()
        client.environ_base["REMOTE_ADDR"] = EXAMPLE_CLIENT
        if example.setup:
            setup = example.setup
            sent_first = {"Content-Type": setup.content_type} if setup.content_type else {}
            client.open(setup.path, method=setup.method, data=setup.body, headers=sent_first)
        response = client.open(
            target, method=slug.upper(), headers=sent, data=example.body, base_url=f"http://{host}"
        )
        # A note's times are new on every response, as the fields FRESH_EACH_TIME masks.
        answer = NOTE_TIMES.sub(r'"\1": "<the time it was written>"', response.text)
        if example.sandbox:
            client.delete("/api/notes")
    # The request as the test client sent it: its own User-Agent, not curl's.
    shown = [("Host", host), ("User-Agent", response.request.headers["User-Agent"]), *sent]
    if example.body:
        shown.append(("Content-Length", str(len(example.body.encode()))))
    received = [(name, steady(name, value)) for name, value in response.headers]
    return (
        raw_message(f"{slug.upper()} {target} HTTP/1.1", shown, example.body),
        raw_message(f"HTTP/1.1 {response.status}", received, answer),
    )


def steady(name: str, value: str) -> str:
    """Return a response field's value as a page shows it: the same in every process."""
    if name == "Allow":  # built from a set, so its order follows the process's hash seed
        return ", ".join(sorted(value.split(", ")))  # order carries no meaning (RFC 9110 §10.2.1)
    return FRESH_EACH_TIME.get(name, value)


def ask_this_app(path: str, **request: Any) -> TestResponse:
    """Send a request to this very app, from inside the request being answered."""
    # In an app context of its own: a nested request would otherwise share the
    # outer one's flask.g, and with it the outer request's id and state.
    with current_app.app_context():
        return current_app.test_client().open(path, **request)


def allowed_methods(path: str) -> list[str]:
    """Return the methods Flask allows on ``path``, as its Allow header lists them."""
    return sorted(current_app.url_map.bind("localhost").allowed_methods(path))


def head_vs_get(path: str) -> list[tuple[str, str, str]]:
    """Fetch ``path`` with GET and HEAD and return the headers of each, side by side."""
    get, head = ask_this_app(path, method="GET"), ask_this_app(path, method="HEAD")
    return [
        (name, get.headers.get(name, "—"), head.headers.get(name, "—"))
        for name in ("Content-Type", "Content-Length")
    ] + [("Body (bytes)", str(len(get.data)), str(len(head.data)))]
