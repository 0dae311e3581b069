"""Range requests (RFC 9110 §14): the parts of Werkzeug's handling that RFC 9110 forbids, undone.

Werkzeug serves byte ranges of static files (``send_file``): 206 Partial Content with
Content-Range, If-Range, and 416 for a range past the end or a malformed one, which
§14.2 allows ("MAY ignore or reject ... an invalid ranges-specifier"). But it answers
416 where RFC 9110 says the Range field must be ignored, or where ignoring it is the
only right answer it has:

- a range unit other than bytes: "An origin server MUST ignore a Range header field
  that contains a range unit it does not understand" (§14.2);
- a method other than GET, HEAD included: "A server MUST ignore a Range header field
  received with a request method that is unrecognized or for which range handling is
  not defined", and GET is the only method that defines it (§14.2);
- several ranges: Werkzeug cannot send them (multipart/byteranges, §14.6), and 416 says
  the ranges are invalid or excessive (§15.5.17), which two valid ranges are not. A
  server may ignore any Range field (§14.2): the whole file, 200, is a right answer.

So such a field is removed before the request reaches a view: ignored, as if not sent.
"""

from flask import Flask, request


def init_ranges(app: Flask) -> None:
    """Ignore the Range fields RFC 9110 says to ignore, on every request to ``app``."""
    app.before_request(ignore_unserved_ranges)


def ignore_unserved_ranges() -> None:
    """Remove a Range field that names another unit, several ranges or comes with another method."""
    environ = request.environ
    value = environ.get("HTTP_RANGE")
    if value is None:
        return
    unit, _, ranges = value.partition("=")
    # Range units are case-insensitive (§14.1); a comma separates ranges (§14.1.1).
    if request.method != "GET" or unit.strip(" \t").lower() != "bytes" or "," in ranges:
        del environ["HTTP_RANGE"]
