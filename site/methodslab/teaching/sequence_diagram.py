"""Sequence diagrams: a browser and a server side by side, and the messages between them.

The diagram is inline SVG drawn on the server from the exchange a page describes,
with no script and no style of its own: its look comes from classes in
static/style.css (the site's colours, so it reads in light and dark), and its
meaning from a <title> and a <desc> that name every message in full, for screen
readers and for anyone who meets a label cut short. Usage::

    sequence_diagram(
        [Step("client", "GET /login?nm=Ada"), Step("server", "303 See Other", ("Location: …",)),
         Note("The browser follows the redirect by itself."), Step("client", "GET …")],
        name="login", title="How your name got here", summary="Three messages, …",
    )
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from methodslab.teaching.raw_http import Message

Sender = Literal["client", "server"]

# The drawing's own units. Phones give a diagram in a card about 308 CSS px, so
# one unit is then 0.77 px and 16-unit text is 12.3 px: never under the 12 px the
# browser suite allows. The stylesheet caps the width on wide screens.
WIDTH = 400
FONT = 16
LINE = 21
CLIENT_X, SERVER_X = 16, WIDTH - 16  # the two lifelines
PAD = 10  # between a lifeline and the text beside it
HEAD = 32  # the row naming the two sides
# Average advance of a character, in ems: monospace fonts give 0.6 at most; the
# site's sans-serif stays under it for text (the notes), so 0.6 is safe for both.
ADVANCE = 0.6
MAX_LABEL_LINES = 2
MAX_NOTE_LINES = 3
ELLIPSIS = "…"
# Where a line of protocol text (a URL, a header field) may break, after the character.
BREAK_AFTER = " /-+?&=;,"
# Characters XML 1.0 cannot hold (§2.2): C0 controls but tab and line feed, surrogates, U+FFFE/F.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Step:
    """One message: who sends it, its request or status line, and a few key lines."""

    sender: Sender
    line: str  # "POST /login" or "303 See Other": the start line, without the version
    details: tuple[str, ...] = ()  # key header fields as "Name: value", or "body: …"

    @classmethod
    def of(cls, message: Message, fields: Iterable[str] = (), *, body: bool = False) -> "Step":
        """Return the arrow for a raw message, with the header fields named and maybe its body."""
        start = message.start_line
        if start.startswith("HTTP/"):  # a status line: "HTTP/1.1 303 See Other"
            sender: Sender = "server"
            line = start.partition(" ")[2]
        else:  # a request line: "GET /path HTTP/1.1"
            sender, line = "client", start.rpartition(" ")[0]
        wanted = {name.lower() for name in fields}
        details = [f"{name}: {value}" for name, value in message.headers if name.lower() in wanted]
        if body and message.body:
            details.append(f"body: {message.body}")
        return cls(sender, line, tuple(details))


@dataclass(frozen=True)
class Note:
    """Words across both lifelines: what happens between two messages, or a state."""

    text: str
    kind: Literal["note", "state"] = "note"


def sequence_diagram(
    items: Sequence[Step | Note],
    *,
    name: str,
    title: str,
    summary: str = "",
    sides: tuple[str, str] = ("Browser", "Server"),
) -> Markup:
    """Return an inline SVG sequence diagram of ``items``, top to bottom.

    ``name`` makes the ids of its title and description unique on the page
    (letters, digits and hyphens); ``summary`` opens the description, which then
    lists every message and note in full.
    """
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ValueError(f"A diagram's name is lower-case letters, digits and '-', not {name!r}.")
    drawing = _Drawing()
    for item in items:
        if isinstance(item, Step):
            drawing.arrow(item)
        else:
            drawing.note(item)
    height = drawing.y + 12
    client, server = sides
    lifelines = Markup("").join(
        Markup('<line class="lifeline" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            x, HEAD, x, height - 4
        )
        for x in (CLIENT_X, SERVER_X)
    )
    head = Markup(
        '<text class="side" x="4" y="22">{}</text>'
        '<text class="side" x="{}" y="22" text-anchor="end">{}</text>'
    ).format(_xml(client), WIDTH - 4, _xml(server))
    return Markup(
        '<svg class="sequence" role="img" viewBox="0 0 {width} {height}" width="{width}"'
        ' height="{height}" aria-labelledby="{name}-title" aria-describedby="{name}-desc"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="{name}-title">{title}</title><desc id="{name}-desc">{desc}</desc>'
        "{lifelines}{head}{body}</svg>"
    ).format(
        width=WIDTH,
        height=height,
        name=name,
        title=_xml(title),
        desc=_xml(describe(items, summary, sides)),
        lifelines=lifelines,
        head=head,
        body=Markup("").join(drawing.parts),
    )


def describe(items: Sequence[Step | Note], summary: str, sides: tuple[str, str]) -> str:
    """Return the diagram in words, every label in full: what its <desc> says."""
    client, server = sides
    sentences = [summary] if summary else []
    number = 0
    for item in items:
        if isinstance(item, Step):
            number += 1
            route = (
                f"{client} to {server.lower()}"
                if item.sender == "client"
                else (f"{server} to {client.lower()}")
            )
            details = f" ({'; '.join(item.details)})" if item.details else ""
            sentences.append(f"{number}. {route}: {item.line}{details}.")
        else:
            sentences.append(f"{'State' if item.kind == 'state' else 'Note'}: {item.text}")
    return " ".join(sentences)


class _Drawing:
    """The SVG elements of a diagram's body, laid out from the top down."""

    def __init__(self) -> None:
        self.y = HEAD + 4
        self.parts: list[Markup] = []

    def arrow(self, step: Step) -> None:
        """Draw a message's label lines, then its arrow from the sender's lifeline."""
        towards_server = step.sender == "client"
        room = SERVER_X - CLIENT_X - 2 * PAD
        for index, text in enumerate((step.line, *step.details)):
            kind = "start-line" if index == 0 else "detail"
            for shown in _fit(text, room, MAX_LABEL_LINES, by_words=False):
                self.y += LINE
                self.parts.append(_text(kind, CLIENT_X + PAD, self.y, shown, text))
        self.y += 10
        start, end = (CLIENT_X, SERVER_X) if towards_server else (SERVER_X, CLIENT_X)
        tip = end - 9 if towards_server else end + 9
        direction = "request" if towards_server else "response"
        self.parts.append(
            Markup(
                '<line class="arrow {}" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<polygon class="arrowhead {}" points="{},{} {},{} {},{}"/>'
            ).format(
                direction,
                start,
                self.y,
                tip,
                self.y,
                direction,
                end,
                self.y,
                tip,
                self.y - 5,
                tip,
                self.y + 5,
            )
        )
        self.y += 8

    def note(self, note: Note) -> None:
        """Draw a note across the lifelines, boxed when it tells a state."""
        left, right = CLIENT_X + 6, SERVER_X - 6
        lines = _fit(note.text, right - left - 2 * PAD, MAX_NOTE_LINES, by_words=True)
        top = self.y + 6
        if note.kind == "state":
            height = len(lines) * LINE + 10
            self.parts.append(
                Markup('<rect class="state" x="{}" y="{}" width="{}" height="{}" rx="6"/>').format(
                    left, top, right - left, height
                )
            )
        self.y = top
        for shown in lines:
            self.y += LINE
            self.parts.append(_text(f"{note.kind}-text", left + PAD, self.y - 2, shown, note.text))
        self.y += 14


