"""The request builder: any method, path, headers and body, sent to this site."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

bp = Blueprint("builder", __name__)


@bp.get("/builder")
def builder() -> ResponseReturnValue:
    """Show the request builder."""
    return render_template("builder.html")
