"""The two patch formats PATCH takes: JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902).

Both are applied to a copy of the note's JSON, never to the note itself: the store
writes the result only when every step succeeded and the note it gives is valid, so
a patch is applied whole or not at all (RFC 5789 §2, RFC 6902 §5). The functions
here are pure, so the property tests can drive them directly.

Which status a failure gets follows RFC 5789 §2.2, to which RFC 6902 §5 refers:

- 400 Bad Request, "malformed patch document": not a JSON Patch at all, whatever the
  note: not an array of operations, an operation without "op" or "path", an unknown
  op, a path that is not a JSON Pointer (RFC 6901), a move into its own child.
- 422 Unprocessable Content, "unprocessable request": a well-formed patch that this
  server will not apply, again whatever the note's state: an operation writing to
  read-only metadata (/id, /version …); or one whose result "would cause the
  resource to become invalid" (checked by the API): text that is not a string, too
  many tags, no text at all.
- 409 Conflict, "conflicting state": a patch that cannot be applied to the note as
  it is now: a "test" that fails, a path that does not exist ("the structures
  assumed to exist did not exist"). The same patch may succeed on another state.
"""

import copy
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from methodslab.notes.store import NoteStoreError

#: Most JSON values (objects, arrays, strings, numbers …) a note may hold while a
#: JSON Patch is applied. Its result holds far fewer (a text, at most 10 tags); the
#: bound stops a patch of "copy" operations from doubling the note each time.
MAX_PATCH_VALUES = 100
OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")
# RFC 6901 §4: an array index is 0 or digits without a leading zero; "-" is the
# (nonexistent) place after the last item (RFC 6902 §4.1 appends there).
ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
END_OF_ARRAY = "-"
EXAMPLE = '[{"op": "add", "path": "/tags/-", "value": "urgent"}]'


class PatchError(NoteStoreError):
    """A patch refused: ``status`` is 400, 409 or 422, as the module docstring explains."""


@dataclass(frozen=True)
class Pointer:
    """A JSON Pointer (RFC 6901): as written, and as the list of member names it walks."""

    text: str
    tokens: tuple[str, ...]

    def is_proper_prefix_of(self, other: "Pointer") -> bool:
        """Tell whether ``other`` names a place inside the value this pointer names."""
        return len(self.tokens) < len(other.tokens) and other.tokens[: len(self.tokens)] == (
            self.tokens
        )


@dataclass(frozen=True)
class Operation:
    """One operation of a JSON Patch, checked for form (RFC 6902 §4)."""

    op: str
    path: Pointer
    value: Any = None
    source: Pointer | None = None  # "from", for move and copy

    def written(self) -> Iterator[Pointer]:
        """Yield the locations this operation changes: its path, and for move its "from"."""
        if self.op != "test":
            yield self.path
        if self.op == "move" and self.source is not None:
            yield self.source


def parse_pointer(pointer: Any, where: str) -> Pointer:
    """Read a JSON Pointer (RFC 6901 §3, §4); 400 if it is not one."""
    if not isinstance(pointer, str):
        raise PatchError(400, f'{where} must be a JSON Pointer, a string such as "/tags/0".')
    if pointer and not pointer.startswith("/"):
        raise PatchError(
            400, f'{where}, {pointer!r}, is not a JSON Pointer: it must be "" or start with "/".'
        )
    tokens = pointer.split("/")[1:]
    if any(re.search("~(?![01])", token) for token in tokens):
        raise PatchError(
            400,
            f'{where}, {pointer!r}, is not a JSON Pointer: "~" must be followed by 0 or 1 '
            '("~0" stands for "~", "~1" for "/").',
        )
    # RFC 6901 §4: "~1" first, then "~0", so that "~01" becomes "~1" and not "/".
    return Pointer(pointer, tuple(token.replace("~1", "/").replace("~0", "~") for token in tokens))


