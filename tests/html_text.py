"""Read a page the way a test needs to: the text of one element, unescaped."""

from html.parser import HTMLParser

# The words in view, counted as the lessons' time estimates count them.
from methodslab.teaching.page_text import visible_words as visible_words


class _TextOf(HTMLParser):
    """Collect the text inside every element with a given tag."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.depth += 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


def texts_of(html: str, tag: str) -> list[str]:
    """Return the text content of each ``tag`` element in ``html``."""
    parser = _TextOf(tag)
    parser.feed(html)
    parser.close()
    return parser.texts
