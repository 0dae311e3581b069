"""The words of HTTP the lessons use, defined once, and the links from a lesson to them.

Each definition follows the section of the standard named beside it (RFC 9110,
HTTP Semantics, unless said otherwise). The glossary page gives each term an
anchor; ``link_first_uses`` links the first use of each term in a piece of a
lesson to it, so no lesson's words are edited by hand to carry the links.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

RFC_9110 = "https://www.rfc-editor.org/rfc/rfc9110.html"
RFC_9112 = "https://www.rfc-editor.org/rfc/rfc9112.html"
FETCH = "https://fetch.spec.whatwg.org/"


@dataclass(frozen=True)
class Term:
    """One term: its name, what it means, where that is defined, and the words that use it."""

    name: str
    definition: str
    source: str  # "RFC 9110 §3.1"
    source_url: str
    # The forms a lesson writes it in, matched whole and case-insensitively ("resources").
    forms: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """Return the term's fragment on the glossary page."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def pattern(self) -> str:
        """Return a regular expression matching any of the term's forms as whole words."""
        forms = sorted((self.name, *self.forms), key=len, reverse=True)
        return r"\b(?:" + "|".join(re.escape(form) for form in forms) + r")\b"


TERMS = (
    # RFC 9110 §3.1: "The target of an HTTP request is called a resource."
    Term(
        "resource",
        "The thing a request is about: whatever a URL names, such as a page, a note or a "
        "collection of notes. HTTP does not limit what a resource can be.",
        "RFC 9110 §3.1",
        f"{RFC_9110}#name-resources",
        ("resources",),
    ),
    # RFC 9110 §3.2: information reflecting a past, current or desired state of a resource.
    Term(
        "representation",
        "Information about the state of a resource in a format that can travel, such as an "
        "HTML page or a JSON document, with fields describing it (Content-Type). GET asks for "
        "the current representation; PUT sends the desired one.",
        "RFC 9110 §3.2",
        f"{RFC_9110}#name-representations",
        ("representations",),
    ),
    # RFC 9110 §9.1: the method token is the primary source of request semantics.
    Term(
        "method",
        "The first word of a request, such as GET or PUT: what the client asks the server to "
        "do with the target resource. It is the main part of the request's meaning.",
        "RFC 9110 §9.1",
        f"{RFC_9110}#name-overview",
        ("methods",),
    ),
    # RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
    Term(
        "request line",
        "The first line of an HTTP/1.1 request: the method, the request target and the "
        "protocol version, such as GET /echo?q=1 HTTP/1.1.",
        "RFC 9112 §3",
        f"{RFC_9112}#name-request-line",
    ),
    # RFC 9110 §7.1 (target URI); RFC 9112 §3.2 (request-target, origin-form: path and query).
    Term(
        "request target",
        "What the request line names as the resource. Usually the path and the query of the "
        "URL, such as /echo?q=1; the host travels in the Host field.",
        "RFC 9112 §3.2",
        f"{RFC_9112}#name-request-target",
        ("target",),
    ),
    # RFC 3986 §3.4: the query component, after "?", identifies the resource with the path.
    Term(
        "query",
        "The part of a URL after the ?, such as q=flask&page=2. It is part of the request "
        "target and helps identify the resource; browsers put a GET form's fields there.",
        "RFC 3986 §3.4",
        "https://www.rfc-editor.org/rfc/rfc3986.html#section-3.4",
        ("query string",),
    ),
    # RFC 9110 §5: fields are name/value pairs; §6.3: the header section holds header fields.
    Term(
        "header field",
        "A name and a value, such as Content-Type: application/json, sent before the content. "
        "Fields carry data about the message and its content; their names are case-insensitive.",
        "RFC 9110 §5, §6.3",
        f"{RFC_9110}#name-fields",
        ("header fields", "header", "headers", "field", "fields"),
    ),
    # RFC 9110 §6.4: content is the message's payload; RFC 9112 §6 (message body) carries it.
    Term(
        "content",
        "The data a message carries after its header fields, such as a form's fields or a "
        "JSON document. HTTP/1.1 sends it as the message body.",
        "RFC 9110 §6.4",
        f"{RFC_9110}#name-content",
        ("body",),
    ),
    # RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
    Term(
        "status line",
        "The first line of an HTTP/1.1 response: the protocol version, the status code and a "
        "reason phrase, such as HTTP/1.1 200 OK. Clients act on the code and ignore the phrase.",
        "RFC 9112 §4",
        f"{RFC_9112}#name-status-line",
    ),
    # RFC 9110 §15: a three-digit code; its first digit is the class (1xx to 5xx).
    Term(
        "status code",
        "The three-digit result of a request, such as 200 or 404. Its first digit is its class: "
        "1xx informational, 2xx success, 3xx redirection, 4xx a client error, 5xx a server "
        "error.",
        "RFC 9110 §15",
        f"{RFC_9110}#name-status-codes",
        ("status codes",),
    ),
    # RFC 9110 §9.2.1: the client does not request, and does not expect, any state change.
    Term(
        "safe",
        "A safe method asks for no change on the server: its meaning is read-only. GET, HEAD, "
        "OPTIONS and TRACE are safe. The server may still log the request.",
        "RFC 9110 §9.2.1",
        f"{RFC_9110}#name-safe-methods",
    ),
    # RFC 9110 §9.2.2: the intended effect of several identical requests is that of one.
    Term(
        "idempotent",
        "Sending the request several times has the same intended effect on the server as "
        "sending it once, so a client may repeat it after a failed connection. PUT, DELETE and "
        "the safe methods are idempotent.",
        "RFC 9110 §9.2.2",
        f"{RFC_9110}#name-idempotent-methods",
    ),
    # RFC 9110 §9.2.3 (GET, HEAD, POST), §9.3.3 (POST: explicit freshness, Content-Location,
    # then for GET and HEAD); RFC 5789 §2 (PATCH, the same); RFC 9111 (what caches store).
    Term(
        "cacheable",
        "Responses to the method may be stored by a cache and reused for later requests. "
        "GET and HEAD responses are; POST and PATCH responses only with explicit freshness "
        "information and a Content-Location equal to the request's URL, and then only to "
        "answer a later GET or HEAD of that URL.",
        "RFC 9110 §9.2.3",
        f"{RFC_9110}#name-cacheable-methods",
    ),
    # RFC 9110 §8.8: validator fields (ETag, Last-Modified) and conditional requests.
    Term(
        "validator",
        "A field that identifies a version of a representation, such as ETag or "
        'Last-Modified, so that a later conditional request can ask "has it changed?".',
        "RFC 9110 §8.8",
        f"{RFC_9110}#name-validator-fields",
        ("validators",),
    ),
    # RFC 9110 §8.8.3: an opaque tag for one version; W/ marks a weak one.
    Term(
        "ETag",
        "An entity tag: an opaque validator the server gives a version of a representation, "
        'such as "a1b2". If-None-Match and If-Match send it back to ask about that version.',
        "RFC 9110 §8.8.3",
        f"{RFC_9110}#name-etag",
    ),
    # RFC 9110 §13: a request that the server applies only if a precondition holds.
    Term(
        "conditional request",
        "A request the server carries out only if a precondition about the resource holds, "
        "such as If-None-Match (answered 304 when nothing changed) or If-Match (412 when it did).",
        "RFC 9110 §13",
        f"{RFC_9110}#name-conditional-requests",
        ("conditional requests", "conditional"),
    ),
    # RFC 6454 §4; RFC 9110 §4.3.1 (the origin of an http URI); Fetch Standard (the browser's).
    Term(
        "origin",
        "The scheme, host and port of a URL together, such as http://localhost:5000. "
        "Browsers keep pages of different origins apart.",
        "RFC 6454 §4",
        "https://www.rfc-editor.org/rfc/rfc6454.html#section-4",
        ("origins",),
    ),
    # Fetch Standard, CORS protocol: a CORS-preflight request (OPTIONS) precedes a cross-origin
    # request whose method is not CORS-safelisted (GET, HEAD, POST) or whose header fields are
    # not CORS-safelisted (Content-Type only for form and plain-text types).
    Term(
        "preflight",
        "The OPTIONS request a browser sends on its own before a request to another origin "
        "with a method or header fields a plain HTML form could not send (such as PUT, or a "
        "JSON Content-Type), to ask that origin whether it allows the request.",
        "Fetch Standard, CORS protocol",
        f"{FETCH}#cors-preflight-request",
        ("preflighted", "preflights"),
    ),
)
TERMS_BY_ANCHOR = {term.anchor: term for term in TERMS}

