"""One lesson page per HTTP method, each with a live Try it panel."""

import importlib
import shlex
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.test import TestResponse

from methodslab.methods import METHODS, METHODS_BY_SLUG, UNTAUGHT, UNTAUGHT_BY_SLUG, Method
from methodslab.notes import api as notes
from methodslab.notes.store import MAX_TEXT_LENGTH
from methodslab.web.page_cache import cached_page
from methodslab.web.raw_http import raw_message
from methodslab.web.source_code import source_of

bp = Blueprint("lessons", __name__, url_prefix="/methods")

# The URLs whose Allow header the OPTIONS lesson lists, as Flask computes it.
SHOWCASE_URLS = ("/", "/login", "/echo", "/methods/options", "/api/notes/shopping")
# Response fields whose value is new on every response: a worked example shows what
# they hold instead, so a page built from it is the same in every process (its ETag too).
FRESH_EACH_TIME = {
    "X-Request-ID": "<a new random id for each response>",
    "Date": "<the time of the response>",
    "Set-Cookie": "<a cookie made for this visitor>",
}


@bp.get("/<slug>")
def lesson(slug: str) -> ResponseReturnValue:
    """Teach one method: what it means, its properties, and how to send it."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None:  # no lesson here, whether the method is real (TRACE) or not
        return render_template(
            "methods/unknown.html",
            slug=slug,
            methods=METHODS,
            untaught=UNTAUGHT,
            named=UNTAUGHT_BY_SLUG.get(slug),
        ), 404
    if method.walkthrough:  # shows the visitor's own notes: rendered for each request
        return render_template(f"methods/{slug}.html", **lesson_context(method))
    return cached_page(lambda: render_template(f"methods/{slug}.html", **lesson_context(method)))


def lesson_context(method: Method) -> dict[str, Any]:
    """Gather what a lesson page shows besides its prose."""
    index = METHODS.index(method)
    handler = current_app.view_functions[method.handler]
    context = {
        "method": method,
        "number": index + 1,
        "total": len(METHODS),
        "previous": METHODS[index - 1] if index > 0 else None,
        "next": METHODS[index + 1] if index + 1 < len(METHODS) else None,
        # The view, then the helpers that set its status, Location and validators.
        "code": [
            (code.__name__, source_of(code)) for code in (handler, *map(helper, method.helpers))
        ],
        "curl": curl_command(method, request.host_url),
        "example": worked_example(method.slug, request.host),
        # Called by the lessons that show them: OPTIONS lists Allow, HEAD compares.
        "allowed": lambda: [(url, ", ".join(allowed_methods(url))) for url in SHOWCASE_URLS],
        "head_vs_get": head_vs_get,
        "untaught": UNTAUGHT,
    }
    if method.walkthrough:
        context |= sandbox_context()
    return context


def sandbox_context() -> dict[str, Any]:
    """Gather the visitor's notes and form token for a lesson's sandbox section."""
    visitor = notes.current_sandbox()
    return {
        "notes": notes.store().list(visitor) if visitor else [],
        "csrf_token": notes.csrf_token(),
        "max_text_length": MAX_TEXT_LENGTH,
    }


def helper(name: str) -> Callable[..., Any]:
    """Return the function a "module:function" name points to."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def curl_command(method: Method, host_url: str) -> str:
    """Return a curl command that sends ``method``'s example to this site."""
    example = method.try_it
    url = host_url.rstrip("/") + example.path + (f"?{example.query}" if example.query else "")
    if method.name == "HEAD":
        words = ["curl", "--head"]
    elif method.name == "GET":
        words = ["curl", "-i"]
    else:
        words = ["curl", "-i", "-X", method.name]
    # The same Accept as the worked example below, so both ask for JSON.
    words += ["-H", "Accept: application/json"]
    if example.content_type:
        words += ["-H", f"Content-Type: {example.content_type}"]
    if example.body:
        words += ["--data-raw", example.body]
    return shlex.join([*words, url])


@lru_cache(maxsize=64)
def worked_example(slug: str, host: str) -> tuple[str, str]:
    """Send ``slug``'s example to this very app and return the raw request and response."""
    example = METHODS_BY_SLUG[slug].try_it
    sent = [("Accept", "application/json")]
    if example.content_type:
        sent.append(("Content-Type", example.content_type))
    target = example.path + (f"?{example.query}" if example.query else "")
    response = ask_this_app(
        target, method=slug.upper(), headers=sent, data=example.body, base_url=f"http://{host}"
    )
    # The request as the test client sent it: its own User-Agent, not curl's.
    shown = [("Host", host), ("User-Agent", response.request.headers["User-Agent"]), *sent]
    if example.body:
        shown.append(("Content-Length", str(len(example.body.encode()))))
    received = [(name, steady(name, value)) for name, value in response.headers]
    return (
        raw_message(f"{slug.upper()} {target} HTTP/1.1", shown, example.body),
        raw_message(f"HTTP/1.1 {response.status}", received, response.text),
    )


def steady(name: str, value: str) -> str:
    """Return a response field's value as a page shows it: the same in every process."""
    if name == "Allow":  # built from a set, so its order follows the process's hash seed
        return ", ".join(sorted(value.split(", ")))  # order carries no meaning (RFC 9110 §10.2.1)
    return FRESH_EACH_TIME.get(name, value)


def ask_this_app(path: str, **request: Any) -> TestResponse:
    """Send a request to this very app, from inside the request being answered."""
    # In an app context of its own: a nested request would otherwise share the
    # outer one's flask.g, and with it the outer request's id and state.
    with current_app.app_context():
        return current_app.test_client().open(path, **request)


def allowed_methods(path: str) -> list[str]:
    """Return the methods Flask allows on ``path``, as its Allow header lists them."""
    return sorted(current_app.url_map.bind("localhost").allowed_methods(path))


def head_vs_get(path: str) -> list[tuple[str, str, str]]:
    """Fetch ``path`` with GET and HEAD and return the headers of each, side by side."""
    get, head = ask_this_app(path, method="GET"), ask_this_app(path, method="HEAD")
    return [
        (name, get.headers.get(name, "—"), head.headers.get(name, "—"))
        for name in ("Content-Type", "Content-Length")
    ] + [("Body (bytes)", str(len(get.data)), str(len(head.data)))]
