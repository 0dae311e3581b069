"""Lint an HTTP exchange with REDbot's checks (the httplint library): what it finds wrong."""

from collections.abc import Iterable

from httplint import HttpRequestLinter, HttpResponseLinter
from httplint.note import Note, levels
from httplint.status import STATUS_BAD_REQUEST, STATUS_URI_TOO_LONG

# Notes that describe the request rather than the answer: "the server didn't understand the
# request" for every 400, "won't accept a URI this long" for every 414. A test that sends a
# bad request on purpose gets them whatever the site answers.
ABOUT_THE_REQUEST = (STATUS_BAD_REQUEST, STATUS_URI_TOO_LONG)

Fields = Iterable[tuple[str, str]]


def lint_problems(
    method: str,
    target: str,
    request_headers: Fields,
    status: int,
    reason: str,
    response_headers: Fields,
    body: bytes,
    received: float,
) -> list[str]:
    """Return httplint's warnings and errors about an answer, one line each.

    ``body`` is the content as sent (compressed, if it was; a HEAD answer has none);
    ``received`` when it arrived (``time.time()``), for the check of the server's clock.
    """
    request = HttpRequestLinter()
    uri = f"http://localhost{target}"
    request.process_request_topline(method.encode(), uri.encode(), b"HTTP/1.1")
    request.process_headers([encoded(field) for field in request_headers])
    request.finish_content(True)
    response = HttpResponseLinter(_related=request, start_time=received)
    response.is_head_response = method == "HEAD"
    response.process_response_topline(b"HTTP/1.1", str(status).encode(), reason.encode())
    response.process_headers([encoded(field) for field in response_headers])
    response.feed_content(body)
    response.finish_content(True)
    return [
        f"{method} {target[:80]} -> {status}: {note.level.value.upper()}: {note.summary}"
        for note in flattened(response.notes)
        if note.level in (levels.WARN, levels.BAD) and not isinstance(note, ABOUT_THE_REQUEST)
    ]


def flattened(notes: Iterable[Note]) -> Iterable[Note]:
    """Yield each note and, after it, the notes under it."""
    for note in notes:
        yield note
        yield from flattened(note.subnotes)


def encoded(field: tuple[str, str]) -> tuple[bytes, bytes]:
    """Return a header field as the bytes on the wire (HTTP fields are Latin-1, RFC 9110 §5.5)."""
    name, value = field
    return name.encode("latin-1"), value.encode("latin-1")
