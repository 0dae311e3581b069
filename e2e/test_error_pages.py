"""The 501 page, which no link or form can reach: a browser only sends unknown methods when a
script asks, so the navigation's method is changed on its way out."""

from pathlib import Path

from playwright.sync_api import Browser, Route, expect

from e2e.accessibility import accessibility_problem

EXPECTED_501 = "Failed to load resource: the server responded with a status of 501"


def test_501_page_is_readable_and_accessible(
    browser: Browser, base_url: str, axe_core: str, screenshots: Path
) -> None:
    # Not the guarded new_context: its console guard counts the 501 itself as an error.
    context = browser.new_context(base_url=base_url)
    errors: list[str] = []
    context.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith(EXPECTED_501)
            else None
        ),
    )
    page = context.new_page()

    def send_as_foo(route: Route) -> None:
        route.continue_(method="FOO")

    page.route(f"{base_url}/", send_as_foo)
    response = page.goto("/")

    assert response is not None and response.status == 501
    expect(page.get_by_role("heading", level=1)).to_have_text("501 Not Implemented")
    expect(page.get_by_text("which this server does not implement")).to_be_visible()
    page.screenshot(path=screenshots / "not-implemented--desktop--light.jpeg", full_page=True)
    page.evaluate(axe_core)
    assert accessibility_problem(page, screenshots / "not-implemented--axe.json") == ""
    assert errors == []
    context.close()
