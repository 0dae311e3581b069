"""The request builder: any method, path, headers and body, sent to this site.

With JavaScript the page sends the request itself with ``fetch()``. Without it, a
plain form can send only GET or POST, and only to its own ``action``: so it posts
here, and this view sends the browser on to the chosen path of this site, with 303
See Other for GET and 307 Temporary Redirect for POST, which makes the browser send
the same POST, body and all, to the new address (RFC 9110 §15.4.4, §15.4.8). A GET
carries the form's field in the query string, as a GET form does (HTML Standard,
"mutate action URL"); a POST carries it in the body. Only a path of this site is
accepted: never another host, so this is no open redirect.
"""

import re
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue

from methodslab.web.reason_phrases import REASON_PHRASES

bp = Blueprint("builder", __name__)

#: The longest path the plain form may send (the site's URL limit is larger).
MAX_PATH_LENGTH = 2000
#: A path of this site: one "/", then no second "/" or "\" (which browsers read as
#: "//", the start of another host: WHATWG URL Standard), no spaces or controls.
SITE_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f\x7f]*")
#: What the plain form may send: a form's method is GET or POST (HTML Standard, "method").
FORM_METHODS = {"GET": 303, "POST": 307}
#: The plain form's own controls; its other fields are what it sends along.
CONTROLS = {"method", "path"}
#: The longest field the plain form sends along, so that a GET's URL stays short.
MAX_FIELD_LENGTH = 500


@bp.get("/builder")
def builder() -> ResponseReturnValue:
    """Show the request builder."""
    return render_template(
        "builder.html",
        max_path_length=MAX_PATH_LENGTH,
        max_field_length=MAX_FIELD_LENGTH,
        reason_phrases=REASON_PHRASES,
    )


@bp.post("/builder/send")
def send() -> ResponseReturnValue:
    """Send the browser on to the path the plain form chose, with its method and fields."""
    method = request.form.get("method", "")
    path = site_path(request.form.get("path", ""))
    if method not in FORM_METHODS:
        abort(400, "A plain form sends GET or POST only; choose one of them.")
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in CONTROLS
    ]
    if any(len(value) > MAX_FIELD_LENGTH for _, value in fields):
        abort(400, f"A field sent along is at most {MAX_FIELD_LENGTH} characters.")
    if method == "GET" and fields:
        # Added to the path's own query, which is part of the address chosen.
        path += ("&" if "?" in path else "?") + urlencode(fields)
    return redirect(path, FORM_METHODS[method])


def site_path(path: str) -> str:
    """Return ``path`` if it names a path of this site; refuse (400) anything else."""
    if len(path) > MAX_PATH_LENGTH or not SITE_PATH.fullmatch(path):
        abort(
            400,
            "The path must start with a single / and name a page of this site, "
            "with no spaces and no backslashes; another host's address is refused.",
        )
    return path