def parse_json_patch(document: Any) -> list[Operation]:
    """Check that ``document`` is a JSON Patch and return its operations; 400 if not."""
    if not isinstance(document, list):
        raise PatchError(400, f"A JSON Patch is an array of operations, such as {EXAMPLE}.")
    operations = []
    for number, operation in enumerate(document, start=1):
        where = f"Operation {number}"
        if not isinstance(operation, dict):
            raise PatchError(400, f"{where} is not a JSON object, such as {EXAMPLE[1:-1]}.")
        op = operation.get("op")
        if op not in OPERATIONS:
            raise PatchError(
                400, f'{where} has "op": {op!r}; it must be one of {", ".join(OPERATIONS)}.'
            )
        if "path" not in operation:
            raise PatchError(400, f'{where} ({op}) has no "path".')
        path = parse_pointer(operation["path"], f'The "path" of operation {number}')
        source = None
        if op in ("move", "copy"):
            if "from" not in operation:
                raise PatchError(400, f'{where} ({op}) has no "from".')
            source = parse_pointer(operation["from"], f'The "from" of operation {number}')
        if op in ("add", "replace", "test") and "value" not in operation:
            raise PatchError(400, f'{where} ({op}) has no "value".')
        # RFC 6902 §4.4: a value cannot be moved into one of its own children.
        if op == "move" and source is not None and source.is_proper_prefix_of(path):
            raise PatchError(400, f"{where} moves {source.text} into itself, to {path.text}.")
        # Other members are ignored (RFC 6902 §4).
        operations.append(Operation(op, path, operation.get("value"), source))
    return operations


def refuse_read_only(operations: list[Operation], writable: Collection[str]) -> None:
    """Refuse (422) any operation that changes a member other than ``writable``.

    422 and not 409: no state of the note would let it succeed. A "test" may read
    anything, and "copy" may read from anywhere: only what is written counts.
    """
    for number, operation in enumerate(operations, start=1):
        for pointer in operation.written():
            if not pointer.tokens or pointer.tokens[0] not in writable:
                allowed = " and ".join(f"/{name}" for name in writable)
                raise PatchError(
                    422,
                    f"Operation {number} ({operation.op}) would change "
                    f"{pointer.text or 'the whole note'}, which is read-only: a patch may "
                    f"change only {allowed} (and their items).",
                )


def apply_json_patch(document: Any, operations: list[Operation]) -> Any:
    """Return ``document`` with the operations applied in order (RFC 6902 §3); 409 if one fails.

    ``document`` itself is left as it was.
    """
    result = copy.deepcopy(document)
    for number, operation in enumerate(operations, start=1):
        result = _apply(result, operation, f"Operation {number} ({operation.op})")
        if count_values(result, MAX_PATCH_VALUES) > MAX_PATCH_VALUES:
            raise PatchError(
                422,
                f"Operation {number} ({operation.op}) makes the note hold more than "
                f"{MAX_PATCH_VALUES} JSON values; a note is a text and a few tags.",
            )
    return result


def _apply(document: Any, operation: Operation, where: str) -> Any:
    """Apply one operation to ``document`` in place, returning the new whole document."""
    path = operation.path
    match operation.op:
        case "add":
            return _add(document, path, operation.value, where)
        case "remove":
            _remove(document, path, where)
            return document
        case "replace":
            _value_at(document, path, where)  # the target must exist (RFC 6902 §4.3)
            if not path.tokens:
                return operation.value
            parent, name = _parent_of(document, path, where)
            if isinstance(parent, dict):
                parent[name] = operation.value
            else:
                parent[_array_index(parent, name, path, where)] = operation.value
            return document
        case "move":
            assert operation.source is not None
            value = _remove(document, operation.source, where)
            return _add(document, path, value, where)
        case "copy":
            assert operation.source is not None
            value = copy.deepcopy(_value_at(document, operation.source, where))
            return _add(document, path, value, where)
        case _:  # "test"
            found = _value_at(document, path, where)
            if not json_equal(found, operation.value):
                raise PatchError(
                    409,
                    f"{where} failed: {path.text or 'the note'} is {_shown(found)}, not "
                    f"{_shown(operation.value)}. Nothing was changed.",
                )
            return document


