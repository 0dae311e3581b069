"""The echo endpoint: every request comes back described, as JSON or as a page."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from methodslab.teaching.request_description import describe_request
from methodslab.web.request_info import wants_html

bp = Blueprint("echo", __name__)

# HEAD and OPTIONS are not listed: Flask answers them by itself, HEAD by
# running this view and dropping the body, OPTIONS with an Allow header.
ECHO_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


# Echo every path exactly as sent: /echo/ and /echo//a are answered, not redirected.
@bp.route("/echo", defaults={"subpath": ""}, methods=ECHO_METHODS, strict_slashes=False)
@bp.route("/echo/<rest:subpath>", methods=ECHO_METHODS, merge_slashes=False)
def echo(subpath: str) -> ResponseReturnValue:
    """Answer with the request as this server saw it."""
    # It mirrors the request's own fields: no cache may keep them (RFC 9111 §5.2.2.5).
    no_store = {"Cache-Control": "no-store"}
    if wants_html():
        return render_template("echo.html", seen=describe_request()), no_store
    return describe_request(), no_store
