"""One structured log line per request, with an id the visitor can quote.

The line names the route's rule (``/success/<name:name>``), never the path
itself, so names and note ids typed by visitors stay out of the logs; nor does
it hold a made-up method's name or an error's message (see error_trace). Lines go
straight to stderr as JSON: the logging module's records and handlers would
cost more than the request itself on a cached page.
"""

import json
import logging
import secrets
import sys
import time
import traceback

from flask import Flask, Response, g, request

#: The methods the HTTP RFCs define, which a log line names: RFC 9110 §9.3 (GET to TRACE),
#: RFC 5789 §2 (PATCH) and RFC 10008 (QUERY).
DEFINED_METHODS = frozenset(
    ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"]
)


class WithoutMessages(logging.Filter):
    """Turn a log record's error into error_trace's text, whichever handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, its traceback written without messages."""
        if record.exc_info:
            record.exc_text = error_trace(record.exc_info[1]).rstrip("\n")
            record.exc_info = None  # else a formatter would write the full traceback again
        return True


def init_request_log(app: Flask) -> None:
    """Log every request of ``app`` to stderr and tag each with a request id."""
    app.before_request(start_request)
    app.after_request(finish_request)
    # Flask logs on its own only when finishing an error page fails too.
    app.logger.addFilter(WithoutMessages())


def new_request_id() -> str:
    """Return a fresh id for a request, short enough to read out over the phone."""
    return secrets.token_hex(8)


def start_request() -> None:
    """Give the request an id and note when it started."""
    g.request_id = new_request_id()
    g.started = time.perf_counter()


def request_id() -> str:
    """Return the current request's id (one is made if no hook ran yet)."""
    if "request_id" not in g:
        start_request()
    current: str = g.request_id
    return current


def finish_request(response: Response) -> Response:
    """Write the request's log line and send its id back."""
    response.headers["X-Request-ID"] = request_id()
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    log_event("request", status=response.status_code, duration_ms=round(elapsed * 1000, 2))
    return response


def log_event(event: str, error: bool = False, **fields: object) -> None:
    """Write one JSON line about the current request (an error's carries its traceback)."""
    if error:
        fields["traceback"] = error_trace(sys.exc_info()[1])
    # A method is any token a client makes up: only the ones HTTP defines are named, as
    # sent (Werkzeug upper-cases request.method, but "get" is not GET: RFC 9110 §9.1).
    method = request.environ["REQUEST_METHOD"]
    write_log_line(
        event=event,
        request_id=request_id(),
        method=method if method in DEFINED_METHODS else "(other)",
        route=request.url_rule.rule if request.url_rule else "(no route)",
        **fields,
    )


def error_trace(error: BaseException | None) -> str:
    """Return a traceback of ``error`` and the errors it arose from, without their messages.

    A message can hold what a visitor sent (a file name from the path, a key, a Host), so
    only where each error was raised and its type are written: enough to find the bug.
    """
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\nThe error below was raised while handling the one above:\n\n".join(
        "Traceback (most recent call last):\n"
        + "".join(traceback.format_tb(raised.__traceback__))
        + f"{type(raised).__module__}.{type(raised).__qualname__} (message not logged)\n"
        for raised in reversed(chain)
    )


def write_log_line(**fields: object) -> None:
    """Write ``fields`` to stderr as one line of JSON."""
    # sys.stderr looked up each time: test runners swap it.
    sys.stderr.write(json.dumps(fields) + "\n")
