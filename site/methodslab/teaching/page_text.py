"""Read a rendered page as a reader meets it: the words in view, the demos, the questions.

A lesson's time estimate ("about 8 minutes · 2 demos · 3 questions") is counted
here from the page itself, so it follows the lesson whenever its text changes.
"""

import math
import re
from collections.abc import Callable
from html.parser import HTMLParser

from flask import current_app, request

from methodslab.web.page_cache import canonical_base

# Elements without an end tag, which never hold text.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# Elements whose text a reader does not see as prose: code, navigation, and pictures (a sequence
# diagram's labels are read from the drawing, its <title> and <desc> by screen readers).
UNSEEN = {"script", "style", "template", "pre", "svg", "nav"}
# Elements inside a line of text: a word split by one ("<a>resource</a>s") is still one word.
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip

# A learner reads instructional text at about 200 words a minute (slower than the 238 of
# fiction: Brysbaert 2019, "How many words do we read per minute?"), spends about two minutes
# on a demo (predict, send, read what came back) and half a minute on a question.
WORDS_PER_MINUTE = 200
MINUTES_PER_DEMO = 2
MINUTES_PER_QUESTION = 0.5
# What a page marks as a demo (a section to try), and as a question (a prediction asked
# before a send, or a self-check question).
DEMO = re.compile(r"<section\b[^>]*\sdata-demo[\s>]")
QUESTION = re.compile(r"<fieldset\b[^>]*\s(?:data-prediction|data-question)[\s>=]")
# Where a lesson's header asks for its estimate; filled in by with_estimate.
ESTIMATE_SLOT = '<p class="estimate"></p>'


class VisibleWords(HTMLParser):
    """Collect the words of <main> a reader sees before opening anything.

    Left out: closed <details> (all but their <summary>), elements with the
    hidden attribute, scripts, code blocks (<pre>) and pictures (<svg>).
    """

    def __init__(self) -> None:
        super().__init__()
        # Each open element: its tag, whether it hides its text, whether it is a closed <details>.
        self.open: list[tuple[str, bool, bool]] = []
        self.in_main = False
        self.text: list[str] = []  # the text in view; a space wherever a block starts or ends

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE:
            self.text.append(" ")
        if tag in VOID:
            return
        names = {name for name, _ in attrs}
        inside_closed = bool(self.open) and self.open[-1][2] and tag != "summary"
        hides = "hidden" in names or tag in UNSEEN or inside_closed
        self.open.append((tag, hides, tag == "details" and "open" not in names))
        self.in_main = self.in_main or tag == "main"

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.text.append(" ")
        if tag in VOID:
            return
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag == "main":
            self.in_main = False

    def handle_data(self, data: str) -> None:
        if self.in_main and not any(hides for _, hides, _ in self.open):
            self.text.append(data)


def visible_words(html: str) -> list[str]:
    """Return the words of a page's <main> that show before any <details> is opened."""
    parser = VisibleWords()
    parser.feed(html)
    parser.close()
    return "".join(parser.text).split()


def plural(count: int, noun: str) -> str:
    """Return "1 demo" or "2 demos"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def estimate(html: str) -> str:
    """Return how long a page takes, counted from its words in view, demos and questions."""
    demos, questions = len(DEMO.findall(html)), len(QUESTION.findall(html))
    minutes = (
        len(visible_words(html)) / WORDS_PER_MINUTE
        + demos * MINUTES_PER_DEMO
        + questions * MINUTES_PER_QUESTION
    )
    parts = [f"about {max(1, math.ceil(minutes))} minutes", plural(demos, "demo")]
    if questions:
        parts.append(plural(questions, "question"))
    return " · ".join(parts)


def lesson_estimate(render: Callable[[], str]) -> str:
    """Return the estimate of the page at this request's path, counted once per process.

    Counted on the page as a new visitor sees it (``render`` in a request of its
    own, as page_cache builds shared pages: no cookie, so no progress, notes or
    messages of anyone's), so it is the same for every visitor, and a page made
    for one visitor is not read word by word on every request.
    """
    estimates: dict[str, str] = current_app.extensions.setdefault("estimates", {})
    if request.path not in estimates:
        with current_app.test_request_context(request.path, base_url=canonical_base()):
            estimates[request.path] = estimate(render())
    return estimates[request.path]


def estimated(html: str) -> str:
    """Fill the slot of the page a new visitor sees, remembering its estimate for this path."""
    estimates: dict[str, str] = current_app.extensions.setdefault("estimates", {})
    return with_estimate(html, estimates.setdefault(request.path, estimate(html)))


def with_estimate(html: str, text: str) -> str:
    """Fill a page's estimate slot with ``text``."""
    return html.replace(ESTIMATE_SLOT, f'<p class="estimate">{text}</p>', 1)
