"""The page structure a phone and a keyboard rely on, as the server sends it.

The browser suite sees it work (e2e/test_every_page.py, e2e/test_devices.py); these
check the markup every visitor gets, with or without JavaScript.
"""

import html as html_module
import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from methodslab.methods import METHODS, METHODS_BY_SLUG, PROPERTIES, Method

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER_ACCEPT = "text/html"


def page_html(client: FlaskClient, path: str) -> str:
    """Return the page at ``path`` as one line, whitespace runs made single spaces."""
    response = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200, path
    return " ".join(response.text.split())


class Elements(HTMLParser):
    """Collect every start tag's attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    """Return the attributes of each ``tag`` element in ``html``."""
    parser = Elements()
    parser.feed(html)
    return [attrs for name, attrs in parser.tags if name == tag]


@pytest.mark.parametrize("path", ["/", "/methods/patch", "/no/such/page"])
def test_skip_link_leads_to_a_main_that_takes_focus(client: FlaskClient, path: str) -> None:
    html = " ".join(client.get(path, headers={"Accept": BROWSER_ACCEPT}).text.split())

    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    # tabindex="-1": focus moves into main, not only the view (HTML Standard, "focusable area").
    assert elements(html, "main") == [{"id": "main", "tabindex": "-1"}]


def test_site_navigation_is_a_disclosure_named_menu(client: FlaskClient) -> None:
    html = page_html(client, "/")

    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    menu = header[header.index('<details class="site-menu">') : header.index("</details>")]
    assert "<summary>Menu</summary>" in menu
    assert '<nav aria-label="Site">' in menu
    assert len(elements(menu, "a")) == 8


def test_home_table_cells_name_their_columns_for_the_cards(client: FlaskClient) -> None:
    html = page_html(client, "/")

    table = html[html.index('<table class="methods">') : html.index("</table>")]
    labels = [cell.get("data-label") for cell in elements(table, "td") if "data-label" in cell]
    assert labels == [label for label, _ in PROPERTIES] * len(METHODS)
    # The summary cell needs no label: it reads as the card's first line.
    assert len(elements(table, "td")) == len(labels) + len(METHODS)


@pytest.mark.parametrize("method", METHODS, ids=lambda method: method.slug)
def test_each_lesson_ends_with_its_lesson_bar(client: FlaskClient, method: Method) -> None:
    html = page_html(client, f"/methods/{method.slug}")

    bar = html[html.index('<nav class="lesson-nav" aria-label="Lessons">') :]
    # The last thing in main, so that it can stick to the bottom of a phone's screen.
    assert bar[bar.index("</nav>") :].startswith("</nav> </main>")
    number = METHODS.index(method) + 1
    assert f"Lesson {number} of {len(METHODS)}" in bar
    assert ('rel="prev"' in bar) and ('rel="next"' in bar)


def test_patch_walkthroughs_carry_a_tab_for_each_panel(client: FlaskClient) -> None:
    patch = METHODS_BY_SLUG["patch"]
    assert patch.walkthrough is not None and patch.contrast is not None
    html = page_html(client, "/methods/patch")

    tabs = html[html.index('<div class="tab-list" data-tablist hidden>') :]
    tabs = tabs[: tabs.index("</div>")]
    buttons = elements(tabs, "button")
    assert re.findall(r"<button[^>]*>([^<]*)</button>", tabs) == [
        patch.walkthrough.tab,
        patch.contrast.tab,
    ]
    panels = {panel["id"]: panel for panel in elements(html, "div") if "data-walkthrough" in panel}
    for button in buttons:
        panel = panels[button["aria-controls"] or ""]
        # Without JavaScript the panels are plain groups, named by their headings.
        assert panel["role"] == "group"
    # No ARIA tabs in the HTML: walkthrough.js gives the roles when it makes the tabs.
    assert 'role="tab' not in html


# Each demo that gets an error status (or a CORS error) on purpose, the button that runs
# it, and what the note beside it must say: the status and the section that defines it.
ERROR_DEMOS = [
    ("/methods/delete", "Send DELETE twice", "404 Not Found", "RFC 9110 §15.5.5"),
    ("/methods/put", "Send PUT twice", "404 Not Found", "RFC 9110 §15.5.5"),
    ("/get-vs-post", "Send POST to the home page", "405 Method Not Allowed", "RFC 9110 §15.5.6"),
    (
        "/methods/options",
        "Send a DELETE the server refuses",
        "CORS error",
        'Fetch Standard, "CORS-preflight fetch"',
    ),
    ("/builder", "or a made-up <code>FOO</code>", "501 Not Implemented", "RFC 9110 §15.6.2"),
]


@pytest.mark.parametrize(("path", "demo", "status", "source"), ERROR_DEMOS)
def test_each_demo_of_an_error_status_says_it_is_expected(
    client: FlaskClient, path: str, demo: str, status: str, source: str
) -> None:
    html = page_html(client, path)

    after_demo = html[html.index(demo) :]
    # Beside it: after the demo, before the next heading.
    note = after_demo[after_demo.index('<p class="expected-error"') :]
    note = note[: note.index("</p>")]
    assert after_demo.index('<p class="expected-error"') < after_demo.index("<h")
    words = html_module.unescape(re.sub(r"<[^>]+>", "", note))
    assert status in words and source in words
    assert "in red" in words and words.endswith("expected.")
