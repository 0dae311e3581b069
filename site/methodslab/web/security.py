"""Security headers, request sanity checks and proxy settings, for every response.

Hand-written rather than Flask-Talisman: the policy is a handful of constant
headers, and Talisman's defaults (forced HTTPS redirects, nonces) would need
switching off more than they would add.
"""

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

# A "%" not followed by two hex digits.
MALFORMED_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def init_security(app: Flask) -> None:
    """Install the proxy settings, request checks and headers on ``app``."""
    hops = int(app.config.get("PROXY_FIX_HOPS", 0))
    if hops:
        # Trust X-Forwarded-For/-Proto/-Host from exactly this many proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.before_request(refuse_undecodable_input)
    app.after_request(add_security_headers)


def refuse_undecodable_input() -> None:
    """Refuse (400) a URL or form body with bad %-escapes or bytes that are not UTF-8."""
    for where, raw in percent_encoded_parts():
        if MALFORMED_ESCAPE.search(raw):
            abort(400, f"The {where} has a '%' that is not followed by two hex digits.")
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            abort(400, f"The {where} is not valid UTF-8 once its %-escapes are decoded.")


def percent_encoded_parts() -> list[tuple[str, bytes]]:
    """Return the parts of the request that arrive percent-encoded, as raw bytes."""
    environ = request.environ
    # WSGI servers pass the path decoded; the raw request target keeps its escapes.
    raw_target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    parts = [
        ("path", raw_target.partition("?")[0].encode("latin-1", "replace")),
        ("query string", environ.get("QUERY_STRING", "").encode("latin-1", "replace")),
    ]
    if request.mimetype == "application/x-www-form-urlencoded":
        # Within the size limit by now; cached for the form parser to reuse.
        parts.append(("form body", request.get_data(cache=True)))
    return parts


def add_security_headers(response: Response) -> Response:
    """Add the security headers, and HSTS when the request came over HTTPS."""
    # No view sets these, so they are appended without looking for earlier ones.
    response.headers.extend(SECURITY_HEADERS)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response
