"""The CORS lab: a second origin served by this site, and an endpoint that answers it.

The second origin is this same site under its other name, when it has one: a page
on 127.0.0.1 frames the lab's frame from localhost, and the other way round
(``CORS_LAB_HOST_PAIRS`` names such pairs; each name must be in ``TRUSTED_HOSTS``).
On a host with no partner the frame is a sandboxed document instead (CSP ``sandbox
allow-scripts``): its origin is opaque, and its requests carry ``Origin: null``
(HTML Standard, "sandboxed origin browsing context flag"; Fetch Standard,
"serializing a request origin"). Chromium keeps no preflight cache for an opaque
origin, so only a partner name shows a cached preflight.

The lab endpoint, and only it, allows those two origins. It reads and writes
nothing of the visitor's: credentials are never allowed (no
``Access-Control-Allow-Credentials``), so the browser sends no cookies, and the
records it keeps are the lab's own header fields, keyed by a random run id.
site/SECURITY.md, "The CORS lab", says why this design and what it costs.
"""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.http import HTTP_STATUS_CODES

from methodslab.pages.cors_lab_store import ExchangeRecorder, message
from methodslab.teaching.raw_http import Message
from methodslab.teaching.sequence_diagram import Step, sequence_diagram
from methodslab.web.security import CONTENT_SECURITY_POLICY

bp = Blueprint("cors_lab", __name__, url_prefix="/labs/cors")

#: The origin of any sandboxed document (Fetch Standard: an opaque origin serializes so).
OPAQUE_ORIGIN = "null"
#: What a preflight may ask for: the lab's PUT, with a JSON body and the lab's own header.
ALLOWED_METHODS = "PUT, POST"
ALLOWED_HEADERS = "Content-Type, X-Lab-Demo"
#: How long the browser may keep the preflight's answer (Fetch Standard caps are the
#: browser's: Chromium keeps it at most 2 hours, Firefox 24).
PREFLIGHT_MAX_AGE = 600
#: The request fields the lab records: what CORS looks at, never cookies or credentials.
RECORDED_REQUEST_FIELDS = (
    "Origin",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    "Content-Type",
    "X-Lab-Demo",
    "Sec-Fetch-Mode",
    "Sec-Fetch-Site",
)
RECORDED_RESPONSE_FIELDS = ("Allow", "Vary", "Content-Type")
#: The page that holds the lab.
LAB_PAGE = "/methods/options"
#: A run id, as the lab page makes it (crypto.randomUUID()).
RUN_ID = re.compile(r"[A-Za-z0-9-]{16,64}")


def recorder() -> ExchangeRecorder:
    """Return the app's exchange recorder."""
    exchanges: ExchangeRecorder = current_app.extensions["cors_lab"]
    return exchanges


@cache
def frame_asset(filename: str) -> str:
    """Return a static file of the frame's, inlined so that no request of an opaque origin loads it.

    A ``<script src>`` or stylesheet link from the sandboxed frame would be a cross-origin
    no-cors request, which the site's ``Cross-Origin-Resource-Policy: same-origin`` blocks.
    """
    text = Path(current_app.static_folder or "", filename).read_text()
    if "</" in text:  # would end the inline <script> or <style> element early
        raise ValueError(f"{filename} must not contain '</'")
    return text