def _add(document: Any, path: Pointer, value: Any, where: str) -> Any:
    """Add ``value`` at ``path`` (RFC 6902 §4.1): set a member, or insert into an array."""
    if not path.tokens:
        return value
    parent, name = _parent_of(document, path, where)
    if isinstance(parent, dict):
        parent[name] = value
    else:
        parent.insert(_array_index(parent, name, path, where, for_adding=True), value)
    return document


def _remove(document: Any, path: Pointer, where: str) -> Any:
    """Remove the value at ``path``, which must exist (RFC 6902 §4.2); return it."""
    if not path.tokens:
        raise PatchError(409, f"{where} cannot remove the whole note.")
    parent, name = _parent_of(document, path, where)
    if isinstance(parent, dict):
        if name not in parent:
            raise _missing(path, where)
        return parent.pop(name)
    return parent.pop(_array_index(parent, name, path, where))


def _parent_of(document: Any, path: Pointer, where: str) -> tuple[dict[str, Any] | list[Any], str]:
    """Return the object or array that holds ``path``'s last member, and that member's name."""
    parent = _value_at(document, Pointer(path.text, path.tokens[:-1]), where, whole=path)
    if not isinstance(parent, (dict, list)):
        raise PatchError(
            409,
            f"{where} cannot reach {path.text}: what holds it is {_shown(parent)}, "
            "not an object or an array.",
        )
    return parent, path.tokens[-1]


def _value_at(document: Any, path: Pointer, where: str, whole: Pointer | None = None) -> Any:
    """Return the value ``path`` names (RFC 6901 §4); 409 if there is none."""
    value = document
    for name in path.tokens:
        if isinstance(value, dict) and name in value:
            value = value[name]
        elif isinstance(value, list):
            value = value[_array_index(value, name, whole or path, where)]
        else:
            raise _missing(whole or path, where)
    return value


def _array_index(
    array: list[Any], name: str, path: Pointer, where: str, *, for_adding: bool = False
) -> int:
    """Return the index ``name`` stands for in ``array``; 409 if it names no item."""
    if for_adding and name == END_OF_ARRAY:
        return len(array)
    if not ARRAY_INDEX.fullmatch(name):
        end = '; "-" names the end, for add only' if name == END_OF_ARRAY else ""
        raise PatchError(
            409,
            f"{where} names {path.text}, but {name!r} is not an index into that array "
            f"(0, 1, 2 … without leading zeros{end}).",
        )
    last = len(array) if for_adding else len(array) - 1
    # Compared as text first: int() refuses over 4300 digits, and an index that long
    # is past any array's end anyway.
    index = int(name) if len(name) <= len(str(last)) else last + 1
    if index > last:
        items = f"{len(array)} item" + ("" if len(array) == 1 else "s")
        hint = " (add may use indexes up to the array's length)" if for_adding else ""
        raise PatchError(409, f"{where} names {path.text}, but that array has {items}{hint}.")
    return index


def _missing(path: Pointer, where: str) -> PatchError:
    return PatchError(409, f"{where} names {path.text}, which does not exist in the note.")


def _shown(value: Any) -> str:
    """Return ``value`` as JSON, cut short, for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def json_equal(first: Any, second: Any) -> bool:
    """Compare two JSON values as RFC 6902 §4.6 does ("test").

    Numbers are equal when their values are; true and false equal only
    themselves (in Python, True == 1), and null only null.
    """
    if isinstance(first, bool) or isinstance(second, bool) or first is None or second is None:
        return first is second
    if isinstance(first, (int, float)) and isinstance(second, (int, float)):
        return first == second
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(json_equal, first, second))
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(
            json_equal(first[name], second[name]) for name in first
        )
    return type(first) is type(second) and first == second


def count_values(document: Any, limit: int) -> int:
    """Count the JSON values in ``document``, stopping once past ``limit``."""
    count, pending = 0, [document]
    while pending and count <= limit:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """Return ``target`` merged with ``patch``, exactly as RFC 7396 §2 defines it.

    An object merges member by member, null removes a member, and anything else
    (an array included) replaces the value whole. Every member thus gets a final
    value that does not depend on the one before: applying a merge patch twice
    gives what applying it once gave. ``target`` is left as it was.
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = apply_merge_patch(result.get(name), value)
    return result
