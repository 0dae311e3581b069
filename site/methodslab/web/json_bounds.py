"""JSON read from requests and written in responses, kept in proportion to the data.

A request's JSON may nest at most MAX_JSON_DEPTH levels (RFC 8259 §9 lets a
parser set such a limit): deeper documents would exhaust Python's recursion
limit, in parsing or in writing them back. And responses are indented only in
their top levels: indenting every level makes the output grow with the square
of the depth (900 nested arrays, 1.8 KB, came back as 1.6 MB).
"""

import json
import re
from collections.abc import Callable
from typing import Any, NoReturn

from flask import abort
from flask.json.provider import DefaultJSONProvider

#: The deepest nesting of arrays and objects a request's JSON may have.
MAX_JSON_DEPTH = 100
#: Levels of a response laid out one item per line; deeper values take one line each.
INDENTED_LEVELS = 3
#: An escape of a UTF-16 surrogate, \ud800 to \udfff: the only way JSON text can hold one.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def load_json(data: bytes) -> Any:
    """Parse a JSON body: ValueError if malformed or not Unicode, 400 if nested too deeply."""
    try:
        document = json.loads(data)
    except RecursionError:
        refuse_nesting()
    if nested_deeper_than(document, MAX_JSON_DEPTH):
        refuse_nesting()
    if SURROGATE_ESCAPE.search(data) and not is_unicode(document):
        raise ValueError(
            "a string holds a lone surrogate (an escape from \\ud800 to \\udfff without its "
            "pair), which stands for no character: JSON text must be Unicode (RFC 8259 §8.2, "
            "RFC 7493 §2.1)"
        )
    return document


def is_unicode(document: Any) -> bool:
    """Tell whether every string in a parsed document is Unicode text (no lone surrogates)."""
    # A surrogate pair written as two escapes is joined by the parser; one left alone cannot
    # be encoded in UTF-8, so the database, a page or a JSON answer would fail on it.
    try:
        json.dumps(document, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


def refuse_nesting() -> NoReturn:
    """Refuse (400) a JSON body nested too deeply to read."""
    abort(400, f"The JSON body is nested too deeply: at most {MAX_JSON_DEPTH} levels are read.")


def nested_deeper_than(document: Any, depth: int) -> bool:
    """Tell whether arrays and objects in ``document`` nest more than ``depth`` levels."""
    # Level by level, without recursion: each value is looked at once.
    level = [document]
    for _ in range(depth + 1):
        containers = [value for value in level if isinstance(value, (list, dict))]
        if not containers:
            return False
        level = [
            item
            for container in containers
            for item in (container.values() if isinstance(container, dict) else container)
        ]
    return True


class ReadableJSONProvider(DefaultJSONProvider):
    """Flask's JSON, indented in its top INDENTED_LEVELS levels only when asked to indent."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialize ``obj``; with ``indent``, deeper values are written on one line each."""
        indent = kwargs.pop("indent", None)
        if indent is None:
            return super().dumps(obj, **kwargs)
        kwargs.pop("separators", None)  # one-line values use the readable ", " and ": "
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        one_line = json.JSONEncoder(**kwargs).encode
        step = " " * indent if isinstance(indent, int) else indent
        return laid_out(obj, one_line, step, INDENTED_LEVELS, kwargs["sort_keys"])


def laid_out(
    value: Any, one_line: Callable[[Any], str], step: str, levels: int, sort_keys: bool
) -> str:
    """Write ``value`` with one item per line in its top ``levels`` levels."""
    if levels == 0 or not isinstance(value, (dict, list, tuple)) or not value:
        return one_line(value)
    if isinstance(value, dict):
        # Keys as json writes them: strings, with true, null and numbers quoted.
        pairs = {
            key if isinstance(key, str) else one_line(key): item for key, item in value.items()
        }
        items = [
            f"{one_line(key)}: {laid_out(item, one_line, step, levels - 1, sort_keys)}"
            for key, item in (sorted(pairs.items()) if sort_keys else pairs.items())
        ]
        opening, closing = "{", "}"
    else:
        items = [laid_out(item, one_line, step, levels - 1, sort_keys) for item in value]
        opening, closing = "[", "]"
    inner = ",\n".join(items).replace("\n", "\n" + step)
    return f"{opening}\n{step}{inner}\n{closing}"
