"""The CORS lab and the request builder in a real browser.

Both send requests that fail on purpose (a refused preflight, a 501), which the
guarded contexts would count as faults: so each test watches its own context and
allows exactly the errors it provokes.
"""

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    ConsoleMessage,
    Page,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

from methodslab.pages.challenges import CHALLENGES
from tests.production.server import production_server

REFUSED_BY_CORS = re.compile(
    r"Access to fetch at '[^']+/labs/cors/run/[^']+' from origin 'http://localhost:\d+' "
    r"has been blocked by CORS policy: Method DELETE is not allowed by "
    r"Access-Control-Allow-Methods in preflight response\."
)
FAILED_LOAD = "Failed to load resource: "


class Watched:
    """A browser context whose console errors and script errors are all collected."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.context: BrowserContext = browser.new_context(base_url=base_url)
        self.errors: list[str] = []
        self.context.on("console", self.console)
        self.context.on("weberror", lambda error: self.errors.append(str(error.error)))

    def console(self, message: ConsoleMessage) -> None:
        # Chromium logs every failed load too; the tests assert the statuses themselves.
        if message.type == "error" and not message.text.startswith(FAILED_LOAD):
            self.errors.append(message.text)


@pytest.fixture
def watched(browser: Browser, base_url: str) -> Iterator[Watched]:
    """Open a context of the test's own, closed afterwards."""
    watched = Watched(browser, base_url)
    yield watched
    watched.context.close()


def preflights_seen_by(watched: Watched, page: Page) -> list[dict[str, Any]]:
    """Start recording the CORS preflights the lab's frame sends, as Chromium reports them.

    Playwright's request events leave preflights out; the DevTools protocol reports
    them, in the frame's own session where the frame, from another site, has a process
    of its own (site isolation, full Chromium), else in the page's (the headless shell).
    """
    (frame,) = [frame for frame in page.frames if frame.url.endswith("/labs/cors/frame")]
    try:
        session = watched.context.new_cdp_session(frame)
    except PlaywrightError as error:
        if "does not have a separate CDP session" not in error.message:
            raise
        session = watched.context.new_cdp_session(page)
    return preflights_reported_to(session)


def preflights_reported_to(session: CDPSession) -> list[dict[str, Any]]:
    """Start recording the preflights (OPTIONS requests) a DevTools session reports."""
    session.send("Network.enable")
    seen: list[dict[str, Any]] = []
    session.on(
        "Network.requestWillBeSent",
        lambda event: (
            seen.append(event["request"]) if event["request"]["method"] == "OPTIONS" else None
        ),
    )
    return seen


def wait_for_reports(page: Page, preflights: list[dict[str, Any]], count: int) -> None:
    """Wait until DevTools has reported ``count`` preflights, or expect's timeout has passed.

    Chromium's network service reports a preflight on its own schedule, which may come
    after the page's script has seen the fetch end; Playwright delivers the report while
    a call of its own is waiting. Python's Playwright has no ``expect.poll``: so, a poll.
    """
    deadline = time.monotonic() + 5
    while len(preflights) < count and time.monotonic() < deadline:
        page.wait_for_timeout(20)


def test_cors_lab_shows_the_preflight_the_cache_and_a_refusal(
    watched: Watched, base_url: str, screenshots: Path
) -> None:
    page = watched.context.new_page()
    page.goto("/methods/options")
    lab = page.get_by_role("region", name="Watch a preflight happen")
    result = lab.locator(".cors-lab-result")
    exchanges = lab.locator(".cors-lab-exchanges > li")

    # A simple POST first: it opens the other origin, and needs no preflight.
    lab.get_by_role("button", name="Send a simple POST").click()
    expect(result).to_contain_text("0 of them OPTIONS")
    expect(exchanges).to_have_count(1)
    expect(exchanges.first).to_contain_text("POST /labs/cors/run/")
    partner = f"http://localhost:{urlsplit(base_url).port}"
    expect(exchanges.first).to_contain_text(f"Origin: {partner}")
    lab.screenshot(path=screenshots / "cors-lab-simple--desktop--light.jpeg")
    preflights = preflights_seen_by(watched, page)

    lab.get_by_role("button", name="Send a preflighted PUT").click()
    expect(result).to_contain_text("1 of them OPTIONS")
    expect(exchanges).to_have_count(2)
    preflight = exchanges.first
    expect(preflight).to_contain_text("Access-Control-Request-Method: PUT")
    expect(preflight).to_contain_text("Access-Control-Request-Headers: content-type,x-lab-demo")
    expect(preflight).to_contain_text(f"Access-Control-Allow-Origin: {partner}")
    expect(preflight).to_contain_text("Access-Control-Max-Age: 600")
    expect(exchanges.nth(1)).to_contain_text("X-Lab-Demo: preflighted")
    lab.screenshot(path=screenshots / "cors-lab-preflighted--desktop--light.jpeg")
    # The browser saw it too: the one preflight the server recorded.
    wait_for_reports(page, preflights, 1)
    assert [request["headers"].get("Access-Control-Request-Method") for request in preflights] == [
        "PUT"
    ]

    lab.get_by_role("button", name="Send the same PUT again").click()
    expect(exchanges).to_have_count(3)
    expect(result).to_contain_text("3 requests in this run, 1 of them OPTIONS")
    expect(result).to_contain_text("The second PUT came without a new OPTIONS")
    assert len(preflights) == 1  # and the browser sent none
    lab.screenshot(path=screenshots / "cors-lab-cached--desktop--light.jpeg")

    lab.get_by_role("button", name="Send a DELETE the server refuses").click()
    expect(result).to_contain_text("failed with TypeError")
    expect(exchanges).to_have_count(1)
    expect(exchanges.first).to_contain_text("Access-Control-Request-Method: DELETE")
    expect(exchanges.first).to_contain_text("Access-Control-Allow-Methods: PUT, POST")
    lab.screenshot(path=screenshots / "cors-lab-refused--desktop--light.jpeg")

    # The one console error is the refusal the page explains.
    assert len(watched.errors) == 1 and REFUSED_BY_CORS.fullmatch(watched.errors[0]), watched.errors


