"""Every page arrives light: few requests, few bytes; and a repeat visit costs no body."""

import pytest
from playwright.sync_api import Page, Request, expect

from e2e.site_pages import SITE_PAGES, SitePage

MAX_BYTES = 30 * 1024
MAX_REQUESTS = 6


@pytest.mark.parametrize("site_page", [p for p in SITE_PAGES if not p.press], ids=lambda p: p.slug)
def test_page_weight_budget(page: Page, site_page: SitePage) -> None:
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))

    page.goto(site_page.path, wait_until="networkidle")

    sizes = [request.sizes() for request in finished]
    transferred = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
    listing = ", ".join(f"{r.url.split('/', 3)[-1]}" for r in finished)
    assert len(finished) <= MAX_REQUESTS, listing
    assert transferred <= MAX_BYTES, f"{transferred} bytes: {listing}"


def test_get_lesson_shows_a_conditional_get_live(page: Page) -> None:
    page.goto("/methods/get")

    page.get_by_role("button", name="Fetch this page twice").click()

    results = page.get_by_role("region", name="Conditional GET, live")
    expect(results.locator("[data-status]")).to_have_text(["200", "304"])
    expect(results.get_by_role("listitem").nth(1)).to_contain_text("(0 bytes of body")
