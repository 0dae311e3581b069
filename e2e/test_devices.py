"""Keyboard only, on a phone, and without JavaScript: the site works for everyone."""

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.page_objects import LessonPage, LoginPage, WelcomePage
from e2e.site_pages import VIEWPORTS
from methodslab.methods import METHODS_BY_SLUG

pytestmark = pytest.mark.reused_page

# Whether the focused element shows a visible focus ring.
FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page: Page, target: Locator, most: int = 40) -> None:
    """Press Tab until ``target`` has focus, checking that every stop shows its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {focused}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{most} presses of Tab never reached {target}")


@pytest.mark.parametrize(("method", "key"), [("POST", "Enter"), ("GET", "Space")])
def test_login_with_the_keyboard_only(page: Page, method: str, key: str) -> None:
    login = LoginPage(page, method).open()

    tab_to(page, login.name_field)
    page.keyboard.type("Keyboard Kate")
    if key == "Space":  # move on to the button and press it
        tab_to(page, login.send_button)
    page.keyboard.press(key)

    expect(WelcomePage(page).heading).to_have_text("welcome Keyboard Kate")


def test_try_it_with_the_keyboard_only(page: Page) -> None:
    lesson = LessonPage(page, METHODS_BY_SLUG["patch"]).open()

    tab_to(page, lesson.send_button)
    page.keyboard.press("Enter")

    expect(lesson.response_shown).to_contain_text("HTTP/1.1 200 OK")


@pytest.fixture
def phone(visitor_page) -> Page:
    """Return a page in a phone-sized, touch-screen browser."""
    return visitor_page(**VIEWPORTS["phone"])


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_login_on_a_phone(phone: Page, method: str) -> None:
    login = LoginPage(phone, method).open()

    login.name_field.tap()
    login.name_field.fill("Phoebe Phone")
    login.send_button.tap()

    expect(WelcomePage(phone).heading).to_have_text("welcome Phoebe Phone")


def test_try_it_on_a_phone(phone: Page) -> None:
    lesson = LessonPage(phone, METHODS_BY_SLUG["put"]).open()

    lesson.send_button.tap()

    expect(lesson.response_shown).to_contain_text("HTTP/1.1 200 OK")


@pytest.fixture
def no_script(visitor_page) -> Page:
    """Return a page in a browser with JavaScript turned off."""
    return visitor_page(java_script_enabled=False)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_login_without_javascript(no_script: Page, method: str) -> None:
    LoginPage(no_script, method).open().send("No Script Nora")

    expect(WelcomePage(no_script).heading).to_have_text("welcome No Script Nora")
