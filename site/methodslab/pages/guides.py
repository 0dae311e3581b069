"""Guides that compare methods rather than teach one."""

from flask import Blueprint, Response, render_template

from methodslab.pages import progress
from methodslab.web.page_cache import cached_page

bp = Blueprint("guides", __name__)


@bp.get("/get-vs-post")
def get_vs_post() -> Response:
    """Explain how to choose between GET and POST for a form."""
    if progress.current_progress() is not None:  # their own questions: never in the shared page
        return progress.personal_page(render_template("guides/get_vs_post.html"))
    return cached_page(lambda: render_template("guides/get_vs_post.html"))
