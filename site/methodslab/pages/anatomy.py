"""Lesson 0, the anatomy of an exchange: a real request and response, named part by part."""

from functools import lru_cache

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from methodslab.pages import lessons, progress
from methodslab.teaching.raw_http import Message
from methodslab.teaching.sequence_diagram import Note, Step, sequence_diagram

bp = Blueprint("anatomy", __name__)

# The request the lesson takes apart: a form's fields sent with POST to the echo endpoint,
# with a query too, so that one request shows every part a request can have.
METHOD, PATH, QUERY = "POST", "/echo", "lesson=0"
FORM_CONTENT = "nm=Ada"
SENT = (
    ("Accept", "application/json"),
    ("Content-Type", "application/x-www-form-urlencoded"),
)


@lru_cache(maxsize=16)
def exchange(host: str) -> tuple[Message, Message]:
    """Send the lesson's request to this very app; return it and the response, as they were."""
    answer = lessons.ask_this_app(
        f"{PATH}?{QUERY}",
        method=METHOD,
        headers=list(SENT),
        data=FORM_CONTENT,
        base_url=f"http://{host}",
    )
    sent = (
        ("Host", host),
        ("User-Agent", answer.request.headers["User-Agent"]),
        *SENT,
        ("Content-Length", str(len(FORM_CONTENT))),
    )
    received = tuple((name, lessons.steady(name, value)) for name, value in answer.headers)
    return (
        Message(f"{METHOD} {PATH}?{QUERY} HTTP/1.1", sent, FORM_CONTENT),
        Message(f"HTTP/1.1 {answer.status}", received, answer.text),
    )


def diagram(sent: Message, received: Message) -> Markup:
    """Draw the exchange: the request with its content, the response with its type."""
    return sequence_diagram(
        [
            Step.of(sent, ("Content-Type",), body=True),
            Note("The server reads the request and answers it.", "state"),
            Step.of(received, ("Content-Type", "Content-Length")),
        ],
        name="anatomy",
        title=f"One exchange: {sent.start_line.rpartition(' ')[0]}, then {received.start_line}",
        summary="A request goes from the client to the server, and one response comes back.",
        sides=("Client", "Server"),  # here, the site's own test client; the form: your browser
    )


@bp.get("/anatomy")
def lesson() -> Response:
    """Take a real request and its response apart, and show where the browser shows them."""

    def page(visitor_progress: progress.Progress | None) -> str:
        sent, received = exchange(request.host)
        previous, following = progress.neighbours(progress.ANATOMY.slug)
        return render_template(
            "anatomy.html",
            progress=visitor_progress,
            current=progress.ANATOMY.slug,
            previous=previous,
            next=following,
            sent=sent,
            received=received,
            diagram=diagram(sent, received),
            content_length=len(FORM_CONTENT),
        )

    return progress.lesson_page(progress.ANATOMY.slug, page)
