"""Predict, then send: a Try it panel and a walkthrough judged, by keyboard, even with a full
sandbox; and on a phone, no result widens the page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.page_objects import fits_its_width
from e2e.site_pages import VIEWPORTS
from methodslab.notes.store import MAX_NOTES

# Pages reset to a first-time visitor's (e2e/visitors.py): these tests add no listeners.
pytestmark = pytest.mark.reused_page

HAS_FOCUS = "element => element === document.activeElement"


def has_focus(element: Locator) -> bool:
    """Tell whether ``element`` holds keyboard focus."""
    return bool(element.evaluate(HAS_FOCUS))


def test_predict_send_and_a_full_sandbox_by_keyboard(page: Page, screenshots: Path) -> None:
    page.goto("/methods/put")
    try_it = page.get_by_role("region", name="Try it")
    send = try_it.get_by_role("button", name="Send PUT", exact=True)

    # The prediction asks about HTTP: what PUT answers when it creates the note.
    try_it.get_by_label("200 OK: the note is stored").check()
    send.focus()
    page.keyboard.press("Enter")

    verdict = try_it.locator("[data-verdict]")
    expect(verdict).to_contain_text("201 Created. PUT: the note groceries is now exactly")
    expect(verdict).to_contain_text("You predicted “200 OK: the note is stored”: not this time.")
    expect(verdict).to_contain_text("The answer: 201 Created, with a Location naming the note.")
    expect(verdict.locator("p.wrong .verdict-mark")).to_have_text("✗")
    expect(verdict).to_be_in_viewport()
    assert has_focus(send)
    expect(try_it.locator("[data-request] strong")).to_have_text(
        "PUT /api/notes/groceries HTTP/1.1"
    )
    expect(try_it.locator("[data-request] mark")).to_have_text('{"text": "Milk, eggs"}')
    expect(try_it.locator("summary")).to_have_text(
        re.compile(r"Show all \d+ header fields, and the bodies")
    )
    expect(try_it.locator("[data-request]")).not_to_contain_text("Sec-Fetch-Mode")
    # The note is in "Your notes" at once, with its Delete button.
    notes = page.locator("[data-collection]")
    expect(notes).to_contain_text("PUT /api/notes/groceries → 201 Created")
    expect(notes.get_by_role("button", name="Delete groceries")).to_be_visible()
    page.screenshot(path=screenshots / "lesson-put-predicted--desktop--light.jpeg", full_page=True)
    # The request just sent, for the builder to fill in and write out for five clients.
    builder = try_it.get_by_role("link", name="Open this request in the request builder")
    expect(builder).to_have_attribute(
        "href", re.compile(r"^/builder\?method=PUT&url=%2Fapi%2Fnotes%2Fgroceries&header=")
    )

    # Sent again, the same PUT replaces the note: the choice naming 200 is borne out.
    send.click()
    expect(verdict).to_contain_text("200 OK. PUT:")
    expect(verdict).to_contain_text("You predicted “200 OK: the note is stored”: right.")
    expect(verdict).to_contain_text("The lesson expected 201 Created")
    expect(verdict.locator("p.right .verdict-mark")).to_have_text("✓")

    # Its Delete button in "Your notes" deletes it there and then, with fetch().
    notes.get_by_role("button", name="Delete groceries").click()
    expect(notes).to_contain_text("DELETE /api/notes/groceries → 204 No Content")
    expect(notes).to_contain_text("You have no notes yet.")

    # An error is judged as an error, with the server's own words.
    try_it.get_by_label("Body").fill("[" * 101 + "]" * 101)
    send.click()
    expect(verdict).to_contain_text("400 Bad Request: the server refused this request")
    expect(verdict).to_contain_text("so it changed nothing")
    expect(verdict).to_contain_text("It says: The JSON body is nested too deeply")
    expect(verdict).not_to_contain_text("PUT: the note")

    # A full sandbox: the walkthrough says why it stops and offers to empty it.
    for number in range(MAX_NOTES):
        assert page.request.put(f"/api/notes/n{number}", data={"text": "filler"}).status == 201
    sandbox = page.get_by_role("region", name="Your sandbox: PUT twice")
    sandbox.get_by_label("Nothing more: 200 OK, the note unchanged").check()
    run = sandbox.get_by_role("button", name="Send PUT twice")
    run.focus()
    page.keyboard.press("Enter")

    walk_verdict = sandbox.locator("[data-verdict]")
    expect(walk_verdict).to_contain_text("Stopped: 409 Conflict.")
    expect(walk_verdict).to_contain_text(f"already holds {MAX_NOTES} notes")
    assert has_focus(run)
    steps = sandbox.locator("[data-attempts] [data-status]")
    expect(steps).to_have_text(["404 Not Found", "409 Conflict"])
    expect(sandbox.locator("[data-attempts] > li").first).to_contain_text("(expected: ")
    page.screenshot(
        path=screenshots / "lesson-put-full-sandbox--desktop--light.jpeg", full_page=True
    )

    sandbox.get_by_role("button", name="Empty my sandbox and run again").click()

    expect(steps).to_have_text(["404 Not Found", "201 Created", "200 OK"])
    expect(walk_verdict).to_contain_text("PUT twice: 201 Created, then 200 OK.")
    expect(walk_verdict).to_contain_text("”: right.")
    assert has_focus(run)
    expect(page.locator("[data-collection]")).to_contain_text("shopping: Milk, eggs")
    assert page.request.get("/api/notes").json()["count"] == 1


def test_results_never_widen_a_phone(visitor_page) -> None:
    phone = visitor_page(**VIEWPORTS["phone"])
    phone.goto("/methods/get")

    phone.get_by_role("button", name="Fetch this page twice").click()
    conditional = phone.get_by_role("region", name="Conditional GET, live")
    expect(conditional.locator("[data-status]")).to_have_text(["200 OK", "304 Not Modified"])
    phone.get_by_role("button", name="Send GET", exact=True).click()
    expect(phone.locator("[data-verdict]").first).to_contain_text("GET: the data travelled")

    assert fits_its_width(phone)
