"""One lesson page per HTTP method, each with a live Try it panel."""

import shlex
from functools import lru_cache
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.test import TestResponse

from methodslab.methods import METHODS, METHODS_BY_SLUG, Method
from methodslab.notes import api as notes
from methodslab.notes.store import MAX_TEXT_LENGTH
from methodslab.web.page_cache import cached_page
from methodslab.web.raw_http import raw_message
from methodslab.web.source_code import source_of

bp = Blueprint("lessons", __name__, url_prefix="/methods")

# The URLs whose Allow header the OPTIONS lesson lists, as Flask computes it.
SHOWCASE_URLS = ("/", "/login", "/echo", "/methods/options")


@bp.get("/<slug>")
def lesson(slug: str) -> ResponseReturnValue:
    """Teach one method: what it means, its properties, and how to send it."""
    method = METHODS_BY_SLUG.get(slug)
    if method is None:
        return render_template("methods/unknown.html", slug=slug, methods=METHODS), 404
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
        "handler_source": source_of(handler),
        "curl": curl_command(method, request.host_url),
        "example": worked_example(method.slug, request.host),
        "allowed": {url: allowed_methods(url) for url in SHOWCASE_URLS},
        "head_vs_get": head_vs_get("/") if method.name == "HEAD" else None,
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
    shown = [("Host", host), *sent]
    if example.body:
        shown.append(("Content-Length", str(len(example.body.encode()))))
    return (
        raw_message(f"{slug.upper()} {target} HTTP/1.1", shown, example.body),
        raw_message(f"HTTP/1.1 {response.status}", response.headers.items(), response.text),
    )


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
