"""A student sends their name through each login form in a real browser."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Dialog, Page, Request, expect

from e2e.page_objects import LoginPage, WelcomePage
from e2e.visitors import listening
from methodslab.pages.names import form_encode

pytestmark = pytest.mark.reused_page

# One name from each class that broke the original tutorial or could break a URL.
TRICKY_NAMES = [
    pytest.param("Ada Lovelace", id="plain", marks=pytest.mark.smoke),
    pytest.param("AC/DC", id="slash", marks=pytest.mark.smoke),
    pytest.param("/root//home/", id="leading-double-trailing-slash"),
    pytest.param("..", id="dot-segment"),
    pytest.param("why? #1 100% A&B C++ a=b", id="url-syntax"),
    pytest.param('O\'Brien "Bob" C:\\temp', id="quotes-backslash"),
    pytest.param("<script>alert(1)</script><img src=x onerror=alert(2)>", id="markup"),
    pytest.param("José Ñúñez Zoë", id="accents"),
    pytest.param("👩‍💻 Zoë 🎉", id="emoji"),
    pytest.param("مرحبا بالعالم", id="right-to-left"),
    pytest.param("ü/" * 150, id="300-characters"),
]


@pytest.fixture
def dialogs(page: Page) -> Iterator[list[str]]:
    """Collect every alert a page opens: markup in a name must never run."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    with listening(page, "dialog", record):
        yield opened


@pytest.mark.parametrize("name", TRICKY_NAMES)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_name_round_trips(page: Page, dialogs: list[str], method: str, name: str) -> None:
    sent = LoginPage(page, method).open().send(name)
    welcome = WelcomePage(page)
    expect(welcome.heading).to_have_text(f"welcome {name}")

    assert sent.method == method
    if method == "POST":
        assert sent.post_data == form_encode(name)
        assert urlsplit(sent.url).query == ""
    else:
        assert sent.post_data is None
        assert urlsplit(sent.url).query == form_encode(name)

    redirect = sent.response()
    assert redirect is not None and 300 <= redirect.status < 400
    location = redirect.headers["location"]
    assert location.startswith("/success/")
    assert sent.redirected_to is not None and sent.redirected_to.method == "GET"
    assert sent.redirected_to.url.endswith(location)
    expect(welcome.step(0)).to_contain_text(f"{method} /login")
    expect(welcome.step(1)).to_contain_text(f"{redirect.status} See Other")
    expect(welcome.step(1)).to_contain_text(f"Location: {location}")
    assert dialogs == []


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_blank_name_brings_the_form_back_and_spaces_around_a_name_are_trimmed(
    page: Page, method: str
) -> None:
    login = LoginPage(page, method).open()
    with page.expect_response(lambda r: urlsplit(r.url).path == "/login") as answer:
        login.send("   ")

    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("cannot be empty")
    expect(login.name_field).to_be_focused()

    login.send("   Grace  Hopper   ")  # from the form it brought back

    expect(WelcomePage(page).heading).to_have_text("welcome Grace  Hopper")


def test_reload_does_not_resend_the_form(page: Page) -> None:
    LoginPage(page, "POST").open().send("Ada")
    expect(WelcomePage(page).heading).to_have_text("welcome Ada")
    requests: list[str] = []

    def keep(request: Request) -> None:
        requests.append(f"{request.method} {urlsplit(request.url).path}")

    with listening(page, "request", keep):
        page.reload()

    expect(WelcomePage(page).heading).to_have_text("welcome Ada")
    assert "POST /login" not in requests
    assert "GET /success/Ada" in requests
