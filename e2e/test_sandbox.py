"""A student's own notes: idempotency walkthroughs, isolation, and forms without JavaScript."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from e2e.page_objects import fits_its_width, viewport
from e2e.site_pages import VIEWPORTS
from e2e.visitors import listening
from methodslab.methods import METHODS_BY_SLUG


@contextmanager
def notes_api_requests(page: Page) -> Iterator[list[Request]]:
    """Record every request the page makes to the notes API until the block ends."""
    seen: list[Request] = []

    def keep(request: Request) -> None:
        if urlsplit(request.url).path.startswith("/api/notes"):
            seen.append(request)

    with listening(page, "request", keep):
        yield seen


#: Each walkthrough's statuses, and the notes listed after each of its two sends.
WALKTHROUGHS = {
    "put": (
        ["404 Not Found", "201 Created", "200 OK"],
        [["shopping: Milk, eggs"], ["shopping: Milk, eggs"]],
    ),
    "post": (["201 Created", "201 Created"], [[": Posted"], [": Posted", ": Posted"]]),
    "delete": (["201 Created", "204 No Content", "404 Not Found"], [["(none)"], ["(none)"]]),
}


def run_walkthrough(page: Page, slug: str) -> Locator:
    """Run the lesson's walkthrough; check its statuses, the notes after each send and the
    repeated request, sent twice as written. Return its steps."""
    walkthrough = METHODS_BY_SLUG[slug].walkthrough
    assert walkthrough is not None
    repeated = walkthrough.repeated
    statuses, collections = WALKTHROUGHS[slug]
    with notes_api_requests(page) as sent:
        page.goto(f"/methods/{slug}")

        page.get_by_role("button", name=walkthrough.button).click()

        attempts = page.locator("[data-attempts] > li")
        expect(attempts.locator("[data-status]")).to_have_text(statuses)
    after_each = attempts.locator("[data-notes]")
    expect(after_each).to_have_count(2)
    for shown, expected in zip(after_each.all(), collections, strict=True):
        # Folded in a <details> ("on demand"): read whether open or not.
        expect(shown.locator("li")).to_have_count(len(expected))
        for item, text in zip(shown.locator("li").all(), expected, strict=True):
            expect(item).to_contain_text(text)
    repeats = [
        r for r in sent if r.method == repeated.method and urlsplit(r.url).path == repeated.path
    ]
    assert len(repeats) == 2
    assert all((r.post_data or "") == repeated.body for r in repeats)
    return attempts


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param("post", id="POST twice: two notes"),
        pytest.param("delete", id="DELETE twice: 404 but same state"),
    ],
)
def test_walkthrough_sends_twice_and_shows_the_state(visitor_page, slug: str) -> None:
    run_walkthrough(visitor_page(), slug)


def test_patch_walkthroughs_show_one_format_idempotent_and_one_not(
    visitor_page, screenshots: Path
) -> None:
    page = visitor_page()
    patch = METHODS_BY_SLUG["patch"]
    assert patch.walkthrough is not None and patch.contrast is not None
    page.goto("/methods/patch")
    merge = page.get_by_role("group", name=patch.walkthrough.title)
    json_patch = page.get_by_role("group", name=patch.contrast.title)

    with notes_api_requests(page) as sent:
        merge.get_by_role("button", name=patch.walkthrough.button).click()
        expect(merge.locator("[data-status]")).to_have_text(["201 Created", "200 OK", "200 OK"])
        json_patch.get_by_role("button", name=patch.contrast.button).click()
        expect(json_patch.locator("[data-status]")).to_have_text(["200 OK", "200 OK", "200 OK"])

    # The same merge patch twice: the same note, down to its version and ETag, whose
    # second part names this life of the note (notes/store.py: Note.opaque_tag).
    for attempt in merge.locator("[data-attempts] > li").all()[1:]:
        expect(attempt).to_contain_text(re.compile(r'ETag: "v2-[0-9a-f]{12}"'))
        expect(attempt.locator("[data-notes]")).to_have_text("todo: Buy milk (tags: urgent)")
    # add to /tags/- twice: one more tag, and a new version, each time.
    after_json_patch = json_patch.locator("[data-attempts] > li").all()[1:]
    for attempt, tags, etag in zip(
        after_json_patch, ["urgent", "urgent, urgent"], ["v4", "v5"], strict=True
    ):
        expect(attempt).to_contain_text(re.compile(f'ETag: "{etag}-[0-9a-f]{{12}}"'))
        expect(attempt.locator("[data-notes]")).to_have_text(f"todo: Buy milk (tags: {tags})")
    patches = [(r.headers["content-type"], r.post_data) for r in sent if r.method == "PATCH"]
    assert (
        patches
        == [
            (patch.walkthrough.repeated.content_type, patch.walkthrough.repeated.body),
        ]
        * 2
        + [(patch.contrast.repeated.content_type, patch.contrast.repeated.body)] * 2
    )

    sandbox = page.get_by_role("region", name="Your sandbox: PATCH twice")
    sandbox.screenshot(path=screenshots / "lesson-patch-walkthroughs--desktop--light.jpeg")
    with viewport(page, VIEWPORTS["phone"]["viewport"]):
        assert fits_its_width(page)
        sandbox.screenshot(path=screenshots / "lesson-patch-walkthroughs--phone--light.jpeg")


@pytest.mark.smoke
def test_put_twice_keeps_one_whole_note_in_a_sandbox_of_its_own(visitor_page) -> None:
    # Two students, one on a laptop and one on a phone: two reused pages, two contexts.
    alice_page, bob_page = visitor_page(), visitor_page(**VIEWPORTS["phone"])

    attempts = run_walkthrough(alice_page, "put")
    notes = attempts.locator("[data-note]")
    expect(notes).to_have_count(2)
    for note in notes.all():
        for field in ('"id": "shopping"', '"text": "Milk, eggs"', '"version"', '"updated"'):
            expect(note).to_contain_text(field)
    # Each step says which validators the PUT response carried (RFC 9110 §9.3.4).
    expect(attempts.nth(1)).to_contain_text("201 Created, with ")
    expect(alice_page.get_by_label("The note at /api/notes/shopping").first).to_be_visible()
    bob_page.goto("/methods/put")

    expect(bob_page.get_by_text("You have no notes yet.")).to_be_visible()
    assert bob_page.request.get("/api/notes").json()["count"] == 0
    alice_page.reload()
    expect(alice_page.locator("[data-collection]")).to_contain_text("shopping: Milk, eggs")
    bob_page.request.delete("/api/notes/shopping")
    assert alice_page.request.get("/api/notes/shopping").ok


@pytest.mark.smoke
def test_override_forms_work_without_javascript(
    visitor_page, base_url: str, screenshots: Path
) -> None:
    page = visitor_page(java_script_enabled=False)
    page.goto("/methods/put")
    # The lesson reads without JavaScript; its Try it panel offers a form that sends the
    # same PUT through the override, and the walkthrough says what it needs.
    expect(page.get_by_role("heading", level=1)).to_have_text("The PUT method")
    try_it = page.get_by_role("region", name="Try it")
    expect(try_it.get_by_role("button", name="PUT groceries with a form")).to_be_visible()
    expect(page.get_by_role("button", name="Send PUT")).to_be_hidden()
    idempotent = page.get_by_role("row", name="Idempotent")
    expect(idempotent.get_by_role("cell")).to_have_text("Yes")
    expect(page.get_by_text("The walkthrough needs JavaScript")).to_be_visible()

    page.get_by_label("Text for the note from-a-form").fill("Saved without JavaScript")
    with page.expect_request(lambda r: urlsplit(r.url).path == "/api/notes/from-a-form") as put:
        page.get_by_role("button", name="PUT it with a form").click()

    assert put.value.method == "POST"
    assert parse_qs(put.value.post_data or "")["_method"] == ["PUT"]
    expect(page).to_have_url(f"{base_url}/methods/put#your-notes")
    expect(page.get_by_role("status")).to_have_text("PUT /api/notes/from-a-form → 201 Created")
    expect(page.locator("[data-collection]")).to_contain_text(
        "from-a-form: Saved without JavaScript"
    )

    page.get_by_role("button", name="Delete from-a-form").click()

    expect(page.get_by_role("status")).to_have_text(
        "DELETE /api/notes/from-a-form → 204 No Content"
    )
    expect(page.get_by_text("You have no notes yet.")).to_be_visible()

    # Your turn: the student's own request, explained on a result page (303).
    page.get_by_text("Your turn: your own request").click()
    page.get_by_label("Note id").fill("mine")
    page.get_by_label("Text", exact=True).fill("It's mine")
    page.get_by_label("Condition", exact=True).select_option("If-None-Match")
    page.get_by_label("Its value: an ETag, or *").fill("*")
    page.get_by_role("button", name="Send it").click()

    expect(page).to_have_url(re.compile(r"/methods/put/your-turn\?r="))
    answer = page.get_by_role("status")
    expect(answer).to_contain_text("PUT /api/notes/mine → 201 Created")
    expect(answer).to_contain_text("The note mine now exists: “It's mine” (no tags), version 1.")
    expect(answer.get_by_role("link", name="RFC 9110 §9.3.4")).to_be_visible()
    page.screenshot(path=screenshots / "your-turn-created--desktop--light.jpeg", full_page=True)
    page.get_by_role("button", name="Send it").click()  # the same, again: the note exists

    expect(page.get_by_role("status")).to_contain_text("412 Precondition Failed")
