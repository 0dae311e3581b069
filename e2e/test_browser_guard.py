"""The suite's own guard: it must notice a Content-Security-Policy violation."""

from playwright.sync_api import Page


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
