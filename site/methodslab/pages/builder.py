"""The request builder: any method, path, headers and body, sent to this site.

With JavaScript the page sends the request itself with ``fetch()``. Without it, a
plain form can send only GET or POST, and only to its own ``action``: so it posts
here, and this view sends the browser on to the chosen path of this site, with 303
See Other for GET and 307 Temporary Redirect for POST, which makes the browser send
the same POST, body and all, to the new address (RFC 9110 §15.4.4, §15.4.8). A GET
carries the form's field in the query string, as a GET form does (HTML Standard,
"mutate action URL"); a POST carries it in the body. Only a path of this site is
accepted: never another host, so this is no open redirect.

``/builder?method=PUT&url=/api/notes/x&header=Accept:+application/json&body=…`` opens
the builder with that request filled in, and written out for five clients
(``methodslab.teaching.snippets``). The query is only ever data: Jinja escapes it into the
fields, no script reads it, and what HTTP does not allow is refused (400).
"""

import re
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue

from methodslab.pages.copy_as import Copyable, copyable
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
#: Where the builder sends by default: the echo describes the request it receives.
DEFAULT_PATH = "/echo/builder"
#: A method or field name: a token (RFC 9110 §5.6.2, §9.1, §5.1).
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}")
#: A field value: visible ASCII, spaces and tabs (RFC 9110 §5.5): no CR, LF or NUL,
#: which would end the field and start another; nothing non-ASCII, which fetch()
#: sends as Latin-1 and curl as UTF-8.
FIELD_VALUE = re.compile(r"[\x20-\x7e\t]{0,1000}")
#: The most header fields a builder link fills in.
MAX_HEADERS = 20
#: What fetch() names a string body it sends without a type (Fetch Standard,
#: "extract a body"); the other clients are told to send the same.
FETCH_TEXT_TYPE = "text/plain;charset=UTF-8"


@bp.get("/builder")
def builder() -> ResponseReturnValue:
    """Show the request builder, filled in and written out for five clients if the query asks."""
    return render_template(
        "builder.html",
        max_path_length=MAX_PATH_LENGTH,
        max_field_length=MAX_FIELD_LENGTH,
        reason_phrases=REASON_PHRASES,
        filled=requested() if "method" in request.args else None,
        filled_path=request.args.get("url", DEFAULT_PATH),
    )


def requested() -> Copyable:
    """Return the request the query string describes; refuse (400) what HTTP does not allow."""
    method = request.args.get("method", "")
    if not TOKEN.fullmatch(method):
        abort(400, "The method must be a token: letters, digits and !#$%&'*+.^_`|~- only.")
    path = site_path(request.args.get("url", DEFAULT_PATH))
    headers = [header_field(line) for line in request.args.getlist("header")]
    if len(headers) > MAX_HEADERS:
        abort(400, f"A builder link fills in at most {MAX_HEADERS} header fields.")
    body = request.args.get("body", "")
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", FETCH_TEXT_TYPE))
    return copyable(method, path, headers, body)


def header_field(line: str) -> tuple[str, str]:
    """Return a "Name: value" line as a header field; refuse (400) one HTTP does not allow."""
    name, colon, value = line.partition(":")
    value = value.strip(" \t")
    if not (colon and TOKEN.fullmatch(name) and FIELD_VALUE.fullmatch(value)):
        abort(
            400,
            'Each header is written "Name: value": the name a token, the value visible '
            "ASCII characters and spaces, with no line breaks.",
        )
    return name, value


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
