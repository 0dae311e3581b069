"""Browser-suite fixtures: a browser to drive, the site to drive it at, and the gallery."""

import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from e2e.accessibility import AxeCoreMissing, axe_core_script
from e2e.gallery import write_gallery
from e2e.provision import can_record_video, find_chromium
from e2e.site_pages import SCHEMES, SITE_PAGES, VIEWPORTS
from e2e.visitors import BrowserWatch, VisitorPages
from tests.production.server import production_server

#: The URL of the site this run started (when not given --base-url).
SITE_URL = pytest.StashKey[str]()


def screenshots_folder(config: pytest.Config) -> Path:
    """Return where page screenshots and their gallery go, under ``--output``."""
    return Path(config.getoption("--output")) / "screenshots"


def is_controller(config: pytest.Config) -> bool:
    """Tell whether this process runs the session, not a pytest-xdist worker."""
    return not hasattr(config, "workerinput")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --update-baselines, which rewrites the visual-regression baselines."""
    parser.addoption(
        "--update-baselines",
        action="store_true",
        help="save this run's screenshots as the baselines in e2e/baselines/",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Empty the output folder once, then start the site unless given one (--base-url)."""
    config = session.config
    if is_controller(config):
        shutil.rmtree(config.getoption("--output"), ignore_errors=True)
        if not config.getoption("--base-url"):
            start_site(config)


def start_site(config: pytest.Config) -> None:
    """Serve the site as `make run` does (granian, site/serve.py) until the run ends.

    One server for every worker, with a fresh notes database and secret; what it
    writes goes to server.log in the output folder.
    """
    output = Path(config.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    running = ExitStack()
    log = running.enter_context((output / "server.log").open("w"))
    # Every test's visitor comes from 127.0.0.1, one client network to the site's limit
    # on new sandboxes (60 an hour), which a class spreads over many addresses.
    generous = {"FLASK_NEW_SANDBOXES_PER_HOUR": "1000"}
    config.stash[SITE_URL] = running.enter_context(production_server(env=generous, log=log))
    config.add_cleanup(running.close)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each pytest-xdist worker the URL of the site the controller started."""
    if SITE_URL in node.config.stash:
        node.workerinput["site_url"] = node.config.stash[SITE_URL]


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replace pytest-playwright's per-process wipe, which races between workers."""


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the gallery of every screenshot taken."""
    folder = screenshots_folder(session.config)
    if is_controller(session.config) and folder.is_dir():
        write_gallery(folder, SITE_PAGES, VIEWPORTS, SCHEMES)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say where the screenshots are."""
    index = screenshots_folder(config) / "index.html"
    if index.exists():
        terminalreporter.write_line(f"Screenshots: {index}")


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Path:
    """Return the folder for page screenshots, created."""
    folder = screenshots_folder(pytestconfig)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str:
    """Return the site under test: ``--base-url``, else the one this run started."""
    given = pytestconfig.getoption("--base-url")
    if given:
        return given.rstrip("/")
    workerinput = getattr(pytestconfig, "workerinput", None)
    return workerinput["site_url"] if workerinput else pytestconfig.stash[SITE_URL]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Record videos (for --video) only where an ffmpeg exists; say so when not."""
    if "record_video_dir" in browser_context_args and not can_record_video():
        warnings.warn("--video is off: no ffmpeg (run `make browser` as root)", stacklevel=1)
        return {k: v for k, v in browser_context_args.items() if k != "record_video_dir"}
    return browser_context_args


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_name: str, playwright: Playwright
) -> dict[str, Any]:
    """Launch Playwright's Chromium if installed, else the system's; fail if neither."""
    if browser_name != "chromium" or "channel" in browser_type_launch_args:
        return browser_type_launch_args
    chromium = find_chromium(playwright, headless=browser_type_launch_args.get("headless", True))
    if chromium is None:
        pytest.fail(
            "No Chromium to run the browser suite: run `make browser` to provision one.",
            pytrace=False,
        )
    if chromium.executable_path is None:
        return browser_type_launch_args
    return {**browser_type_launch_args, "executable_path": chromium.executable_path}


@pytest.fixture(scope="session")
def axe_core() -> str:
    """Return axe-core's script, to run in a page (``e2e.accessibility``); fail if not installed."""
    try:
        return axe_core_script()
    except AxeCoreMissing as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture
def browser_problems() -> Iterator[list[str]]:
    """Collect what went wrong in the test's browser contexts; fail the test if anything did."""
    problems: list[str] = []
    yield problems
    assert problems == [], "\n".join(problems)


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], base_url: str, browser_problems: list[str]
) -> Callable[..., BrowserContext]:
    """Watch every browser context a test opens for anything amiss (``BrowserWatch``).

    The ``page`` and ``context`` fixtures are built on this one.
    """
    watch = BrowserWatch(urlsplit(base_url).netloc, browser_problems)
    return lambda **kwargs: watch.watch(new_context(**kwargs))


@pytest.fixture(scope="session")
def visitor_pages(
    browser: Browser, browser_context_args: dict[str, Any], base_url: str
) -> Iterator[VisitorPages]:
    """Hold this worker's reused pages (``e2e.visitors.VisitorPages``) until the run ends."""
    pages = VisitorPages(browser, browser_context_args, urlsplit(base_url).netloc)
    yield pages
    pages.close()


@pytest.fixture
def visitor_page(
    pytestconfig: pytest.Config,
    browser_name: str,
    new_context: Callable[..., BrowserContext],
    browser_problems: list[str],
    request: pytest.FixtureRequest,
) -> Callable[..., Page]:
    """Return a function opening a first-time visitor's page with these context options.

    The options are ``browser.new_context``'s, and ``init_script``: a script run in
    every document the page loads (``BrowserContext.add_init_script``).

    In Chromium it reuses a page (``VisitorPages``, reset through the DevTools
    protocol); with a trace or a video recorded, or in another browser, each call
    opens a new context, which pytest-playwright records.
    """
    recording = {pytestconfig.getoption("--tracing"), pytestconfig.getoption("--video")}
    if browser_name != "chromium" or recording != {"off"}:

        def new_page(init_script: str = "", **kwargs: Any) -> Page:
            context = new_context(**kwargs)
            if init_script:
                context.add_init_script(init_script)
            return context.new_page()

        return new_page
    pages: VisitorPages = request.getfixturevalue("visitor_pages")
    return lambda **kwargs: pages.open(browser_problems, **kwargs)


@pytest.fixture
def page(request: pytest.FixtureRequest, new_context: Callable[..., BrowserContext]) -> Page:
    """Return a new context's page; in a module marked ``reused_page``, a reused one.

    Such a module's tests touch nothing a reset does not undo: they add page
    listeners only through ``e2e.visitors.listening`` and change no viewport,
    route or emulation but the colour scheme, or put them back in a ``finally``.
    """
    if request.node.get_closest_marker("reused_page"):
        return request.getfixturevalue("visitor_page")()
    return new_context().new_page()
