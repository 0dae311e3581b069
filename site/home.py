"""The home page: what the site teaches and where to start."""

from flask import Blueprint, render_template

from methods import METHODS

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Show the home page, with the table of every method."""
    return render_template("home.html", methods=METHODS)
