"""Write requests and responses out as the raw HTTP/1.1 text that crosses the wire."""

from collections.abc import Iterable
from dataclasses import dataclass

from methodslab.web.reason_phrases import REASON_PHRASES


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
