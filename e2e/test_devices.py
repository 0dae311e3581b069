"""Keyboard only, on a phone, and without JavaScript: the site works for everyone."""

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.page_objects import LessonPage, LoginPage, WelcomePage
from e2e.site_pages import VIEWPORTS
from methodslab.methods import METHODS_BY_SLUG

pytestmark = pytest.mark.reused_page

# Where focus is: on ``element`` or not, with a visible focus ring or not, and what it is.
FOCUS_STOP = """element => {
  const focused = document.activeElement;
  const style = getComputedStyle(focused);
  return {
    reached: focused === element,
    ringed: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    focused: focused.outerHTML.slice(0, 80),
  };
}"""


def tab_to(page: Page, target: Locator, most: int = 40) -> None:
    """Press Tab until ``target`` has focus, checking that every stop shows its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = target.evaluate(FOCUS_STOP)  # one round trip a stop, not three
        assert stop["ringed"], f"no visible focus on {stop['focused']}"
        if stop["reached"]:
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


@pytest.fixture
def phone(visitor_page) -> Page:
    """Return a page in a phone-sized, touch-screen browser."""
    return visitor_page(**VIEWPORTS["phone"])


def test_a_lesson_with_the_keyboard_only_on_a_phone(phone: Page) -> None:
    patch = METHODS_BY_SLUG["patch"]
    assert patch.walkthrough is not None and patch.contrast is not None
    lesson = LessonPage(phone, patch).open()
    menu = phone.get_by_role("banner").get_by_text("Menu", exact=True)
    site_links = phone.get_by_role("navigation", name="Site")
    skip_link = phone.get_by_role("link", name="Skip to content")

    # The menu: a disclosure that Enter opens and closes.
    tab_to(phone, menu)
    expect(site_links).to_be_hidden()
    phone.keyboard.press("Enter")
    tab_to(phone, site_links.get_by_role("link", name="Home"))
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Enter")
    expect(site_links).to_be_hidden()
    # The skip link moves focus into main, where the next Tab goes on from.
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Shift+Tab")
    expect(skip_link).to_be_focused()
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement === document.querySelector('main')")

    tab_to(phone, lesson.send_button)
    phone.keyboard.press("Enter")
    expect(lesson.response_shown).to_contain_text("HTTP/1.1 200 OK")

    # The two walkthroughs are two tabs: one Tab stop, arrow keys between them.
    merge_tab = phone.get_by_role("tab", name=patch.walkthrough.tab)
    json_patch_tab = phone.get_by_role("tab", name=patch.contrast.tab, exact=True)
    merge_panel = phone.get_by_role("tabpanel", name=patch.walkthrough.tab)
    json_patch_panel = phone.get_by_role("tabpanel", name=patch.contrast.tab, exact=True)
    tab_to(phone, merge_tab, most=80)
    expect(merge_tab).to_have_attribute("aria-selected", "true")
    expect(json_patch_panel).to_be_hidden()
    for key, focused, shown, hidden in (
        ("ArrowRight", json_patch_tab, json_patch_panel, merge_panel),
        ("ArrowRight", merge_tab, merge_panel, json_patch_panel),  # round to the first
        ("End", json_patch_tab, json_patch_panel, merge_panel),
        ("Home", merge_tab, merge_panel, json_patch_panel),
        ("ArrowLeft", json_patch_tab, json_patch_panel, merge_panel),
    ):
        phone.keyboard.press(key)
        expect(focused).to_be_focused()
        expect(focused).to_have_attribute("aria-selected", "true")
        expect(shown).to_be_visible()
        expect(hidden).to_be_hidden()
    # Tab leaves the tablist for the chosen panel's first control.
    phone.keyboard.press("Tab")
    expect(json_patch_panel.get_by_role("radio").first).to_be_focused()


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

    expect(lesson.response_shown).to_contain_text("HTTP/1.1 201 Created")  # a new note


@pytest.fixture
def no_script(visitor_page) -> Page:
    """Return a page in a browser with JavaScript turned off."""
    return visitor_page(java_script_enabled=False)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_login_without_javascript(no_script: Page, method: str) -> None:
    LoginPage(no_script, method).open().send("No Script Nora")

    expect(WelcomePage(no_script).heading).to_have_text("welcome No Script Nora")


def test_in_forced_colours_buttons_keep_an_edge_and_the_lesson_stays_marked(visitor_page) -> None:
    # Windows' contrast themes replace every background: what only a fill showed must get an
    # edge or a system colour (style.css, "Forced colours").
    page = visitor_page(forced_colors="active")
    page.goto("/methods/put")

    edge = page.get_by_role("button", name="Keep track of my progress").evaluate(
        "button => { const style = getComputedStyle(button); "
        "return [style.borderTopStyle, style.borderTopWidth]; }"
    )
    assert edge == ["solid", "2px"]
    path = page.get_by_role("navigation", name="Your path through the lessons")
    here = path.locator('a[aria-current="page"]').evaluate(
        "link => { const probe = document.createElement('i'); probe.style.color = 'Highlight';"
        " link.append(probe); const highlight = getComputedStyle(probe).color; probe.remove();"
        " return [getComputedStyle(link).backgroundColor, highlight]; }"
    )
    assert here[0] == here[1]  # the system's Highlight, not the palette's accent it replaces
