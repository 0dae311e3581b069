"""Every page, at desktop and phone size, light and dark, and without JavaScript.

One navigation per page and viewport serves every check of it: the status,
the layout, the accessibility audit (axe-core) and the screenshot in each
colour scheme, the visual baseline, and the page-weight budget; then the same
checks of each state its buttons lead to, pressed in turn. Without JavaScript,
one more navigation per page.
"""

import shutil
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from e2e.accessibility import accessibility_problem
from e2e.gallery import shot_file, shot_name
from e2e.page_objects import fits_its_width, viewport
from e2e.site_pages import LOADS, SCHEMES, SITE_PAGES, VIEWPORTS, VISUAL_BASELINES, SitePage
from e2e.visitors import listening
from e2e.visual import PIXEL_TOLERANCE, baselines_for, compare, missing_baselines_fail

# The dark scheme changes only colours (style.css sets custom properties in it, and
# tests/test_pages.py holds it to that), so in dark axe runs the rules that look at colour,
# and the layout checks are not made again: they would judge the same layout again.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
SMALLEST_FONT_PX = 12
#: WCAG 2.2's reflow width (1.4.10): content must fit 320 CSS pixels without sideways scrolling.
REFLOW_WIDTH = 320
# The page-weight budget: what a first visit may download. Raised from 6 requests and
# 30 KB when the lessons gained their self-check (a script), predictions and diagrams, and
# the scripts one shared module for raw HTTP: a sandbox lesson now loads its page, the
# stylesheet, the icon and four small modules, about 32 KB. Bundling the modules would
# bring it back to five requests.
MAX_BYTES = 34 * 1024
MAX_REQUESTS = 7

# Each visible piece of text whose font is smaller than the limit, as "TAG: size"
# (the size as drawn: SVG text scaled by its viewBox).
TOO_SMALL_TEXT = """(limit) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element.checkVisibility()) continue;
    let size = parseFloat(getComputedStyle(element).fontSize);
    // SVG text is sized in its drawing's units: scale it to the CSS pixels it is drawn at.
    if (element instanceof SVGGraphicsElement) size *= element.getScreenCTM().a;
    if (size < limit) small.push(`${element.tagName}: ${size}px`);
  }
  return small;
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("load", LOADS, ids=lambda load: "+".join(state.slug for state in load))
def test_page(
    visitor_page,
    axe_core: str,
    screenshots: Path,
    pytestconfig,
    load: tuple[SitePage, ...],
    viewport: str,
) -> None:
    # axe-core (half a megabyte of script) comes with every document of these pages, put
    # there by the browser itself: cheaper than sending it to each page it audits.
    page = visitor_page(**VIEWPORTS[viewport], init_script=axe_core)
    finished: list[Request] = []

    def keep(request: Request) -> None:
        finished.append(request)

    first = load[0]
    problems: list[str] = []
    with listening(page, "requestfinished", keep):
        response = page.goto(first.path)
        assert response is not None and response.status == first.status
        for state in load:
            if state is not first:  # the last state's audit left the page dark
                page.emulate_media(color_scheme="light")
            problems += audit(page, screenshots, pytestconfig, state, viewport, finished)
    assert not problems, "\n\n".join(problems)


def audit(
    page: Page,
    screenshots: Path,
    pytestconfig: pytest.Config,
    site_page: SitePage,
    viewport: str,
    finished: list[Request],
) -> list[str]:
    """Reach this state of the loaded page and hold it to every check, in each scheme.

    Return what is wrong, each problem named by its state and viewport.
    """
    if site_page.press:
        page.get_by_role("button", name=site_page.press, exact=True).click()
        expect(page.get_by_text(site_page.shows)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_be_visible()
    # The site's links: in a row on a desktop, folded into the Menu disclosure on a phone,
    # where a lesson's bar (previous, where you are, next) stays on the screen.
    menu = page.get_by_role("banner").get_by_text("Menu", exact=True)
    site_links = page.get_by_role("navigation", name="Site").get_by_role("link")
    if viewport == "phone":
        expect(menu).to_be_visible()
        expect(site_links).to_have_count(0)  # hidden: not in the accessibility tree either
        if site_page.lesson:
            expect(page.get_by_role("navigation", name="Lessons", exact=True)).to_be_in_viewport()
        if site_page.ends_with_a_quiz:  # there the bar waits at the end, off the questions
            expect(page.get_by_role("main").get_by_role("navigation").last).not_to_be_in_viewport()
    else:
        expect(menu).to_be_hidden()
        expect(site_links).to_have_count(8)

    # Nothing may force a reader to scroll sideways, on a phone least of all. Checked once:
    # the dark scheme changes only colours (see COLOUR_RULES), never a width or a font size.
    assert fits_its_width(page)
    assert page.evaluate(TOO_SMALL_TEXT, SMALLEST_FONT_PX) == []

    problems = []
    for scheme in SCHEMES:
        if scheme != "light":  # it opens light; an emulation of the scheme shown restyles it
            page.emulate_media(color_scheme=scheme)
        stem = shot_name(site_page, viewport, scheme)
        compared = (site_page.slug, viewport, scheme) in VISUAL_BASELINES
        shot = screenshots / shot_file(stem, compared)
        # In CSS pixels: a phone shot at its device scale has four times the pixels, and
        # took the browser twice as long, to show the same layout. In dark, the first screen
        # only, unless it is compared with a baseline: below it the page differs from the
        # light shot in colour alone, which axe's colour rules check over the whole page,
        # and a whole page takes the browser several times as long.
        full_page = scheme == "light" or compared
        page.screenshot(path=shot, full_page=full_page, animations="disabled", scale="css")
        rules = COLOUR_RULES if scheme == "dark" else ()
        problems.append(accessibility_problem(page, screenshots / f"{stem}--axe.json", rules))
        if compared:
            update = pytestconfig.getoption("update_baselines")
            problems.append(visual_problem(page, screenshots, stem, update))
        if scheme == "light" and not site_page.press:
            problems.append(weight_problem(page, finished))
    if viewport == "phone":
        problems.append(reflow_problem(page))
    return [f"{site_page.slug} on a {viewport}: {problem}" for problem in problems if problem]


@pytest.mark.parametrize("site_page", [p for p in SITE_PAGES if not p.press], ids=lambda p: p.slug)
def test_page_reads_without_javascript(visitor_page, site_page: SitePage) -> None:
    page = visitor_page(java_script_enabled=False)

    response = page.goto(site_page.path)

    assert response is not None and response.status == site_page.status
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    main = page.get_by_role("main")
    expect(main).to_be_visible()
    assert len(main.inner_text()) > 60


def reflow_problem(page: Page) -> str:
    """Narrow the phone to WCAG's reflow width; say if the page then scrolls sideways."""
    phone = page.viewport_size
    assert phone is not None
    with viewport(page, {"width": REFLOW_WIDTH, "height": phone["height"]}):
        fits = fits_its_width(page)
    return "" if fits else f"scrolls sideways at {REFLOW_WIDTH} CSS pixels (WCAG 1.4.10)"


