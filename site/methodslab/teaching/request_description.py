"""Describe a request as the server saw it, for the echo (the model is httpbin's ``get_dict``)."""

from typing import Any

from flask import request

from methodslab.web.json_bounds import load_json
from methodslab.web.request_info import described_method

#: The most bytes of a request body that are echoed back; the rest is counted.
MAX_ECHOED_BODY = 10_000
#: Header fields that carry credentials (RFC 9110 §11.6.2, §11.7.2): only their scheme is shown.
CREDENTIAL_FIELDS = {"authorization", "proxy-authorization"}
#: The IANA HTTP Authentication Scheme Registry's names (RFC 9110 §16.4.1), lower-cased:
#: only these are shown before hidden credentials. Any other first word may be the
#: credentials themselves, sent without a scheme.
AUTHENTICATION_SCHEMES = {
    name.lower()
    for name in (
        "Basic",  # RFC 7617
        "Bearer",  # RFC 6750
        "Concealed",  # RFC 9729
        "Digest",  # RFC 7616
        "DPoP",  # RFC 9449
        "GNAP",  # RFC 9635
        "HOBA",  # RFC 7486
        "Mutual",  # RFC 8120
        "Negotiate",  # RFC 4559
        "OAuth",  # RFC 5849
        "PrivateToken",  # RFC 9577
        "SCRAM-SHA-1",  # RFC 7804
        "SCRAM-SHA-256",  # RFC 7804
        "vapid",  # RFC 8292
    )
}


def describe_request() -> dict[str, Any]:
    """Return the current request's method, URL parts, body and headers."""
    # Cache the raw body first: form and JSON parsing then read the cached copy.
    raw_body = request.get_data(cache=True)
    return {
        "method": described_method(),
        "path": request.path,
        "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        "query": request.args.to_dict(flat=False),
        "form": request.form.to_dict(flat=False),
        "files": {name: file.filename for name, file in request.files.items()},
        "json": body_as_json(raw_body),
        "body": raw_body[:MAX_ECHOED_BODY].decode("utf-8", "replace"),
        "body_bytes": len(raw_body),
        "body_truncated": len(raw_body) > MAX_ECHOED_BODY,
        "headers": {name: _shown(name, value) for name, value in request.headers.items()},
    }


def body_as_json(raw_body: bytes) -> Any:
    """Return a JSON body parsed, or None if it is not JSON (400 if nested too deeply)."""
    if not request.is_json:
        return None
    try:
        return load_json(raw_body)
    except ValueError:
        return None


def _shown(name: str, value: str) -> str:
    """Hide cookie values and credentials, which a page's scripts could otherwise read here.

    Browsers send cookies (HttpOnly ones too) and remembered Basic credentials
    with every request, so an echo that showed them would hand them to any
    script on the site, and to anyone shown a screenshot of the page.
    """
    lowered = name.lower()
    if lowered in CREDENTIAL_FIELDS:
        if not value.strip():
            return "(none) (credentials hidden)"
        scheme = value.split(maxsplit=1)[0]
        if scheme.lower() not in AUTHENTICATION_SCHEMES:
            return "(credentials hidden)"
        return f"{scheme} (credentials hidden)"
    if lowered != "cookie":
        return value
    count = len([part for part in value.split(";") if part.strip()])
    return f"({count} cookie{'s' if count != 1 else ''}, values hidden)"
