"""One structured log line per request, with an id the visitor can quote.

The line names the route's rule (``/success/<name:name>``), never the path
itself, so names and note ids typed by visitors stay out of the logs. Lines go
straight to stderr as JSON: the logging module's records and handlers would
cost more than the request itself on a cached page.
"""

import json
import secrets
import sys
import time
import traceback

from flask import Flask, Response, g, request


def init_request_log(app: Flask) -> None:
    """Log every request of ``app`` to stderr and tag each with a request id."""
    app.before_request(start_request)
    app.after_request(finish_request)


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
        fields["traceback"] = traceback.format_exc()
    write_log_line(
        event=event,
        request_id=request_id(),
        method=request.method,
        route=request.url_rule.rule if request.url_rule else "(no route)",
        **fields,
    )


def write_log_line(**fields: object) -> None:
    """Write ``fields`` to stderr as one line of JSON."""
    # sys.stderr looked up each time: test runners swap it.
    sys.stderr.write(json.dumps(fields) + "\n")
