"""HTTP Methods Lab: a Flask site that teaches the HTTP methods by using them."""

from typing import Any

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

import echo
import guides
import home
import lessons
import login
from names import NameConverter
from request_info import wants_html

#: The largest request body accepted, in bytes; larger ones get 413.
MAX_BODY_BYTES = 1024 * 1024


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the site."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    if test_config is not None:
        app.config.from_mapping(test_config)
    # JSON is for students to read: keep keys in the order written, indented.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.compact = False  # type: ignore[attr-defined]

    # Registered before the blueprints, whose rules use it.
    app.url_map.converters["name"] = NameConverter
    for blueprint in (home.bp, login.bp, lessons.bp, guides.bp, echo.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, render_http_error)
    return app


def render_http_error(error: HTTPException) -> Any:
    """Explain an error: a page in the site's style for browsers, JSON for programs."""
    # Routing redirects (such as adding a missing trailing slash) are
    # HTTPExceptions too; let them through untouched.
    if error.code is None or error.code < 400:
        return error
    # The page or JSON body below sets its own Content-Type; keep the rest (Allow).
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    allowed = getattr(error, "valid_methods", None) or []
    if not wants_html():
        problem = {"status": error.code, "title": error.name, "detail": error.description}
        if allowed:
            problem["allowed"] = sorted(allowed)
        return problem, error.code, [*headers, ("Content-Type", "application/problem+json")]
    page = render_template(
        "error.html", error=error, method=request.method, path=request.path, allowed=sorted(allowed)
    )
    return page, error.code, headers
