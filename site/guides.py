"""Guides that compare methods rather than teach one."""

from flask import Blueprint, render_template

bp = Blueprint("guides", __name__)


@bp.get("/get-vs-post")
def get_vs_post() -> str:
    """Explain how to choose between GET and POST for a form."""
    return render_template("guides/get_vs_post.html")
