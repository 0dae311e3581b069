"""Pages that are the same for every visitor: rendered and compressed once, then reused.

The lessons are text that only changes when the code does, so rendering them
for each request would spend the server's time on nothing. A page built here
is compressed once at the highest level and answered with its ETag, so a
revalidation costs almost nothing.

A shared page is never rendered from the request that happens to arrive
first: it is rendered in a request of its own for the page's canonical URL
(``canonical_base``), so nothing a client sends besides the trusted host name,
the scheme and the path can reach what other visitors get (a forged port,
Script-Name or X-Forwarded-* header included), and the cache holds one copy
per page and host name, however many ports clients name.
"""

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

import brotli
from flask import Response, abort, current_app, request

from methodslab.web.conditions import PAGE_IF_MATCH_FAILED, page_failure

# Host names are limited by TRUSTED_HOSTS and paths by the routes; this only
# guards against a deployment that trusts every host.
MAX_PAGES = 512
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
DEFAULT_PORTS = {"http": "80", "https": "443"}
# One render or compression at a time per worker: the threads that ask for a
# page nobody has built yet wait for the first one's, instead of all building it.
BUILDING = threading.RLock()  # re-entered: a lesson renders by asking this app for pages


@dataclass
class Page:
    """A rendered page, its entity tag, and its compressed forms as they are asked for."""

    html: bytes
    etag: str = field(init=False)
    # Per encoding (None: as is): the body and the headers that go with it.
    variants: dict[str | None, tuple[bytes, list[tuple[str, str]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.etag = hashlib.sha1(self.html, usedforsecurity=False).hexdigest()

    def variant(self, encoding: str | None) -> tuple[bytes, list[tuple[str, str]]]:
        """Return the body and headers for ``encoding``, compressing the page the first time."""
        if encoding in self.variants:
            return self.variants[encoding]
        with BUILDING:
            if encoding in self.variants:  # built while this thread waited
                return self.variants[encoding]
            body = ENCODERS[encoding](self.html) if encoding else self.html
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Vary", "Accept-Encoding"),
                ("Cache-Control", "no-cache"),
                ("ETag", f'W/"{self.etag}"'),
            ]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            self.variants[encoding] = (body, headers)
        return self.variants[encoding]


def canonical_base() -> str:
    """Return the site's root URL as a shared page shows it: scheme, host name, port, root.

    The host name is the request's, already checked against TRUSTED_HOSTS. The
    port is the one the server listens on, not the one the Host header names:
    any port there would be a new page. Behind proxies (PROXY_FIX_HOPS) the
    proxy's Host, scheme and port are the public ones, and ProxyFix has put
    them in place.
    """
    scheme = request.scheme
    if current_app.config.get("PROXY_FIX_HOPS"):
        return request.host_url + request.script_root.lstrip("/")
    hostname = request.host.lower()
    if not hostname.endswith("]"):  # "[::1]" has no port; "[::1]:5000" and "localhost:5000" do
        hostname = hostname.rpartition(":")[0] or hostname
    port = request.environ.get("SERVER_PORT", DEFAULT_PORTS[scheme])
    netloc = hostname if port == DEFAULT_PORTS.get(scheme) else f"{hostname}:{port}"
    return f"{scheme}://{netloc}{request.script_root}/"


def cached_page(render: Callable[[], str]) -> Response:
    """Answer with the page ``render`` makes, rendering it once per canonical URL."""
    pages: dict[str, Page] = current_app.extensions.setdefault("pages", {})
    base = canonical_base()
    key = base + request.path.lstrip("/")
    page = pages.get(key)
    if page is None:
        with BUILDING:
            page = pages.get(key)  # built while this thread waited?
            if page is None:
                if len(pages) >= MAX_PAGES:
                    pages.clear()
                # In a request of its own for the canonical URL: what render reads of
                # `request` (host, scheme, root, headers, cookies) is the same for everyone.
                with current_app.test_request_context(request.path, base_url=base):
                    page = pages[key] = Page(render().encode())
    body, headers = page.variant(request.accept_encodings.best_match(list(ENCODERS)))
    failure = page_failure(request, page.etag)
    if failure is not None and failure.status == HTTPStatus.NOT_MODIFIED:
        return Response(status=304, headers=headers)
    if failure is not None:
        abort(412, PAGE_IF_MATCH_FAILED)
    return Response(body, headers=headers)
