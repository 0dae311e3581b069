"""HTTP caching and compression: fingerprinted static files kept for a year, pages
revalidated with ETags (304 Not Modified), text compressed with Brotli or gzip."""

import hashlib
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.exceptions import PreconditionFailed

from methodslab.web.conditions import PAGE_IF_MATCH_FAILED, page_failure
from methodslab.web.page_cache import BUILDING, ENCODERS

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


class SmallResponsesCompress(Compress):
    """flask-compress, quick with the many answers too small for it to compress."""

    def after_request(self, response: Response | None) -> Response:
        """Only add Vary to a body under COMPRESS_MIN_SIZE (or empty), as flask-compress would."""
        # Its own check parses Accept-Encoding and Content-Type first, for a body
        # it then leaves alone.
        if response is None:
            return super().after_request(response)
        length = None if response.is_streamed else response.content_length
        if length is None and not response.is_streamed:
            # A body set without Content-Length, such as Flask's empty OPTIONS answer:
            # flask-compress would compress nothing into a byte of Brotli.
            length = response.calculate_content_length()
        if length is not None and length < current_app.config["COMPRESS_MIN_SIZE"]:
            vary_on(response, "Accept-Encoding")
            return response
        return super().after_request(response)


def vary_on(response: Response, field: str) -> None:
    """Add ``field`` to the response's Vary header unless it is listed (RFC 9110 §12.5.5)."""
    # Vary is a comma-separated list of field names: no quoting to parse, unlike
    # werkzeug's response.vary, which cost as much as a small hook.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = field
    elif field.lower() not in (name.strip().lower() for name in vary.split(",")):
        response.headers["Vary"] = f"{vary}, {field}"


def add_cache_directives(response: Response, **directives: bool) -> None:
    """Add Cache-Control directives, written out at once when there were none before."""
    if "Cache-Control" in response.headers:
        for name, value in directives.items():
            setattr(response.cache_control, name, value)
    else:  # the usual case, without parsing an empty header into an object and back
        response.headers["Cache-Control"] = ", ".join(
            name.replace("_", "-") for name, value in directives.items() if value
        )


def init_caching(app: Flask) -> None:
    """Fingerprint static URLs, set cache headers and compress responses of ``app``."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Pages carry weak ETags (the same page, whatever its encoding), and this
    # module answers If-None-Match itself, before any compression is done.
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    SmallResponsesCompress(app)
    # After Compress: after_request hooks run last-registered first, so the
    # ETag and any 304 are settled before the body is compressed.
    app.url_defaults(fingerprint_static_urls)
    app.after_request(set_cache_headers)


def static_files() -> frozenset[str]:
    """Return the static folder's files, by the one name each is served under.

    Listed once per app: "./style.css" or "x/../style.css" name the same file to
    the filesystem, but only the listed spelling is served (others are 404), so
    the memos below hold one entry per real file whatever the requests spell. The
    files are part of the code: one added while the server runs is served after a
    restart, as an edited one is read and fingerprinted again only then.
    """
    files: frozenset[str] | None = current_app.extensions.get("static_files")
    if files is None:
        folder = Path(current_app.static_folder or "")
        files = frozenset(
            path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
        )
        current_app.extensions["static_files"] = files
    return files


# A stylesheet's comments are for its maintainers: without them style.css is a fifth smaller
# as Brotli sends it (5,719 bytes, 4,437). CSS comments do not nest, and none of ours is
# inside a string (tests/test_caching.py).
CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)


class ServedFile(NamedTuple):
    """A listed static file as the site serves it: read once per process, like its hash."""

    content: bytes  # a stylesheet without its comments
    modified: float  # the file's mtime as it was read, for Last-Modified


def served_file(filename: str) -> ServedFile:
    """Return a listed static file as the site serves it."""
    served: dict[str, ServedFile] = current_app.extensions.setdefault("served_files", {})
    if filename not in served:
        path = Path(current_app.static_folder or "", filename)
        modified, content = path.stat().st_mtime, path.read_bytes()
        if filename.endswith(".css"):
            content = CSS_COMMENT.sub(b"", content)
        served[filename] = ServedFile(content, modified)
    return served[filename]


def static_fingerprint(filename: str) -> str | None:
    """Return a short hash of a static file's content, or None if there is no such file."""
    if filename not in static_files():
        return None
    fingerprints: dict[str, str] = current_app.extensions.setdefault("fingerprints", {})
    if filename not in fingerprints:
        fingerprints[filename] = hashlib.sha256(served_file(filename).content).hexdigest()[:12]
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
            # No "public": it only lets caches store answers to requests with
            # Authorization (RFC 9111 §5.2.2.9), and this site asks for none.
            response.cache_control.no_cache = None  # Flask's default for files
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
        return compressed_once(response, filename)
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.is_streamed
        and "ETag" not in response.headers  # cached pages come with theirs
        # A page no cache may store (the echo, the CORS lab's frame) has nothing to revalidate.
        and "no-store" not in response.headers.get("Cache-Control", "")
    ):
        return revalidated(response)
    return response


def revalidated(response: Response) -> Response:
    """Let caches keep ``response`` but ask every time, by its weak ETag: 304 when unchanged.

    Weak: the same representation in each content-coding (RFC 9110 §8.8.1). Without
    Cache-Control a cache could pick a freshness lifetime of its own (RFC 9111 §4.2.2).
    """
    response.cache_control.no_cache = True
    response.add_etag(weak=True)
    return answer_page_conditions(response)


def answer_page_conditions(response: Response) -> Response:
    """Answer a page's preconditions: 304 if If-None-Match names it, 412 for a failed If-Match.

    Not Werkzeug's make_conditional, which fails If-Match: * and matches a weak tag
    strongly (web/conditions.py).
    """
    etag, _ = response.get_etag()
    failure = page_failure(request, etag or "")
    if failure is None:
        return response
    if failure.status == HTTPStatus.NOT_MODIFIED:
        response.status_code = 304  # Werkzeug sends no body with it
        return response
    # Past the view, so the site's error handler is called here, not by abort().
    refused = current_app.make_response(
        current_app.handle_http_exception(PreconditionFailed(PAGE_IF_MATCH_FAILED))
    )
    # The error handler chose a page or JSON by Accept; its own hook for Vary has run.
    vary_on(refused, "Accept")
    return refused


def compressed_once(response: Response, filename: str) -> Response:
    """Send a static text file compressed once per encoding, at the highest level.

    flask-compress would stream it through Brotli on every request (and not gzip
    it at all): the stylesheet cost more than a rendered page. Kept per file
    content, so an edited file is compressed again.
    """
    if response.status_code != 200 or response.mimetype not in COMPRESSED_TYPES:
        return response
    encoding = request.accept_encodings.best_match(list(ENCODERS))
    fingerprint = static_fingerprint(filename)
    if encoding is None or fingerprint is None:
        return response
    bodies: dict[tuple[str, str, str], bytes] = current_app.extensions.setdefault(
        "compressed_static", {}
    )
    key = (filename, fingerprint, encoding)
    if key not in bodies:
        with BUILDING:
            if key not in bodies:  # compressed while this thread waited?
                # Listed: checked above.
                bodies[key] = ENCODERS[encoding](served_file(filename).content)
    etag, weak = response.get_etag()
    response.direct_passthrough = False
    response.set_data(bodies[key])
    response.headers["Content-Encoding"] = encoding
    vary_on(response, "Accept-Encoding")
    if etag:  # another representation, another validator (RFC 9110 §8.8.3)
        response.set_etag(f"{etag}-{encoding}", weak=bool(weak))
        response.make_conditional(request)  # a 304 if the client holds this one
    return response
