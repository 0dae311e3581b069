"""Every page at desktop and phone size, saved for CI and checked on the way."""

import pytest
from playwright.sync_api import expect

from gallery import screenshot_name
from site_pages import SITE_PAGES, VIEWPORTS, SitePage


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("site_page", SITE_PAGES, ids=lambda p: p.slug)
def test_page_screenshot(new_context, screenshots, site_page: SitePage, viewport: str) -> None:
    page = new_context(**VIEWPORTS[viewport]).new_page()

    response = page.goto(site_page.path)
    assert response is not None and response.status == site_page.status
    if site_page.press:
        page.get_by_role("button", name=site_page.press, exact=True).click()
        expect(page.get_by_text(site_page.shows)).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_be_visible()
    # Nothing may force a reader to scroll sideways, on a phone least of all.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots / screenshot_name(site_page, viewport), full_page=True)
