"""Every page, at desktop and phone size, light and dark: audited, then saved for CI."""

import json
import shutil
import warnings
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e.gallery import shot_name
from e2e.site_pages import SCHEMES, SITE_PAGES, VIEWPORTS, VISUAL_BASELINES, SitePage
from e2e.visual import BASELINE_BROWSER, BASELINES, PIXEL_TOLERANCE, compare

AXE = Axe()
SMALLEST_FONT_PX = 12

# Each visible piece of text whose font is smaller than the limit, as "TAG: size".
TOO_SMALL_TEXT = """(limit) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element.checkVisibility()) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < limit) small.push(`${element.tagName}: ${size}px`);
  }
  return small;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("site_page", SITE_PAGES, ids=lambda p: p.slug)
def test_page(
    new_context, screenshots: Path, pytestconfig, site_page: SitePage, viewport: str, scheme: str
) -> None:
    page = new_context(**VIEWPORTS[viewport], color_scheme=scheme).new_page()
    stem = shot_name(site_page, viewport, scheme)

    response = page.goto(site_page.path)
    assert response is not None and response.status == site_page.status
    if site_page.press:
        page.get_by_role("button", name=site_page.press, exact=True).click()
        expect(page.get_by_text(site_page.shows)).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_be_visible()
    # Nothing may force a reader to scroll sideways, on a phone least of all.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(TOO_SMALL_TEXT, SMALLEST_FONT_PX) == []
    page.screenshot(path=screenshots / f"{stem}.png", full_page=True)
    problems = [accessibility_problem(page, screenshots / f"{stem}--axe.json")]
    if (site_page.slug, viewport, scheme) in VISUAL_BASELINES:
        update = pytestconfig.getoption("update_baselines")
        problems.append(visual_problem(page, screenshots, stem, update))
    assert not any(problems), "\n\n".join(filter(None, problems))


def accessibility_problem(page: Page, report: Path) -> str:
    """Run axe-core; on any violation, save its report beside the screenshot and say so."""
    results = AXE.run(page)
    if not results.violations_count:
        return ""
    report.write_text(json.dumps(results.response["violations"], indent=2))
    return (
        f"{results.violations_count} accessibility violations:\n"
        f"{results.generate_report()}\n(full report: {report})"
    )


def visual_problem(page: Page, folder: Path, stem: str, update: bool) -> str:
    """Compare the new screenshot with its baseline (or make it the baseline, if asked)."""
    new, baseline = folder / f"{stem}.png", BASELINES / f"{stem}.png"
    browser = f"{page.context.browser.browser_type.name} {page.context.browser.version}"
    outcome = folder / f"{stem}--visual.txt"
    if update:
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(new, baseline)
        BASELINE_BROWSER.write_text(browser + "\n")
        outcome.write_text(f"baseline rewritten ({browser})")
        return ""
    made_by = BASELINE_BROWSER.read_text().strip() if BASELINE_BROWSER.exists() else "nobody"
    if made_by != browser or not baseline.exists():
        message = (
            f"visual comparison skipped: baselines were made by {made_by}, this run uses "
            f"{browser}; run `make update-screenshots` with this browser to compare"
        )
        outcome.write_text(message)
        warnings.warn(message, stacklevel=1)
        return ""
    result = compare(new, baseline)
    if result.matches:
        outcome.write_text(f"matches its baseline ({result.changed_share:.4%} of pixels changed)")
        return ""
    shutil.copyfile(baseline, folder / f"{stem}--baseline.png")
    if result.diff is not None:
        result.diff.save(folder / f"{stem}--diff.png")
    detail = (
        f"{result.changed_share:.3%} of pixels changed (tolerance {PIXEL_TOLERANCE:.1%})"
        if result.size_matches
        else "the page's size changed"
    )
    outcome.write_text(f"MISMATCH with its baseline: {detail}")
    return (
        f"{stem} no longer matches e2e/baselines/{stem}.png: {detail}. See {folder}/"
        f"{stem}--diff.png; if the change is intended, run `make update-screenshots`."
    )
