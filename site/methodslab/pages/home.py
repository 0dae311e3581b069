"""The home page: what the site teaches and where to start."""

from flask import Blueprint, Response, render_template

from methodslab.methods import METHODS
from methodslab.web.page_cache import cached_page

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Response:
    """Show the home page, with the table of every method."""
    return cached_page(lambda: render_template("home.html", methods=METHODS))