@cache
def frame_asset_hash(filename: str) -> str:
    """Return the CSP hash source of one of the frame's inline assets."""
    digest = hashlib.sha256(frame_asset(filename).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def partner_host() -> str | None:
    """Return this site's other name for the request's host, with its port, if it has one."""
    name, colon, port = request.host.rpartition(":")
    if not colon or not port.isdigit():
        name, port = request.host, ""
    for pair in current_app.config["CORS_LAB_HOST_PAIRS"]:
        if name in pair and len(pair) == 2:
            partner = pair[1] if name == pair[0] else pair[0]
            return f"{partner}:{port}" if port else partner
    return None


def partner_origin() -> str | None:
    """Return the origin of this site under its other name, if it has one."""
    partner = partner_host()
    return f"{request.scheme}://{partner}" if partner else None


def frame_url() -> str:
    """Return the address of the lab's frame: under the partner name when there is one."""
    partner = partner_origin()
    return f"{partner or ''}{url_for('cors_lab.frame')}"


def frame_policy(parent: str) -> str:
    """Return the frame document's Content-Security-Policy, which replaces the site's.

    It runs only its own inline script, connects only to the lab page's origin, and
    only that origin may frame it; every other page keeps ``frame-ancestors 'none'``.
    Without a partner name, ``sandbox allow-scripts`` makes its origin opaque even
    when opened directly.
    """
    partner = partner_host()
    return "; ".join(
        [
            *([] if partner else ["sandbox allow-scripts"]),
            "default-src 'none'",
            f"script-src {frame_asset_hash('cors_frame.js')}",
            # The site's font and colours, inline (CSP3 §8.2: a hash allows an inline <style>).
            f"style-src {frame_asset_hash('cors_frame.css')}",
            # The partner's host without a scheme: see allow_the_lab_frame.
            f"connect-src {partner or parent}",
            f"frame-ancestors {parent}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


@bp.get("/frame")
def frame() -> ResponseReturnValue:
    """Serve the second origin: a document that sends the lab's requests to the lab page's."""
    # The lab page is on the partner name, or (sandboxed) on this very host.
    partner = partner_origin()
    parent = partner or request.host_url.rstrip("/")
    origin = request.host_url.rstrip("/") if partner else OPAQUE_ORIGIN
    page = render_template(
        "cors_frame.html",
        script=frame_asset("cors_frame.js"),
        style=frame_asset("cors_frame.css"),
        parent=parent,
        origin=origin,
    )
    return page, {"Content-Security-Policy": frame_policy(parent), "Cache-Control": "no-store"}


def allow_the_lab_frame(response: Response) -> Response:
    """Let the OPTIONS lesson, and no other page, frame the partner name's lab frame."""
    # No URL adapter: the Host was refused (400), and reading it again would raise.
    if request.path != LAB_PAGE or request_ctx.url_adapter is None:
        return response
    # The partner's host as a source without a scheme, which matches this page's own
    # scheme, or https for an http page (CSP3 §6.7.2.8): written "http://…" it would let
    # an https page load over plain HTTP, and REDbot (httplint) warns of any "http:" source.
    partner = partner_host()
    if partner and response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = (
            f"{CONTENT_SECURITY_POLICY}; frame-src 'self' {partner}"
        )
    return response


@bp.route("/run/<run>", methods=["OPTIONS", "PUT", "POST"], provide_automatic_options=False)
def endpoint(run: str) -> ResponseReturnValue:
    """Answer the lab's requests, preflights included, and record each exchange."""
    if not RUN_ID.fullmatch(run):
        abort(404)
    if request.method == "OPTIONS":
        response = Response(status=204, headers={"Allow": "OPTIONS, PUT, POST"})
        del response.headers["Content-Type"]  # no content, so no type to name
        if is_preflight():
            # Fetch Standard, "HTTP responses": the answer a CORS-preflight request needs.
            response.headers.update(preflight_answer())
    else:
        response = jsonify(received=f"{request.method} {request.path}", run=run)
        response.headers.update(allow_origin())
    # A browser, or a cache, must not reuse an answer made for one origin for another.
    response.vary.add("Origin")
    protocol = request.environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    received = [
        (name, value)
        for name in RECORDED_REQUEST_FIELDS
        if (value := request.headers.get(name)) is not None
    ]
    status = response.status_code
    recorder().record(
        run,
        message(f"{request.environ['REQUEST_METHOD']} {request.path} {protocol}", received),
        message(f"{protocol} {status} {HTTP_STATUS_CODES[status]}", shown(response)),
    )
    return response


def is_preflight() -> bool:
    """Tell whether the request is a CORS preflight: OPTIONS naming the coming method."""
    return "Origin" in request.headers and "Access-Control-Request-Method" in request.headers


def allow_origin() -> dict[str, str]:
    """Return the field allowing the lab frame's origin, or nothing for any other origin."""
    origin = request.headers.get("Origin")
    if origin is None or origin not in (OPAQUE_ORIGIN, partner_origin()):
        return {}
    # No Access-Control-Allow-Credentials: the browser must send no cookies here.
    return {"Access-Control-Allow-Origin": origin}


def preflight_answer() -> dict[str, str]:
    """Return the preflight's answer for the lab's origin; nothing for any other.

    The same answer whatever is asked: the browser compares it with the request it
    means to send, and refuses a method or header not listed (the refused variant).
    """
    allowed = allow_origin()
    if not allowed:
        return {}
    return allowed | {
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
    }


def shown(response: Response) -> list[tuple[str, str]]:
    """Return the response fields the lab shows: every Access-Control-* and a few more."""
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.startswith("Access-Control-") or name in RECORDED_RESPONSE_FIELDS
    ]


@bp.get("/run/<run>/exchanges")
def exchanges(run: str) -> ResponseReturnValue:
    """Return what the lab endpoint received and answered for ``run``, oldest first."""
    if not RUN_ID.fullmatch(run):
        abort(404)
    recorded = recorder().exchanges(run)
    response = jsonify(run=run, exchanges=recorded, diagram=str(drawing(recorded)))
    response.cache_control.no_store = True
    return response


#: The fields a diagram of the lab names: what decides CORS, not the rest of the record.
DRAWN_FIELDS = (
    "Origin",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Max-Age",
)


def drawing(exchanges: list[dict[str, Any]]) -> Markup:
    """Draw a run's exchanges as the server recorded them, preflight included."""
    steps = [
        Step.of(
            Message(side["line"], tuple((name, value) for name, value in side["headers"])),
            DRAWN_FIELDS,
        )
        for exchange in exchanges
        for side in (exchange["request"], exchange["response"])
    ]
    preflights = sum(exchange["request"]["line"].startswith("OPTIONS ") for exchange in exchanges)
    return sequence_diagram(
        steps,
        name="cors-run",
        title="This run, as the server saw it",
        summary=f"{len(exchanges)} requests reached the server, {preflights} of them preflights.",
        sides=("Other origin", "Server"),
    )
