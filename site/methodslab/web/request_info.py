"""Describe a request as the server saw it (the model is httpbin's ``get_dict``)."""

from typing import Any

from flask import request

#: The most bytes of a request body that are echoed back; the rest is counted.
MAX_ECHOED_BODY = 10_000


def describe_request() -> dict[str, Any]:
    """Return the current request's method, URL parts, body and headers."""
    # Cache the raw body first: form and JSON parsing then read the cached copy.
    raw_body = request.get_data(cache=True)
    return {
        "method": request.method,
        "path": request.path,
        "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        "query": request.args.to_dict(flat=False),
        "form": request.form.to_dict(flat=False),
        "files": {name: file.filename for name, file in request.files.items()},
        "json": request.get_json(silent=True),
        "body": raw_body[:MAX_ECHOED_BODY].decode("utf-8", "replace"),
        "body_bytes": len(raw_body),
        "body_truncated": len(raw_body) > MAX_ECHOED_BODY,
        "headers": {name: _shown(name, value) for name, value in request.headers.items()},
    }


def _shown(name: str, value: str) -> str:
    """Hide cookie values: echoing them would let page scripts read HttpOnly cookies."""
    if name.lower() != "cookie":
        return value
    count = len([part for part in value.split(";") if part.strip()])
    return f"({count} cookie{'s' if count != 1 else ''}, values hidden)"


def wants_html() -> bool:
    """Tell whether the client prefers an HTML page to JSON (a browser tab does)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"
