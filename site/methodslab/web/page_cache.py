"""Pages that are the same for every visitor: rendered and compressed once, then reused.

The lessons are text that only changes when the code does, so rendering them
for each request would spend the server's time on nothing. A page built here
is kept per host (the curl commands name it), compressed once at the highest
level, and answered with its ETag, so a revalidation costs almost nothing.
"""

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import brotli
from flask import Response, current_app, request

from methodslab.web.replay import mark_replayable

# Hosts are limited by TRUSTED_HOSTS and paths by the routes; this only guards
# against a deployment that trusts every host.
MAX_PAGES = 512
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


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
        if encoding not in self.variants:
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


def cached_page(render: Callable[[], str]) -> Response:
    """Answer with the page ``render`` makes, rendering it only the first time per host."""
    pages: dict[tuple[str, str], Page] = current_app.extensions.setdefault("pages", {})
    key = (request.host, request.path)
    page = pages.get(key)
    if page is None:
        if len(pages) >= MAX_PAGES:
            pages.clear()
        page = pages[key] = Page(render().encode())
    body, headers = page.variant(request.accept_encodings.best_match(list(ENCODERS)))
    mark_replayable()
    if request.if_none_match.contains_weak(page.etag):
        return Response(status=304, headers=headers)
    return Response(body, headers=headers)
