"""The home page: what the site teaches and where to start."""

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Show the home page."""
    return render_template("home.html")
