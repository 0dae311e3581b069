"""Flask's answers for the pages everyone shares, given again to the same request without Flask.

``cached_page`` renders such a page once; what a request for it still costs is
Flask's own work around the view (the request context, URL matching, the hooks
that check the request and add headers), most of that page's time. This layer
sits in front of Flask, keeps the finished answer (status, headers and body)
Flask gave, and gives the same answer to the same request, with a request id
and a log line of its own.

"The same request" is the same method, scheme, host, URL, Accept-Encoding and
If-None-Match: everything a shared page's answer depends on. A request with a
cookie (whose session Flask may refresh) or a body (which Flask checks) always
goes to Flask, and an answer that sets a cookie is never kept.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import request

from methodslab.web.request_log import new_request_id, write_log_line

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Set by mark_replayable in the environ of a request whose answer may be kept.
REPLAYABLE_ROUTE = "replay.route"
# Enough for every shared page in each encoding, under a few hosts; all are
# forgotten when it fills up (at most about 5 MB: the largest is under 10 KB).
MAX_ANSWERS = 512

Key = tuple[str | None, ...]


@dataclass(frozen=True)
class Answer:
    """What Flask answered: all of it but the request id, and the route for the log."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    route: str


def mark_replayable() -> None:
    """Let the replay layer keep this request's answer for the next identical request."""
    request.environ[REPLAYABLE_ROUTE] = request.url_rule.rule if request.url_rule else ""


def request_key(environ: "WSGIEnvironment") -> Key | None:
    """Return what identifies the request's answer, or None if only Flask may answer it."""
    method = environ["REQUEST_METHOD"]
    if (
        method not in ("GET", "HEAD")
        or "HTTP_COOKIE" in environ
        or environ.get("CONTENT_LENGTH") not in (None, "", "0")
        or "HTTP_TRANSFER_ENCODING" in environ
    ):
        return None
    # The raw target keeps the %-escapes Flask checks; the decoded path loses them.
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if target is None:
        return None
    return (
        method,
        environ["wsgi.url_scheme"],
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
        target,
        environ.get("HTTP_ACCEPT_ENCODING"),
        environ.get("HTTP_IF_NONE_MATCH"),
    )


class ReplayLayer:
    """WSGI middleware: answer a request Flask has answered before, the same way."""

    def __init__(self, app: "WSGIApplication") -> None:
        self.app = app
        self.answers: dict[Key, Answer] = {}

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        """Replay a kept answer, or ask Flask and keep its answer if the view allowed it."""
        key = request_key(environ)
        if key is None:
            return self.app(environ, start_response)
        answer = self.answers.get(key)
        if answer is None:
            return self.ask_flask(key, environ, start_response)
        started = time.perf_counter()
        request_id = new_request_id()
        start_response(answer.status, [*answer.headers, ("X-Request-ID", request_id)])
        write_log_line(
            event="request",
            request_id=request_id,
            method=environ["REQUEST_METHOD"],
            route=answer.route,
            status=int(answer.status[:3]),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            replayed=True,
        )
        return [answer.body]

    def ask_flask(
        self, key: Key, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        """Pass the request to Flask, keeping a shared page's answer."""
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def note_start(
            status: str, headers: list[tuple[str, str]], exc_info: "OptExcInfo | None" = None
        ) -> Callable[[bytes], object]:
            sent.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, note_start)
        route = environ.get(REPLAYABLE_ROUTE)
        if route is None or not sent:
            return body
        status, headers = sent[-1]
        if status[:3] not in ("200", "304") or any(
            name.lower() == "set-cookie" for name, _ in headers
        ):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if len(self.answers) >= MAX_ANSWERS:
            self.answers.clear()
        self.answers[key] = Answer(
            status,
            [(name, value) for name, value in headers if name.lower() != "x-request-id"],
            content,
            route,
        )
        return [content]
