"""What plumbing reads from a request: the method answered, the type preferred, the referrer."""

from urllib.parse import urlsplit

from flask import Response, after_this_request, request

from methodslab.web.caching import vary_on


def described_method() -> str:
    """Return the method the response answers: GET's for HEAD.

    A HEAD response is the GET response without its content, and its
    Content-Length must be GET's (RFC 9110 §9.3.2, §8.6): so it describes GET.
    """
    # As sent: Werkzeug upper-cases request.method, and method names are case-sensitive (§9.1).
    method: str = request.environ["REQUEST_METHOD"]
    return "GET" if method == "HEAD" else method


def wants_html() -> bool:
    """Tell whether the client prefers an HTML page to JSON (a browser tab does).

    The answer then depends on Accept, so it says so in Vary (RFC 9110 §12.5.5):
    a cache must not give the JSON to a browser tab, or the page to a script.
    """
    after_this_request(vary_on_accept)
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def vary_on_accept(response: Response) -> Response:
    """Add Accept to the response's Vary header."""
    vary_on(response, "Accept")
    return response


def same_origin_referrer() -> str | None:
    """Return the page the request came from, if it is on this site; None otherwise.

    Only a same-origin Referer, rebuilt on this site's own origin, so a link made
    from it can never lead elsewhere (not even through a path such as //evil.example).
    """
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    here = urlsplit(request.host_url)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    path = parts.path or "/"
    return request.host_url.rstrip("/") + path + (f"?{parts.query}" if parts.query else "")
