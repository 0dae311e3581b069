"""A request a page shows, ready to copy for five clients and to open in the builder."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

from flask import current_app, request, session, url_for

from methodslab.methods import Exchange, Method
from methodslab.notes import api as notes
from methodslab.teaching.snippets import CLIENTS, SentRequest, raw, snippets

#: The sandbox's URLs: a request to them needs the visitor's cookie.
SANDBOX_PREFIX = "/api/notes"
#: Every request a lesson shows asks for JSON, as its scripts do.
ACCEPT_JSON = ("Accept", "application/json")


@dataclass(frozen=True)
class Copyable:
    """A request as a page offers it: written for each client, with the answers to expect."""

    sent: SentRequest
    snippets: dict[str, str]
    builder: str
    # One entry a send, each the statuses that answer may have: ((201,), (200,)) is
    # "201, then 200 the second time"; ((204, 404),) is "204 or 404".
    expect: tuple[tuple[HTTPStatus, ...], ...] = ()

    @property
    def written(self) -> list[tuple[str, str, str]]:
        """Return each client's key, name and snippet, in the order of CLIENTS."""
        return [(client, CLIENTS[client], text) for client, text in self.snippets.items()]

    @property
    def raw_without_cookie(self) -> str:
        """Return the request as raw HTTP without its cookie, to show in view."""
        return raw(replace(self.sent, cookie=""))

    @property
    def expect_code(self) -> str:
        """Return the expected answers for the tests: sends apart by spaces, choices by commas."""
        return " ".join(",".join(str(status.value) for status in send) for send in self.expect)

    @property
    def expect_text(self) -> str:
        """Return the expected answers as a sentence."""
        said = [" or ".join(f"{s.value} {s.phrase}" for s in send) for send in self.expect]
        if len(said) == 1:
            return f"Its answer: {said[0]}."
        return f"Sent twice in a row, it gets {said[0]}, then {said[1]}."


def copyable(
    method: str,
    path: str,
    headers: Iterable[tuple[str, str]],
    body: str = "",
    expect: tuple[tuple[HTTPStatus, ...], ...] = (),
) -> Copyable:
    """Return the request ``method`` ``path`` to this site, with the cookie if it needs one."""
    sent = SentRequest(
        method,
        request.host_url.rstrip("/") + path,
        tuple(headers),
        body,
        sandbox_cookie() if path.startswith(SANDBOX_PREFIX) else "",
    )
    return written_out(sent, path, expect)


def written_out(
    sent: SentRequest, path: str, expect: tuple[tuple[HTTPStatus, ...], ...] = ()
) -> Copyable:
    """Return ``sent`` (``path``: its path on this site) written for each client."""
    return Copyable(sent, snippets(sent), builder_link(sent, path), expect)


def try_it_copyable(method: Method) -> Copyable:
    """Return the request a lesson's Try it panel sends as first filled in (TryIt.answers)."""
    example = method.try_it
    path = example.path + (f"?{example.query}" if example.query else "")
    headers = [ACCEPT_JSON]
    if example.body:
        headers.append(("Content-Type", example.content_type))
    return copyable(method.name, path, headers, example.body, (example.answers,))


def exchange_copyable(exchange: Exchange, *expect: tuple[HTTPStatus, ...]) -> Copyable:
    """Return a walkthrough's request to the visitor's sandbox."""
    headers = [ACCEPT_JSON]
    if exchange.body:
        headers.append(("Content-Type", exchange.content_type))
    return copyable(exchange.method, exchange.path, headers, exchange.body, expect)


def sandbox_cookie() -> str:
    """Return the cookie that reaches the visitor's sandbox, as "name=value", or ""."""
    if notes.current_sandbox() is None:
        return ""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    name = app.session_interface.get_cookie_name(app)
    return f"{name}={app.session_interface.cookie_for(app, session, request.cookies.get(name))}"


def builder_link(sent: SentRequest, path: str) -> str:
    """Return the builder's address filled in with ``sent`` (``path``: its path on this site)."""
    fields: dict[str, Any] = {
        "method": sent.method,
        "url": path,
        "header": [f"{name}: {value}" for name, value in sent.headers],
    }
    if sent.body:
        fields["body"] = sent.body
    return url_for("builder.builder", **fields, _anchor="copy-as")