PREFLIGHT_REFUSED = re.compile(
    r"Access to fetch at 'http://127\.0\.0\.1:\d+/api/notes/exercise' from origin "
    r"'http://localhost:\d+' has been blocked by CORS policy: Response to preflight request "
    r"doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present "
    r"on the requested resource\."
)
REFUSED_BY_CSP = re.compile(
    r"Connecting to 'http://localhost:\d+/api/notes/exercise' violates the following Content "
    r"Security Policy directive: \"connect-src 'self'\""
)


def run_in_console(page: Page, code: str) -> str:
    """Run a fetch() as typed in the console; return how it ended: "answered" or the error."""
    return str(
        page.evaluate(
            f"async () => {{ try {{ await {code}; return 'answered'; }}"
            " catch (error) { return error.name; } }"
        )
    )


def test_teachers_preflight_exercise_works_as_written(watched: Watched, base_url: str) -> None:
    page = watched.context.new_page()
    page.goto("/teachers")
    code = page.get_by_label("Code for exercise 3").inner_text()
    partner = f"http://localhost:{urlsplit(base_url).port}"
    other = page.get_by_role("link", name=f"{partner}/labs/cors/frame", exact=True)
    expect(other).to_have_attribute("href", f"{partner}/labs/cors/frame")

    # The page the exercise names is another origin whose scripts may connect here.
    other.click()
    expect(page.get_by_text(f"This frame is the other origin, {partner}")).to_be_visible()
    preflights = preflights_reported_to(watched.context.new_cdp_session(page))
    assert run_in_console(page, code) == "TypeError"
    wait_for_reports(page, preflights, 1)
    (preflight,) = preflights
    assert preflight["url"] == f"{base_url}/api/notes/exercise"
    assert preflight["headers"]["Origin"] == partner
    assert preflight["headers"]["Access-Control-Request-Method"] == "PUT"
    assert [PREFLIGHT_REFUSED.fullmatch(error) is not None for error in watched.errors] == [True]

    # As the old exercise had it, from a page of the site itself: CSP stops it, no preflight.
    watched.errors.clear()
    page.goto(f"{base_url}/teachers")
    assert run_in_console(page, code.replace(base_url, partner)) == "TypeError"
    assert len(preflights) == 1
    # Chromium reports the violation, then the fetch it refused: both name the policy.
    assert REFUSED_BY_CSP.match(watched.errors[0]), watched.errors
    assert all("Content Security Policy" in error for error in watched.errors), watched.errors


