"""Page objects for pages that several browser tests use."""

from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Request


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
