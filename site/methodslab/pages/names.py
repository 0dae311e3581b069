"""Names as people type them, and how they travel in the welcome page's URL.

The tutorial builds ``/success/<name>`` with Flask's default ``string``
converter, which matches no ``/``: any name with a slash becomes a 404. This
module's converter puts every character of the name into one path segment
instead, so no name can change which page is served.
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from werkzeug.routing import BaseConverter

#: The longest name accepted, in characters. A name travels in URLs (the GET
#: form's query string, then the welcome page's path), each character taking up
#: to 12 bytes once percent-encoded; 500 characters stay under the 8190-byte
#: request line the site allows (see web/request_limits.py).
MAX_NAME_LENGTH = 500

# Browsers resolve "." and ".." path segments (even written %2E) before
# sending a request, so "/success/.." would load "/". A leading "~" escapes
# them, and escapes itself so that decoding stays unambiguous.
_ESCAPE = "~"
_DOT_SEGMENTS = {".", ".."}


@dataclass(frozen=True)
class NameCheck:
    """The outcome of checking a submitted name: the name, or why it was refused."""

    name: str = ""
    problem: str = ""


def check_name(submitted: str | None) -> NameCheck:
    """Trim a submitted name and say what is wrong with it, if anything."""
    if submitted is None:
        return NameCheck(problem="No name arrived: the request had no field called nm.")
    name = submitted.strip()
    if not name:
        return NameCheck(problem="Please type a name: it cannot be empty or only spaces.")
    if len(name) > MAX_NAME_LENGTH:
        return NameCheck(
            problem=(
                f"That name is {len(name)} characters long. Names can be at most "
                f"{MAX_NAME_LENGTH} characters, because the welcome page carries "
                "the name in its URL."
            )
        )
    if any(unicodedata.category(char) == "Cc" for char in name):
        return NameCheck(
            problem="Names cannot contain control characters such as tabs or line breaks."
        )
    return NameCheck(name=name)


def form_encode(name: str) -> str:
    """Encode ``nm=<name>`` exactly as a browser's form does (UTF-8, space as +)."""
    # The HTML standard leaves only ASCII letters, digits and *-._ unescaped;
    # Python's quote_plus also leaves ~, which browsers send as %7E.
    return "nm=" + quote(name, safe="* ").replace(" ", "+").replace("~", "%7E")


class RestOfPathConverter(BaseConverter):
    """Match the rest of the path, slashes included, so the view can judge it."""

    # Any character, line breaks included ("." would miss them, and a path
    # with %0A in it would be a 404 instead of reaching the view's check).
    regex = r"[\s\S]+"
    # The regex spans "/", so Werkzeug must match it against the whole
    # remaining path rather than a single segment.
    part_isolating = False


class NameConverter(RestOfPathConverter):
    """Carry any name in the rest of the path, and back."""

    def to_python(self, value: str) -> str:
        """Undo the escape that ``to_url`` adds."""
        return value.removeprefix(_ESCAPE)

    def to_url(self, value: str) -> str:
        """Percent-encode every character but letters, digits and ``_.-~``."""
        if value.startswith(_ESCAPE) or value in _DOT_SEGMENTS:
            value = _ESCAPE + value
        return quote(value, safe="")
