"""HTTP caching and compression: fingerprinted static files kept for a year, pages
revalidated with ETags (304 Not Modified), text compressed with Brotli or gzip."""

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask_compress import Compress

#: A year: the most caches honour. Safe only because the URL changes with the file.
STATIC_MAX_AGE = 365 * 24 * 3600
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
]


def init_caching(app: Flask) -> None:
    """Fingerprint static URLs, set cache headers and compress responses of ``app``."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Pages carry weak ETags (the same page, whatever its encoding), and this
    # module answers If-None-Match itself, before any compression is done.
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    Compress(app)
    # After Compress: after_request hooks run last-registered first, so the
    # ETag and any 304 are settled before the body is compressed.
    app.url_defaults(fingerprint_static_urls)
    app.after_request(set_cache_headers)


def static_fingerprint(filename: str) -> str | None:
    """Return a short hash of a static file's content, or None if there is no such file."""
    fingerprints: dict[str, str | None] = current_app.extensions.setdefault("fingerprints", {})
    if filename not in fingerprints:
        path = Path(current_app.static_folder or "", filename)
        fingerprints[filename] = (
            hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None
        )
    return fingerprints[filename]


def fingerprint_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    """Add ``?v=<content hash>`` to static URLs, so a changed file gets a new URL."""
    if endpoint == "static" and "filename" in values:
        fingerprint = static_fingerprint(values["filename"])
        if fingerprint:
            values.setdefault("v", fingerprint)


def set_cache_headers(response: Response) -> Response:
    """Let browsers keep fingerprinted files for a year and revalidate pages every time."""
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args["v"] == static_fingerprint(filename):
            response.cache_control.no_cache = None  # Flask's default for files
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
        return response
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.is_streamed
        and "ETag" not in response.headers  # cached pages come with theirs
    ):
        response.cache_control.no_cache = True
        response.add_etag(weak=True)
        response.make_conditional(request)
    return response
