"""Browser-suite fixtures: a browser to drive, the site to drive it at, and the gallery."""

import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
)

from e2e.gallery import write_gallery
from e2e.provision import can_record_video, find_chromium
from e2e.site_pages import SCHEMES, SITE_PAGES, VIEWPORTS
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


# Chromium writes every failed load to the console as well; the guard judges them by
# their responses instead (below), where it can tell a script from an API call.
FAILED_LOAD_CONSOLE = "Failed to load resource: "
# Requests made by the page's own scripts: the lessons provoke 4xx answers on purpose
# (a DELETE twice gets 404) and show them to the student.
SCRIPT_REQUESTS = {"fetch", "xhr"}


def http_error_problem(response: Response) -> str | None:
    """Say what is wrong when an answer is an error the page did not ask for; else None.

    A 4xx is expected for the lessons' API calls and for a page a test opens on
    purpose (the 404 page: the test asserts the status). Anything else — a
    missing script, stylesheet, image or font, or any 5xx — is a fault.
    """
    status, kind = response.status, response.request.resource_type
    if status < 400 or (status < 500 and kind in {*SCRIPT_REQUESTS, "document"}):
        return None
    return f"{status} for the {kind} {response.url}"


def failed_request_problem(request: Request, page_left: bool) -> str | None:
    """Say what is wrong when a request got no answer the page could use; else None.

    ``page_left``: its page has started loading another document since it was sent.
    """
    failure = request.failure or ""
    # A navigation or a script's call cut short because the test moved on is no fault,
    # nor is any load of a page the test has left; but Chromium also aborts a stylesheet
    # or script it refuses (say, a 404 page), on a page still shown.
    cut_short = request.resource_type in {*SCRIPT_REQUESTS, "document"} or page_left
    if "ERR_ABORTED" in failure and cut_short:
        return None
    return f"{request.resource_type} {request.url} failed: {failure}"


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
    """Watch every browser context a test opens for anything amiss.

    Amiss: a console error (Content-Security-Policy violations are reported
    there), an uncaught script error, an error answer the page did not ask for
    (see ``http_error_problem``), a request that failed, or a request to any host
    but the site's. The ``page`` and ``context`` fixtures are built on this one.
    """
    site = urlsplit(base_url).netloc
    problems = browser_problems

    def note(problem: str | None) -> None:
        if problem:
            problems.append(problem)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(FAILED_LOAD_CONSOLE):
            problems.append(f"console error: {message.text}")

    # Per page, how many documents it has started to load; per request, that count then.
    documents: dict[Page, int] = {}
    sent_during: dict[Request, int] = {}

    def request(request: Request) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https") and address.netloc != site:
            problems.append(f"request to another host: {request.url}")
        page = request.frame.page
        if request.is_navigation_request() and request.frame == page.main_frame:
            documents[page] = documents.get(page, 0) + 1
        sent_during[request] = documents.get(page, 0)

    def forget(request: Request) -> None:
        sent_during.pop(request, None)

    def failed(request: Request) -> None:
        page_left = documents.get(request.frame.page, 0) > sent_during.pop(request, 0)
        note(failed_request_problem(request, page_left))

    def create(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.on("console", console)
        context.on("weberror", lambda error: problems.append(f"script error: {error.error}"))
        context.on("request", request)
        context.on("response", lambda response: note(http_error_problem(response)))
        context.on("requestfailed", failed)
        context.on("requestfinished", forget)
        return context

    return create
