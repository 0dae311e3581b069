"""Page objects for pages that several browser tests use, and the helpers they share."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Request, ViewportSize, expect

from methodslab.methods import Method


def fits_its_width(page: Page) -> bool:
    """Tell whether nothing on the page makes a reader scroll it sideways.

    Against the layout viewport (the root's clientWidth), not innerWidth: on a phone
    (``is_mobile``) Chromium zooms out to show all of a page that overflows, and
    innerWidth grows with the page.
    """
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


@contextmanager
def viewport(page: Page, size: ViewportSize) -> Iterator[None]:
    """Show ``page`` at ``size`` until the block ends, then as before (pages are reused)."""
    before = page.viewport_size
    assert before is not None
    page.set_viewport_size(size)
    try:
        yield
    finally:
        page.set_viewport_size(before)


class LoginPage:
    """A login form page, ``/login/post`` or ``/login/get``."""

    def __init__(self, page: Page, method: str) -> None:
        self.page = page
        self.method = method
        self.name_field = page.get_by_label("Enter Name")
        self.send_button = page.get_by_role("button", name=f"Send with {method}")

    def open(self) -> "LoginPage":
        """Load the form."""
        self.page.goto(f"/login/{self.method.lower()}")
        return self

    def send(self, name: str) -> Request:
        """Type ``name``, press Send, and return the request that went to /login."""
        self.name_field.fill(name)
        with self.page.expect_request(lambda r: urlsplit(r.url).path == "/login") as sent:
            self.send_button.click()
        return sent.value


class WelcomePage:
    """The welcome page, ``/success/<name>``."""

    def __init__(self, page: Page) -> None:
        self.heading = page.get_by_role("heading", level=1)
        self.exchange = page.locator("pre.exchange")

    def step(self, index: int) -> Locator:
        """Return the raw HTTP shown for step ``index`` (0: request, 1: redirect)."""
        return self.exchange.nth(index)


class LessonPage:
    """A method's lesson, ``/methods/<method>``, and its Try it panel."""

    def __init__(self, page: Page, method: Method) -> None:
        self.page = page
        self.method = method
        panel = page.get_by_role("region", name="Try it")
        self.send_button = panel.get_by_role("button", name=f"Send {method.name}", exact=True)
        self.request_shown = panel.locator("[data-request]")
        self.response_shown = panel.locator("[data-response]")
        self.verdict = panel.locator("[data-verdict]")

    def open(self) -> "LessonPage":
        """Load the lesson."""
        self.page.goto(f"/methods/{self.method.slug}")
        return self

    def send(self) -> Request:
        """Press Send and return the request of the lesson's method that the panel made."""
        path, name = self.method.try_it.path, self.method.name
        with self.page.expect_request(
            lambda r: urlsplit(r.url).path == path and r.method == name
        ) as sent:
            self.send_button.click()
        expect(self.response_shown).to_contain_text("HTTP/1.1")
        return sent.value
