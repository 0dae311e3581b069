"""Error responses: a page in the site's style for browsers, problem JSON for programs."""

from collections.abc import Callable

from flask import render_template, request
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from methodslab.web.reason_phrases import REASON_PHRASES
from methodslab.web.request_info import described_method, same_origin_referrer, wants_html
from methodslab.web.request_log import log_event, request_id


def render_http_error(error: HTTPException) -> ResponseReturnValue | HTTPException:
    """Explain an error, keeping its status and headers (such as Allow)."""
    # Routing redirects (such as adding a missing trailing slash) are
    # HTTPExceptions too; let them through untouched.
    if error.code is None or error.code < 400:
        return error
    # The page or JSON body below sets its own Content-Type; keep the rest.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    # RFC 9110's reason phrase, as in the status line (raw_http.with_reason_phrase):
    # Werkzeug's table still has the older names of a few ("Unprocessable Entity").
    title = REASON_PHRASES.get(error.code, error.name)
    allowed = sorted(getattr(error, "valid_methods", None) or [])
    # A 501 names the methods the server does implement (MethodNotImplemented).
    implemented = getattr(error, "implemented", [])
    if request_ctx.url_adapter is None:
        # The Host header was refused, so no page (which needs URLs) can be built.
        text = f"{error.code} {title}: {error.description}\n"
        return text, error.code, [*headers, ("Content-Type", "text/plain; charset=utf-8")]
    if not wants_html():
        # RFC 9457 problem details.
        problem: dict[str, object] = {
            "status": error.code,
            "title": title,
            "detail": error.description,
            "request_id": request_id(),
        }
        if allowed:
            problem["allowed"] = allowed
        if implemented:
            problem["implemented"] = implemented
        return problem, error.code, [*headers, ("Content-Type", "application/problem+json")]
    # The 405 page leads back to the page that sent the wrong method, on this site only.
    back = same_origin_referrer() if error.code == 405 else None
    page = render_template(
        "error.html",
        back=back,
        error=error,
        title=title,
        method=described_method(),  # as sent (request.method is upper-cased); HEAD's is GET's
        path=request.path,
        allowed=allowed,
        implemented=implemented,
        request_id=request_id(),
    )
    if back:  # the page depends on the Referer: no cache may give it to another request
        headers += [("Vary", "Referer"), ("Cache-Control", "private, no-cache")]
    return page, error.code, headers


def render_server_error(error: InternalServerError) -> ResponseReturnValue | HTTPException:
    """Log an unexpected failure with its traceback, then explain it without one."""
    log_event("error", error=True, status=500)
    error.description = (
        "Something went wrong on our side, not yours. It has been logged; if it keeps "
        "happening, report it with the request id below."
    )
    return render_http_error(error)


#: Seconds a client is asked to wait (Retry-After) when the notes database cannot take a request.
RETRY_AFTER_SECONDS = 5


class InsufficientStorage(HTTPException):
    """507: the server has no room to store what the request asked for (RFC 4918 §11.5)."""

    code = 507
    description = (
        "The server's disk is full, so nothing was saved. Reading still works; try again later."
    )


def database_outage(outage: str | None) -> HTTPException | None:
    """Return the answer to a notes database's ``outage`` ("full", "unreachable"), or None.

    A full disk is 507; a database that cannot be written or reached now (read-only,
    restarting, every pooled connection busy) is 503 (RFC 9110 §15.6.4), with Retry-After.
    """
    if outage == "full":
        return InsufficientStorage()
    if outage != "unreachable":
        return None
    return ServiceUnavailable(
        "The notes database cannot be reached just now, so nothing was read or saved. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
        retry_after=RETRY_AFTER_SECONDS,
    )


def render_database_error(
    error: Exception, outage: Callable[[Exception], str | None]
) -> ResponseReturnValue | HTTPException:
    """Answer 503 or 507 while the notes database is out of reach; any other error is a 500.

    ``outage`` is the database's own reading of its driver's error (create_app passes it).
    """
    answer = database_outage(outage(error))
    if answer is None:
        raise error
    log_event("database_unavailable", status=answer.code, reason=type(error).__name__)
    return render_http_error(answer)
