"""Error responses: a page in the site's style for browsers, problem JSON for programs."""

from flask import render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from request_info import wants_html


def render_http_error(error: HTTPException) -> ResponseReturnValue | HTTPException:
    """Explain an error, keeping its status and headers (such as Allow)."""
    # Routing redirects (such as adding a missing trailing slash) are
    # HTTPExceptions too; let them through untouched.
    if error.code is None or error.code < 400:
        return error
    # The page or JSON body below sets its own Content-Type; keep the rest.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    allowed = sorted(getattr(error, "valid_methods", None) or [])
    if not wants_html():
        # RFC 9457 problem details.
        problem: dict[str, object] = {
            "status": error.code,
            "title": error.name,
            "detail": error.description,
        }
        if allowed:
            problem["allowed"] = allowed
        return problem, error.code, [*headers, ("Content-Type", "application/problem+json")]
    page = render_template(
        "error.html", error=error, method=request.method, path=request.path, allowed=allowed
    )
    return page, error.code, headers
