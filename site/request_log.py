"""One structured log line per request, with an id the visitor can quote.

The line names the route's rule (``/success/<name:name>``), never the path
itself, so names and note ids typed by visitors stay out of the logs.
"""

import json
import logging
import sys
import time
import traceback
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("http_lab")


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def init_request_log(app: Flask) -> None:
    """Log every request of ``app`` to stderr and tag each with a request id."""
    if not log.handlers:
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app.before_request(start_request)
    app.after_request(finish_request)


def start_request() -> None:
    """Give the request an id and note when it started."""
    g.request_id = uuid.uuid4().hex[:16]
    g.started = time.perf_counter()


def request_id() -> str:
    """Return the current request's id (one is made if no hook ran yet)."""
    if "request_id" not in g:
        start_request()
    return g.request_id


def finish_request(response: Response) -> Response:
    """Write the request's log line and send its id back."""
    response.headers["X-Request-ID"] = request_id()
    log_event(
        "request",
        status=response.status_code,
        duration_ms=round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
    )
    return response


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Write one JSON line about the current request (errors carry their traceback)."""
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    line = {
        "event": event,
        "request_id": request_id(),
        "method": request.method,
        "route": rule,
        **fields,
    }
    if level >= logging.ERROR:
        line["traceback"] = traceback.format_exc()
    log.log(level, json.dumps(line))
