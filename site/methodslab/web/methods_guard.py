"""Answers about the server as a whole rather than one URL: 501 for a method it implements
nowhere, and ``OPTIONS *``.

RFC 9110 separates two refusals. 405 Method Not Allowed (§15.5.6) is for a method "known by
the origin server but not supported by the target resource", and carries ``Allow``; Flask's
routing sends it. 501 Not Implemented (§15.6.2) is for a method the server does not support
for any resource, and §9.1 says "An origin server that receives a request method that is
unrecognized or not implemented SHOULD respond with the 501 (Not Implemented) status code."
So the rule here is one: a method that some route of the site accepts is implemented, and
gets 405 with ``Allow`` on a URL that does not accept it; any other method gets 501 on every
URL, an unknown one included. That covers a made-up ``FOO``, a lower-case ``get`` (method
names are case-sensitive, §9.1), and the standard methods this site implements nowhere:
TRACE and CONNECT (RFC 9110 §9.3.8, §9.3.6) and QUERY (RFC 10008).
"""

from collections.abc import Iterable

from flask import Flask, Response, current_app
from flask.globals import request_ctx
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import NotImplemented as NotImplementedError501


class MethodNotImplemented(NotImplementedError501):
    """501 for a method no URL of this server accepts; names the methods it does implement."""

    def __init__(self, method: str, implemented: Iterable[str]) -> None:
        self.implemented = sorted(implemented)
        super().__init__(
            f"This server does not implement the method {method}, for any URL. It implements "
            f"{', '.join(self.implemented)}; method names are case-sensitive."
        )


def init_methods_guard(app: Flask) -> None:
    """Answer methods implemented nowhere and ``OPTIONS *`` for the whole of ``app``."""
    app.before_request(answer_for_the_server)


def implemented_methods() -> frozenset[str]:
    """Return every method that some URL of the app accepts."""
    # Worked out on first use, once every blueprint has added its rules.
    methods = current_app.extensions.get("implemented_methods")
    if methods is None:
        rules = current_app.url_map.iter_rules()
        methods = frozenset(method for rule in rules for method in rule.methods or ())
        current_app.extensions["implemented_methods"] = methods
    return methods


def answer_for_the_server() -> Response | None:
    """Refuse a method no URL accepts (501); answer ``OPTIONS *`` for the server."""
    context = request_ctx._get_current_object()  # type: ignore[attr-defined]
    if context.url_adapter is None:
        return None  # the Host header was refused: Flask's 400 comes first
    environ = context.request.environ
    # As sent: Werkzeug upper-cases request.method, but "get" is not GET (§9.1).
    method = environ["REQUEST_METHOD"]
    if method not in implemented_methods():
        raise MethodNotImplemented(method, implemented_methods())
    # The raw request target: the path Flask sees for "*" is "/*", a different URL.
    # granian passes no raw target, but its PATH_INFO is "*", which no path can be.
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO")
    if target != "*":
        return None
    if method != "OPTIONS":
        # RFC 9112 §3.2.4: the asterisk-form is used only for a server-wide OPTIONS.
        raise BadRequest("The request target * is only for OPTIONS, which asks about the server.")
    # RFC 9110 §9.3.7: OPTIONS * asks about the server in general; Allow names what it offers.
    answer = Response(status=204, headers={"Allow": ", ".join(sorted(implemented_methods()))})
    del answer.headers["Content-Type"]  # no content, so no type to name
    return answer
