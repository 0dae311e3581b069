"""Error responses: a page in the site's style for browsers, problem JSON for programs."""

from flask import render_template, request
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from methodslab.pages.progress import same_origin_referrer
from methodslab.web.raw_http import REASON_PHRASES
from methodslab.web.request_info import described_method, wants_html
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
