"""The suite's own guard and reused pages: the guard notices a CSP violation and a failed
load, not an API 4xx; a reused page comes back as a first-time visitor's."""

import pytest
from playwright.sync_api import Page, expect

from e2e.visitors import SHOWN_DARK

# One page, reset to a first-time visitor's (e2e/visitors.py): the guard watches it too.
pytestmark = pytest.mark.reused_page


def test_guard_reports_csp_violations(page: Page, browser_problems: list[str]) -> None:
    page.goto("/")

    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
            }"""
        )

    assert page.evaluate("() => window.inlineRan") is None
    assert any("Content Security Policy" in problem for problem in browser_problems)
    browser_problems.clear()  # seen and expected: the guard works


def test_guard_reports_missing_subresources_but_not_an_api_answer(
    page: Page, base_url: str, browser_problems: list[str]
) -> None:
    page.goto("/")

    # Chromium gives a refused stylesheet no response event: it aborts the request.
    with (
        page.context.expect_event("requestfailed", lambda r: r.url.endswith("/missing.css")),
        page.context.expect_event("response", lambda r: r.url.endswith("/missing.png")),
    ):
        page.evaluate(
            """() => {
                const link = document.createElement("link");
                link.rel = "stylesheet";
                link.href = "/static/missing.css";
                const image = document.createElement("img");
                image.src = "/static/missing.png";
                document.body.append(link, image);
            }"""
        )
    # A lesson's API call may get a 4xx on purpose: the page shows it to the student.
    status = page.evaluate("() => fetch('/api/notes/no-such-note').then(r => r.status)")

    assert status == 404
    assert f"stylesheet {base_url}/static/missing.css failed: net::ERR_ABORTED" in browser_problems
    assert f"404 for the image {base_url}/static/missing.png" in browser_problems
    assert not any("no-such-note" in problem for problem in browser_problems)
    browser_problems.clear()  # seen and expected: the guard works


def test_a_reused_page_comes_back_as_a_first_time_visitors(visitor_page) -> None:
    page = visitor_page()
    page.goto("/methods/get")
    page.get_by_role("button", name="Keep track of my progress").click()
    page.evaluate("localStorage.setItem('left', 'behind')")
    page.emulate_media(color_scheme="dark")
    assert page.context.cookies() != []

    again = visitor_page()

    assert not again.evaluate(SHOWN_DARK)
    assert again.context.cookies() == []
    again.goto("/methods/get")
    expect(again.get_by_role("button", name="Keep track of my progress")).to_be_visible()
    assert again.evaluate("localStorage.length") == 0
