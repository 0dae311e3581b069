"""Write requests and responses out as the raw HTTP/1.1 text that crosses the wire."""

from collections.abc import Iterable


def raw_message(start_line: str, headers: Iterable[tuple[str, str]], body: str = "") -> str:
    """Return a start line, header fields, a blank line and the body, as HTTP sends them."""
    lines = [start_line, *(f"{name}: {value}" for name, value in headers), ""]
    return "\n".join(lines) + ("\n" + body if body else "")