def weight_problem(page: Page, finished: list[Request]) -> str:
    """Hold a first visit to the budget, counting every request until the network is idle."""
    page.wait_for_load_state("networkidle")
    sizes = [request.sizes() for request in finished]
    transferred = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
    listing = ", ".join(request.url.split("/", 3)[-1] for request in finished)
    if len(finished) > MAX_REQUESTS or transferred > MAX_BYTES:
        return (
            f"over its budget ({MAX_REQUESTS} requests, {MAX_BYTES} bytes): "
            f"{len(finished)} requests, {transferred} bytes: {listing}"
        )
    return ""


def visual_problem(page: Page, folder: Path, stem: str, update: bool) -> str:
    """Compare the new screenshot with this browser's baseline (or make it the baseline)."""
    browser = page.context.browser
    assert browser is not None
    name, version = browser.browser_type.name, browser.version
    baselines = baselines_for(name, version)
    new, baseline = folder / f"{stem}.png", baselines / f"{stem}.png"
    outcome = folder / f"{stem}--visual.txt"
    if update:
        baselines.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(new, baseline)
        (baselines / "BROWSER.txt").write_text(f"{name} {version}\n")
        outcome.write_text(f"baseline rewritten ({name} {version})")
        return ""
    if not baseline.exists():
        message = (
            f"no visual baseline for {stem} from {name} {version}: run "
            f"`make update-screenshots` with this browser and commit {baselines}/"
        )
        outcome.write_text(f"NOT COMPARED: {message}")
        if missing_baselines_fail():
            return message
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
        f"{stem} no longer matches {baseline}: {detail}. See {folder}/"
        f"{stem}--diff.png; if the change is intended, run `make update-screenshots`."
    )
