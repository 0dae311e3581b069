"""Write requests and responses out as the raw HTTP/1.1 text that crosses the wire."""

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus

from flask import Response

# RFC 9110 §15 renamed a few statuses since the RFCs Python's table follows (§15.5.14,
# §15.5.15, §15.5.17, §15.5.21); every page and script writes a status with these phrases.
RFC_9110_RENAMED = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}
REASON_PHRASES = {status.value: status.phrase for status in HTTPStatus} | RFC_9110_RENAMED


def with_reason_phrase(response: Response) -> Response:
    """Give the response's status RFC 9110's reason phrase, as the pages write it.

    Werkzeug names a status from its own table, upper-cased ("201 CREATED", "422
    UNPROCESSABLE ENTITY"). What travels depends on the server: granian writes the
    phrase of its own HTTP library, whatever the app says (site/OPERATIONS.md).
    """
    phrase = REASON_PHRASES.get(response.status_code)
    if phrase:
        response.status = f"{response.status_code} {phrase}"
    return response


def status_line(code: int, protocol: str = "HTTP/1.1") -> str:
    """Return a response's start line, with the reason phrase RFC 9110 gives."""
    return f"{protocol} {code} {REASON_PHRASES.get(code, '')}".rstrip()


def raw_message(start_line: str, headers: Iterable[tuple[str, str]], body: str = "") -> str:
    """Return a start line, header fields, a blank line and the body, as HTTP sends them."""
    lines = [start_line, *(f"{name}: {value}" for name, value in headers), ""]
    return "\n".join(lines) + ("\n" + body if body else "")


@dataclass(frozen=True)
class Message:
    """One HTTP message as a page shows it: written out raw, or drawn as an arrow."""

    start_line: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""

    @property
    def raw(self) -> str:
        """Return the message as the raw text that crosses the wire."""
        return raw_message(self.start_line, self.headers, self.body)
