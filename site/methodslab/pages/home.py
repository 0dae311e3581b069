"""The home page: what the site teaches and where to start."""

from flask import Blueprint, Response, current_app, render_template

from methodslab.methods import METHODS
from methodslab.web.page_cache import cached_page

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Response:
    """Show the home page, with the table of every method."""
    return cached_page(lambda: render_template("home.html", methods=METHODS))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the site's icon where browsers look for it unasked (an SVG; they accept one)."""
    return current_app.send_static_file("favicon.svg")
