"""One request, written for five clients: curl, fetch(), Python requests, HTTPie, raw HTTP.

Every snippet on the site comes from here, from one ``SentRequest``, so the five say
the same thing. Values are quoted for where they land, never pasted: shlex.quote for
the shell (curl, HTTPie), json.dumps for Python and JavaScript string literals (a JSON
string, written with ensure_ascii=False, is a valid literal of both), so a quote, a
newline, ``$(...)`` or non-ASCII text in a note stays data. Header values never hold
CR, LF or NUL (RFC 9110 §5.5): whoever builds a ``SentRequest`` from input refuses them.
"""

import json
import re
import shlex
from dataclasses import dataclass
from urllib.parse import urlsplit

from methodslab.teaching.raw_http import raw_message

#: The order the clients are offered in, with the name a page shows.
CLIENTS = {
    "curl": "curl",
    "fetch": "fetch()",
    "python": "Python requests",
    "httpie": "HTTPie",
    "raw": "Raw HTTP",
}
#: The characters HTTPie reads as separators in a request item (httpie/cli/constants.py).
HTTPIE_SEPARATORS = re.compile(r"([:;=@])")
#: Characters curl reads as a URL glob unless --globoff says otherwise.
CURL_GLOB = re.compile(r"[\[\]{}]")
#: A separator, escaped with a backslash (re.sub's replacement).
ESCAPED = r"\\\1"


HTTPIE_CANNOT = (
    "# HTTPie cannot send these headers as written: it reads a backslash before\n"
    "# : ; = or @ as an escape, and has no other way to spell one. Use curl."
)


@dataclass(frozen=True)
class SentRequest:
    """A request as a page shows it: the method, absolute URL, fields, body and cookie."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    # The visitor's sandbox cookie ("name=value"), for requests that reach the sandbox.
    cookie: str = ""


def snippets(sent: SentRequest) -> dict[str, str]:
    """Return the request written for each client, in the order of CLIENTS."""
    return {
        "curl": curl(sent),
        "fetch": fetch(sent),
        "python": python_requests(sent),
        "httpie": httpie(sent) if httpie_can_send(sent) else HTTPIE_CANNOT,
        "raw": raw(sent),
    }


def curl(sent: SentRequest) -> str:
    """Return a curl command that sends ``sent`` and prints the response with its head."""
    if sent.method == "HEAD":
        words = ["curl", "--head"]  # -X HEAD would wait for a body that never comes
    elif sent.method == "GET" and not sent.body:
        words = ["curl", "-i"]
    else:
        words = ["curl", "-i", "-X", sent.method]
    if CURL_GLOB.search(sent.url):
        words.append("--globoff")
    for name, value in sent.headers:
        # "Name;" is curl's way to send a field with an empty value.
        words += ["-H", f"{name}: {value}" if value else f"{name};"]
    if sent.cookie:
        words += ["--cookie", sent.cookie]
    if sent.body:
        words += ["--data-raw", sent.body]  # --data-raw: no @file, no newline stripping
    return " ".join(shlex.quote(word) for word in [*words, sent.url])


def literal(text: str) -> str:
    """Return ``text`` as a string literal that Python and JavaScript both read back."""
    return json.dumps(text, ensure_ascii=False)


def fetch(sent: SentRequest) -> str:
    """Return a fetch() call for this site's pages (the browser's console), printing the answer."""
    headers = ", ".join(f"{literal(name)}: {literal(value)}" for name, value in sent.headers)
    lines = [
        "// Run it on this site's pages (in the browser's console):",
        "// your browser adds the cookie itself, as a script may not set one.",
        f"const response = await fetch({literal(sent.url)}, {{",
        f"  method: {literal(sent.method)},",
        f"  headers: {{{headers}}},",
    ]
    if sent.body:
        lines.append(f"  body: {literal(sent.body)},")
    lines += ["});", "console.log(response.status, await response.text());"]
    return "\n".join(lines)


def python_requests(sent: SentRequest) -> str:
    """Return a Python script that sends ``sent`` with requests and prints the answer."""
    lines = ["import requests", "", "response = requests.request("]
    if sent.method != sent.method.upper():
        lines.insert(0, f"# requests upper-cases the method: this sends {sent.method.upper()}.")
    lines += [f"    {literal(sent.method)},", f"    {literal(sent.url)},"]
    headers = ", ".join(f"{literal(name)}: {literal(value)}" for name, value in sent.headers)
    lines.append(f"    headers={{{headers}}},")
    if sent.cookie:
        name, _, value = sent.cookie.partition("=")
        lines.append(f"    cookies={{{literal(name)}: {literal(value)}}},")
    if sent.body:
        lines.append(f"    data={literal(sent.body)}.encode(),  # as UTF-8 bytes")
    lines += [")", "print(response.status_code, response.reason)", "print(response.text)"]
    return "\n".join(lines)


def httpie_item(name: str, value: str) -> str:
    """Return a header as an HTTPie request item, its separator characters escaped."""
    if not value:
        return f"{name};"  # "Name:" would remove the field; "Name;" sends it empty
    return f"{name}:{HTTPIE_SEPARATORS.sub(ESCAPED, value)}"


def httpie(sent: SentRequest) -> str:
    """Return an HTTPie command that sends ``sent`` and prints the response with its head."""
    # --ignore-stdin: from a script, HTTPie would read its standard input as the body.
    words = ["http", "--ignore-stdin", "--print=hb"]
    if sent.body:
        words.append(f"--raw={sent.body}")
    words += [sent.method, sent.url]
    headers = list(sent.headers)
    if sent.body and not any(name.lower() == "content-type" for name, _ in headers):
        words.append("Content-Type:")  # HTTPie would send a JSON type of its own
    if sent.cookie:
        headers.append(("Cookie", sent.cookie))
    words += [httpie_item(name, value) for name, value in headers]
    return " ".join(shlex.quote(word) for word in words)


def httpie_can_send(sent: SentRequest) -> bool:
    """Say whether HTTPie can send every header as written.

    HTTPie keeps a backslash before an ordinary character, and reads one before a
    separator as an escape, so a value with a backslash right before ``:;=@`` has no
    spelling in its request items.
    """
    return not any(re.search(r"\\[:;=@]", value) for _, value in sent.headers)


def raw(sent: SentRequest) -> str:
    """Return ``sent`` as the HTTP/1.1 text that crosses the wire."""
    parts = urlsplit(sent.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    fields = [("Host", parts.netloc), *sent.headers]
    if sent.cookie:
        fields.append(("Cookie", sent.cookie))
    if sent.body:
        fields.append(("Content-Length", str(len(sent.body.encode()))))
    return raw_message(f"{sent.method} {target} HTTP/1.1", fields, sent.body)
