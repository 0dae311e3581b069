"""Security headers, request sanity checks and proxy settings, for every response.

Hand-written rather than Flask-Talisman: the policy is a handful of constant
headers, and Talisman's defaults (forced HTTPS redirects, nonces) would need
switching off more than they would add.
"""

import io
import re
from typing import IO, cast
from urllib.parse import quote, unquote_to_bytes

from flask import Flask, Request, Response, abort, request
from werkzeug.exceptions import BadRequest, LengthRequired, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

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
HEADERS_BESIDE_OWN_POLICY = {
    name: value for name, value in SECURITY_HEADERS.items() if name != "Content-Security-Policy"
}
HSTS = "max-age=31536000; includeSubDomains"

# A "%" not followed by two hex digits.
MALFORMED_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# A Host of an IP literal, with or without a port (RFC 3986 §3.2.2).
IP_LITERAL_HOST = re.compile(r"(?P<literal>\[[^]]*\])(?::[0-9]+)?")


class BodyOfDeclaredLength(LimitedStream):
    """A request body read up to its Content-Length, refused (400) if it ends before that."""

    def on_disconnect(self, error: Exception | None = None) -> None:
        """Refuse a body that stopped short: what came is not what the client meant to send."""
        raise BadRequest(
            f"The request body ended after {self._pos:,} of the {self.limit:,} bytes its "
            "Content-Length announced (RFC 9112 §6.3): nothing was done with it."
        )


def body_too_large(limit: int) -> RequestEntityTooLarge:
    """Return the 413 for a body over ``limit`` bytes, naming the limit."""
    return RequestEntityTooLarge(f"The request body is over the {limit:,} bytes this URL accepts.")


class SiteRequest(Request):
    """Flask's request, with a body read whole or refused, and IPv6 hosts."""

    _trusted_hosts: list[str] | None = None

    @cached_property
    def stream(self) -> IO[bytes]:
        """Return the body as its Content-Length bytes: 413 past the limit, 400 if fewer come.

        A body without a Content-Length (chunked) is 411: granian hands the app a chunked
        body cut short, or with a malformed chunk size, as if it had ended there, so a
        note would be stored half-sent. Only a declared length lets the site tell (RFC
        9110 §15.5.12 lets a server require one); browsers always send one.
        """
        length = self.content_length
        if length is None:
            if self.environ.get("HTTP_TRANSFER_ENCODING"):
                raise LengthRequired(
                    "Send the request body with a Content-Length header: this server cannot "
                    "tell a chunked body cut short from a whole one."
                )
            return io.BytesIO()  # neither field: no body (RFC 9112 §6.3)
        limit = self.max_content_length
        if limit is not None and length > limit:
            raise body_too_large(limit)
        return cast(IO[bytes], BodyOfDeclaredLength(self.environ["wsgi.input"], length))

    @property
    def trusted_hosts(self) -> list[str] | None:
        """Return the trusted hosts, or None (any well-formed host) for a trusted IPv6 literal."""
        # Werkzeug compares the Host to each trusted name cut at its first ":", so
        # "[::1]" could never match: such a Host is looked up here instead.
        host = self.environ.get("HTTP_HOST", "")
        literal = IP_LITERAL_HOST.fullmatch(host)
        trusted = self._trusted_hosts
        if (
            literal
            and trusted
            and literal["literal"].lower() in {name.lower() for name in trusted}
            and host_is_trusted(host)  # well formed, with a port from 1 to 65535
        ):
            return None
        return trusted

    @trusted_hosts.setter
    def trusted_hosts(self, hosts: list[str] | None) -> None:
        self._trusted_hosts = hosts


def init_security(app: Flask) -> None:
    """Install the request class, proxy settings, request checks and headers on ``app``."""
    app.request_class = SiteRequest
    hops = int(app.config.get("PROXY_FIX_HOPS", 0))
    if hops:
        # Trust X-Forwarded-For/-Proto/-Host from exactly this many proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.before_request(refuse_undecodable_input)
    app.after_request(add_security_headers)


def refuse_undecodable_input() -> None:
    """Refuse (400) a URL or form body with bad %-escapes or bytes that are not UTF-8."""
    for where, raw in percent_encoded_parts():
        if raw.isascii() and b"%" not in raw:
            continue  # the usual case: no escapes, and ASCII is UTF-8
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
    # granian passes none: escaping its decoded path again (one character per byte,
    # PEP 3333) still shows bytes that are not UTF-8, though not a malformed escape.
    raw_target = (
        environ.get("RAW_URI")
        or environ.get("REQUEST_URI")
        or quote(environ.get("PATH_INFO", ""), safe="/", encoding="latin-1")
    )
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
    # Only the CORS lab's frame sets a policy of its own (cors_lab.frame_policy); no view
    # sets the others, so they are appended without looking for earlier ones.
    if "Content-Security-Policy" in response.headers:
        response.headers.extend(HEADERS_BESIDE_OWN_POLICY)
    else:
        response.headers.extend(SECURITY_HEADERS)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response
