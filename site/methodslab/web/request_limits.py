"""Limits on a request's line and headers, answered by the site: 414 and 431 pages.

The server (granian) buffers at most site/serve.py's HEAD_BUFFER_BYTES of
request line and headers and answers its own bare 414 or 431 past that; these
tighter limits are checked here, so that the answer is the site's: a page or
problem JSON with the security headers, a request id and a log line.
"""

from urllib.parse import quote

from flask import Flask, request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge

# The GET login form puts a name of up to 500 characters in the URL, up to
# 6000 bytes percent-encoded (pages/names.py): 8190 leaves room to spare.
MAX_REQUEST_LINE_BYTES = 8190
MAX_HEADER_FIELDS = 50
MAX_HEADER_FIELD_BYTES = 8190
# Characters a path keeps unescaped on the wire (RFC 3986, section 3.3).
PATH_CHARACTERS = "/:@!$&'()*+,;=-._~"


def init_request_limits(app: Flask) -> None:
    """Refuse requests of ``app`` whose line or headers are over the limits."""
    app.before_request(refuse_oversized_head)


def request_line_over(limit: int) -> bool:
    """Tell whether the request line as sent is over ``limit`` bytes, its path escaped again.

    WSGI servers pass the path decoded; escaping it again gives its length on
    the wire for any client that escapes only what it must. Escaping turns a
    byte into at most three ("%2F"), so a line that would fit with its path
    tripled is not escaped at all.
    """
    environ = request.environ
    # Each character of a WSGI path stands for one byte (PEP 3333): Latin-1.
    raw_path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    # The method, the protocol, two spaces and the "?" before a query.
    rest = len(request.method) + len(environ.get("SERVER_PROTOCOL", "HTTP/1.1")) + 3
    if 3 * len(raw_path) + len(query) + rest <= limit:
        return False
    path = quote(raw_path, PATH_CHARACTERS, encoding="latin-1")
    return len(path) + len(query) + rest - (0 if query else 1) > limit


def refuse_oversized_head() -> None:
    """Answer 414 for a long request line, 431 for too many or too long header fields.

    RFC 9110 section 15.5.15 (414 URI Too Long), RFC 6585 section 5 (431).
    """
    if request_line_over(MAX_REQUEST_LINE_BYTES):
        raise RequestURITooLarge(f"The request line is over {MAX_REQUEST_LINE_BYTES} bytes.")
    # Read from the environ, as the server passed them: Werkzeug's header view would
    # decode every field again on every request.
    fields = [(key, value) for key, value in request.environ.items() if is_header(key, value)]
    if len(fields) > MAX_HEADER_FIELDS:
        raise RequestHeaderFieldsTooLarge(
            f"The request has over {MAX_HEADER_FIELDS} header fields."
        )
    for key, value in fields:
        # "HTTP_X_LAB" stands for "X-Lab": the same length without its prefix.
        length = len(key.removeprefix("HTTP_")) + 2 + len(value)
        if length > MAX_HEADER_FIELD_BYTES:
            raise RequestHeaderFieldsTooLarge(
                f"A header field is over {MAX_HEADER_FIELD_BYTES} bytes."
            )


def is_header(key: str, value: object) -> bool:
    """Tell whether a WSGI environ entry carries a request header field (PEP 3333).

    Servers may set CONTENT_TYPE and CONTENT_LENGTH empty when no such field came.
    """
    return key.startswith("HTTP_") or (key in ("CONTENT_TYPE", "CONTENT_LENGTH") and bool(value))
