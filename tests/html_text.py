"""Read a page the way a test needs to: the text of one element, unescaped."""

from html.parser import HTMLParser


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


# Elements without an end tag, which never hold text.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# Elements whose text a reader does not see as prose: code, navigation, and pictures (a sequence
# diagram's labels are read from the drawing, its <title> and <desc> by screen readers).
_UNSEEN = {"script", "style", "template", "pre", "svg", "nav"}


class _VisibleWords(HTMLParser):
    """Collect the words of <main> a reader sees before opening anything.

    Left out: closed <details> (all but their <summary>), elements with the
    hidden attribute, scripts, code blocks (<pre>) and pictures (<svg>).
    """

    def __init__(self) -> None:
        super().__init__()
        # Each open element: its tag, whether it hides its text, whether it is a closed <details>.
        self.open: list[tuple[str, bool, bool]] = []
        self.in_main = False
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        names = {name for name, _ in attrs}
        inside_closed = bool(self.open) and self.open[-1][2] and tag != "summary"
        hides = "hidden" in names or tag in _UNSEEN or inside_closed
        self.open.append((tag, hides, tag == "details" and "open" not in names))
        self.in_main = self.in_main or tag == "main"

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag == "main":
            self.in_main = False

    def handle_data(self, data: str) -> None:
        if self.in_main and not any(hides for _, hides, _ in self.open):
            self.words += data.split()


def visible_words(html: str) -> list[str]:
    """Return the words of a page's <main> that show before any <details> is opened."""
    parser = _VisibleWords()
    parser.feed(html)
    parser.close()
    return parser.words