# The parts of a page in which no term is linked: links, code, headings, controls, pictures.
NO_LINKS_IN = {
    "a", "button", "code", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label", "legend",
    "option", "pre", "samp", "script", "select", "style", "summary", "svg", "textarea", "title",
}  # fmt: skip
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)
VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}


def tokens(html: str) -> Iterator[tuple[str, str, bool]]:
    """Yield each tag or text run of ``html`` as (text, tag name, is an end tag); "" for text."""
    position = 0
    for match in TAG.finditer(html):
        if match.start() > position:
            yield html[position : match.start()], "", False
        yield match[0], (match[2] or "!--").lower(), match[1] == "/"  # "!--": a comment
        position = match.end()
    if position < len(html):
        yield html[position:], "", False


# The pieces linked are the same for every visitor (a lesson's prose): each is linked once.
@lru_cache(maxsize=64)
def link_first_uses(html: str, url: str) -> Markup:
    """Link the first use of each glossary term in ``html`` to its entry at ``url``#anchor."""
    patterns = [(term, re.compile(term.pattern, re.IGNORECASE)) for term in TERMS]
    by_name = {term.name.lower(): term for term in TERMS}
    linked: set[str] = set()
    closed_by: list[str] = []  # the open elements in which nothing is linked
    out: list[str] = []
    parts = list(tokens(html))
    index = 0
    while index < len(parts):
        text, tag, is_end = parts[index]
        index += 1
        whole = code_term(parts, index - 1, by_name) if not closed_by else None
        if whole is not None and whole.anchor not in linked:  # <code>ETag</code>: link it all
            linked.add(whole.anchor)
            code = "".join(part[0] for part in parts[index - 1 : index + 2])
            out.append(f'<a class="term" href="{url}#{whole.anchor}">{code}</a>')
            index += 2
        elif tag:
            if tag in NO_LINKS_IN:
                if is_end and tag in closed_by:
                    del closed_by[len(closed_by) - 1 - closed_by[::-1].index(tag)]
                elif not is_end:
                    closed_by.append(tag)
            out.append(text)
        elif closed_by:
            out.append(text)
        else:
            out.append(link_terms(text, patterns, linked, url))
    return Markup("".join(out))


def code_term(
    parts: list[tuple[str, str, bool]], index: int, by_name: dict[str, Term]
) -> Term | None:
    """Return the term a <code> element at ``parts[index]`` holds and nothing else, if any."""
    if len(parts) < index + 3 or parts[index][1:] != ("code", False):
        return None
    (text, tag, _), (_, end, is_end) = parts[index + 1], parts[index + 2]
    if tag or end != "code" or not is_end:
        return None
    return by_name.get(text.strip().lower())


def link_terms(
    text: str, patterns: list[tuple[Term, re.Pattern[str]]], linked: set[str], url: str
) -> str:
    """Link in ``text`` the first use of each term not yet ``linked``, longest match first."""
    for term, pattern in patterns:
        if term.anchor in linked:
            continue
        match = pattern.search(text)
        if match is None:
            continue
        linked.add(term.anchor)
        link = f'<a class="term" href="{url}#{term.anchor}">{match[0]}</a>'
        before, after = text[: match.start()], text[match.end() :]
        # The rest may hold other terms, but never inside the link just made.
        return (
            link_terms(before, patterns, linked, url)
            + link
            + link_terms(after, patterns, linked, url)
        )
    return text
