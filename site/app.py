"""HTTP Methods Lab: a Flask site that teaches the HTTP methods by using them."""

from typing import Any

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

import home
import login
from names import NameConverter


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the site."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config is not None:
        app.config.from_mapping(test_config)

    # Registered before the blueprints, whose rules use it.
    app.url_map.converters["name"] = NameConverter
    app.register_blueprint(home.bp)
    app.register_blueprint(login.bp)
    app.register_error_handler(HTTPException, render_http_error)
    return app


def render_http_error(error: HTTPException) -> Any:
    """Show an error in the site's style, with the status it stands for."""
    # Routing redirects (such as adding a missing trailing slash) are
    # HTTPExceptions too; let them through untouched.
    if error.code is None or error.code < 400:
        return error
    page = render_template("error.html", error=error, path=request.path)
    return page, error.code, error.get_headers()