def test_builder_sends_lower_case_patch_and_a_made_up_method(
    watched: Watched, screenshots: Path
) -> None:
    page = watched.context.new_page()
    # A visitor doing the challenges: the server ticks them from the answers below.
    page.goto("/challenges")
    expect(page.get_by_text(f"0 of {len(CHALLENGES)} met.")).to_be_visible()
    page.get_by_role("button", name="Send POST to this page").click()  # no script: a form
    expect(page.get_by_text("This URL allows")).to_be_visible()
    page.goto("/builder")
    builder = page.get_by_role("region", name="Build a request")
    notes = builder.locator("[data-notes]")
    sent = builder.locator("[data-request]")
    answer = builder.locator("[data-response]")

    builder.get_by_label("Method", exact=True).fill("patch")
    builder.get_by_label("Body (leave empty for none)").fill('{"text": "hi"}')
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(notes).to_contain_text("fetch() sent patch exactly as written")
    expect(notes).to_contain_text("It knows PATCH, but method names are case-sensitive")
    expect(sent).to_contain_text("patch /echo/builder HTTP/1.1")
    expect(answer).to_contain_text("HTTP/1.1 501")
    builder.screenshot(path=screenshots / "builder-patch--desktop--light.jpeg")

    builder.get_by_label("Method", exact=True).fill("FOO")
    builder.get_by_label("Body (leave empty for none)").fill("")
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(notes).to_contain_text("does not implement a method called FOO")
    expect(answer).to_contain_text("This server does not implement the method FOO")

    builder.get_by_label("Method", exact=True).fill("put")
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(notes).to_contain_text("fetch() upper-cased put to PUT")
    expect(sent).to_contain_text("PUT /echo/builder HTTP/1.1")  # as the echo received it
    expect(sent).to_contain_text("User-Agent: ")

    history = builder.get_by_role("list").filter(has_text="→").last
    expect(history.get_by_role("listitem")).to_have_count(3)
    expect(history.get_by_role("listitem").first).to_have_text("put /echo/builder → 200 OK")
    builder.screenshot(path=screenshots / "builder-history--desktop--light.jpeg")

    # HEAD: the echo ran, but its description is content, which a HEAD answer never carries.
    builder.get_by_label("Method", exact=True).fill("HEAD")
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(notes).to_contain_text("The echo endpoint did run and describe the request")
    expect(notes).not_to_contain_text("answered before the echo endpoint")

    # A 422: the status line carries the server library's words, the note RFC 9110's name.
    builder.get_by_label("Method", exact=True).fill("PUT")
    builder.get_by_label("Path on this site").fill("/api/notes/phrase")
    builder.get_by_label("Body (leave empty for none)").fill('{"text": 5}')
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(answer).to_contain_text("HTTP/1.1 422 Unprocessable Entity")
    expect(notes).to_contain_text('RFC 9110 names 422 "Unprocessable Content"')

    # A forbidden method: fetch() throws before sending, and the builder says why.
    builder.get_by_label("Method", exact=True).fill("trace")
    builder.get_by_label("Body (leave empty for none)").fill("")
    builder.get_by_role("button", name="Send", exact=True).click()
    expect(notes).to_contain_text("Nothing was sent: fetch() refuses trace")
    expect(notes).to_contain_text("The Fetch Standard (§2.2.1, Methods) calls CONNECT, TRACE")
    expect(builder.locator("[data-request-title]")).to_have_text(
        "Request fetch() refused: nothing was sent"
    )
    expect(sent).to_contain_text("(never sent: fetch() refused it)")

    page.goto("/challenges")
    expect(page.get_by_text(f"2 of {len(CHALLENGES)} met.")).to_be_visible()
    for title, met_by in (
        ("Make the server tell you which methods a URL allows", "POST /challenges → 405"),
        ("Get a 501 Not Implemented", "patch /echo/builder → 501"),
    ):
        card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
        expect(card.locator(".challenge-state")).to_have_text(f"✓ Met: {met_by}")
    page.screenshot(path=screenshots / "challenges-met--desktop--light.jpeg", full_page=True)
    assert watched.errors == []


@pytest.fixture
def one_name_site(browser: Browser) -> Iterator[Watched]:
    """Serve the site as a deployment with one host name would (no partner), and watch it.

    One worker process (WEB_CONCURRENCY): each loads the whole app, and one test's few
    requests need no second.
    """
    one_name = {"FLASK_CORS_LAB_HOST_PAIRS": "[]", "WEB_CONCURRENCY": "1"}
    with production_server(env=one_name) as site:
        watched = Watched(browser, site)
        yield watched
        watched.context.close()


def test_cors_lab_on_one_host_uses_a_sandboxed_frame(
    one_name_site: Watched, screenshots: Path
) -> None:
    watched = one_name_site
    page = watched.context.new_page()
    page.goto("/methods/options")
    lab = page.get_by_role("region", name="Watch a preflight happen")
    exchanges = lab.locator(".cors-lab-exchanges > li")

    lab.get_by_role("button", name="Send a preflighted PUT").click()

    expect(lab.locator(".cors-lab-result")).to_contain_text("1 of them OPTIONS")
    expect(exchanges).to_have_count(2)
    expect(exchanges.first).to_contain_text("Origin: null")
    expect(exchanges.first).to_contain_text("Access-Control-Allow-Origin: null")
    expect(lab.frame_locator("iframe").get_by_text("Origin: null")).to_be_visible()
    lab.screenshot(path=screenshots / "cors-lab-sandboxed--desktop--light.jpeg")
    assert watched.errors == []
