"""Watching a browser for faults, and first-time visitors' pages reused between tests."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    ConsoleMessage,
    Page,
    Request,
    Response,
)

# Chromium writes every failed load to the console as well; the guard judges them by
# their responses instead (below), where it can tell a script from an API call.
FAILED_LOAD_CONSOLE = "Failed to load resource: "
# Requests made by the page's own scripts: the lessons provoke 4xx answers on purpose
# (a DELETE twice gets 404) and show them to the student.
SCRIPT_REQUESTS = {"fetch", "xhr"}
# Whether a page is shown in the dark scheme (matchMedia works with JavaScript off too).
SHOWN_DARK = "matchMedia('(prefers-color-scheme: dark)').matches"


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


class BrowserWatch:
    """Watch browser contexts for anything amiss, and note it in the current test's list.

    Amiss: a console error (Content-Security-Policy violations are reported
    there), an uncaught script error, an error answer the page did not ask for
    (see ``http_error_problem``), a request that failed, or a request to any host
    but the site's.
    """

    def __init__(self, site: str, problems: list[str]) -> None:
        self.site = site
        self.problems = problems
        # Per page, how many documents it has started to load; per request, that count then.
        self.documents: dict[Page, int] = {}
        self.sent_during: dict[Request, int] = {}

    def watch(self, context: BrowserContext) -> BrowserContext:
        """Note what goes wrong in ``context`` from now on; return it."""
        context.on("console", self.console)
        context.on("weberror", lambda error: self.note(f"script error: {error.error}"))
        context.on("request", self.request)
        context.on("response", lambda response: self.note(http_error_problem(response)))
        context.on("requestfailed", self.failed)
        context.on("requestfinished", self.finished)
        return context

    def note(self, problem: str | None) -> None:
        if problem:
            self.problems.append(problem)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(FAILED_LOAD_CONSOLE):
            self.problems.append(f"console error: {message.text}")

    def request(self, request: Request) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https") and address.netloc != self.site:
            self.problems.append(f"request to another host: {request.url}")
        page = request.frame.page
        if request.is_navigation_request() and request.frame == page.main_frame:
            self.documents[page] = self.documents.get(page, 0) + 1
        self.sent_during[request] = self.documents.get(page, 0)

    def finished(self, request: Request) -> None:
        self.sent_during.pop(request, None)

    def failed(self, request: Request) -> None:
        page_left = self.documents.get(request.frame.page, 0) > self.sent_during.pop(request, 0)
        self.note(failed_request_problem(request, page_left))


class VisitorPages:
    """One page per kind of context (viewport, JavaScript), reused by test after test.

    A new context costs the browser a renderer process and a fresh copy of every
    script it compiles, about 0.15 CPU-seconds before the page loads: more than
    the load itself. Before each use the page is made a first-time visitor's
    again: no cookies, no stored data, an empty HTTP cache, the light scheme.
    """

    def __init__(self, browser: Browser, context_args: dict[str, Any], site: str) -> None:
        self.browser = browser
        self.context_args = context_args
        self.watch = BrowserWatch(site, [])
        self.pages: dict[str, tuple[Page, CDPSession]] = {}

    def open(self, problems: list[str], init_script: str = "", **kwargs: Any) -> Page:
        """Return the page for these context options, as a new visitor's.

        ``init_script`` runs in each document the page loads, before the page's own
        scripts; its pages are kept apart from those without it.
        """
        self.watch.problems = problems
        key = repr((hash(init_script), sorted(kwargs.items())))
        if key not in self.pages:
            context = self.watch.watch(self.browser.new_context(**self.context_args, **kwargs))
            if init_script:
                context.add_init_script(init_script)
            page = context.new_page()
            self.pages[key] = (page, context.new_cdp_session(page))
        page, session = self.pages[key]
        page.context.clear_cookies()
        session.send("Network.clearBrowserCache")
        if page.url.startswith("http"):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        # Light again only if a test left another scheme: each emulation, even of the scheme
        # shown, makes the browser restyle the page still loaded (about 12 CPU-ms a lesson).
        if page.evaluate(SHOWN_DARK):
            page.emulate_media(color_scheme="light")
        return page

    def close(self) -> None:
        for page, _ in self.pages.values():
            page.context.close()


@contextmanager
def listening(page: Page, event: str, handler: Callable[..., Any]) -> Iterator[None]:
    """Call ``handler`` on the page's ``event`` until the block ends (pages are reused)."""
    # Playwright types ``on`` with one overload per event name, none for a name in a variable.
    page.on(event, handler)  # type: ignore[call-overload]
    try:
        yield
    finally:
        page.remove_listener(event, handler)