def _text(kind: str, x: int, y: int, shown: str, full: str) -> Markup:
    """Return one line of text; when cut short, its full text as a tooltip (<title>)."""
    tooltip = Markup("<title>{}</title>").format(_xml(full)) if shown != full else ""
    return Markup('<text class="{}" x="{}" y="{}">{}{}</text>').format(
        kind, x, y, tooltip, _xml(shown)
    )


def _fit(text: str, room: float, max_lines: int, *, by_words: bool) -> list[str]:
    """Wrap ``text`` into lines that fit ``room`` units, the last one cut with … if need be."""
    capacity = int(room // (FONT * ADVANCE))
    lines: list[str] = []
    rest = " ".join(text.split()) if by_words else text
    while rest and len(lines) < max_lines:
        line, rest = _split(rest, capacity, by_words)
        lines.append(line)
    if rest:  # more than fits: end the last line with an ellipsis
        last = lines[-1]
        while _width(last) > capacity - 1:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return lines or [""]


def _split(text: str, capacity: int, by_words: bool) -> tuple[str, str]:
    """Return the first line of ``text`` that fits ``capacity`` columns, and the rest."""
    end, used = 0, 0
    while end < len(text) and used + _width(text[end]) <= capacity:
        used += _width(text[end])
        end += 1
    if end == len(text):
        return text, ""
    if by_words:
        space = text.rfind(" ", 0, end + 1)
        if space > 0:
            return text[:space], text[space + 1 :]
        return text[:end], text[end:]
    # Protocol text: break after a space or a URL's punctuation, if one is near the end.
    breaks = [text.rfind(char, 0, end) for char in BREAK_AFTER]
    cut = max(breaks) + 1
    if cut > end * 2 // 3:
        return text[:cut].rstrip(), text[cut:]
    return text[:end], text[end:]


def _width(text: str) -> int:
    """Return how many columns ``text`` takes: two for wide characters (CJK), none for marks."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def _xml(text: str) -> str:
    """Replace the characters XML cannot carry, so the SVG stays well-formed (escaping is later)."""
    return NOT_XML.sub("\ufffd", text)
