"""A student reads the lessons, sends each method from its Try it panel, and moves on."""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from e2e.page_objects import LessonPage
from methodslab.methods import METHODS, Method
from methodslab.web.reason_phrases import REASON_PHRASES

pytestmark = pytest.mark.reused_page


def the_conditional_get_runs_live(lesson: LessonPage) -> None:
    """On the GET lesson: "Fetch this page twice" gets 200, then 304 with no body."""
    page = lesson.page
    page.get_by_role("button", name="Fetch this page twice").click()

    results = page.get_by_role("region", name="Conditional GET, live")
    expect(results.locator("[data-status]")).to_have_text(["200 OK", "304 Not Modified"])
    expect(results.get_by_role("listitem").nth(1)).to_contain_text("(0 bytes of body")


def head_shows_no_body_and_the_headers_of_get(lesson: LessonPage) -> None:
    """On the HEAD lesson, after the send: no body, and the same fields as a GET."""
    expect(lesson.verdict).to_contain_text("No body came back (0 bytes)")
    comparison = lesson.page.get_by_role("table", name="This page fetched with GET and with HEAD")
    length_cells = comparison.get_by_role("row", name="Content-Length").get_by_role("cell")
    expect(length_cells).to_have_count(2)
    get_length, head_length = length_cells.all_inner_texts()
    assert int(get_length) > 0 and get_length == head_length
    encoding = comparison.get_by_role("row", name="Content-Encoding").get_by_role("cell")
    expect(encoding).to_have_text(["br", "br"])  # Content-Length counts the encoded bytes
    body = comparison.get_by_role("row", name="Body received").get_by_role("cell")
    expect(body.last).to_have_text("0")
    assert int(body.first.inner_text()) > int(get_length)


def options_shows_the_allow_header(lesson: LessonPage) -> None:
    """On the OPTIONS lesson, after the send: Flask's own answer, allowing every method."""
    expect(lesson.verdict).to_contain_text("Flask answered by itself")
    allow = re.search(r"^Allow: (.*)$", lesson.response_shown.inner_text(), re.MULTILINE)
    assert allow is not None
    assert set(allow[1].split(", ")) == {m.name for m in METHODS}


#: What a lesson shows besides its Try it panel, checked after the send.
AFTER_THE_SEND: dict[str, Callable[[LessonPage], None]] = {
    "GET": the_conditional_get_runs_live,
    "HEAD": head_shows_no_body_and_the_headers_of_get,
    "OPTIONS": options_shows_the_allow_header,
}


@pytest.mark.smoke
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_home_table_leads_to_the_lesson_whose_try_it_sends_the_method(
    page: Page, method: Method
) -> None:
    """One navigation per lesson: from the home page's table, then its panel and demos."""
    page.goto("/")
    table = page.get_by_role("table", name="HTTP methods and their properties")
    table.get_by_role("link", name=method.name, exact=True).click()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    expect(page).to_have_url(f"{origin}/methods/{method.slug}")
    page.wait_for_load_state()  # the panel's script, which the send needs
    lesson = LessonPage(page, method)

    sent = lesson.send()

    assert sent.method == method.name
    assert urlsplit(sent.url).path == method.try_it.path
    assert (sent.post_data or "") == method.try_it.body
    if method.try_it.content_type:
        assert sent.headers["content-type"] == method.try_it.content_type
    expect(lesson.request_shown).to_contain_text(f"{method.name} {method.try_it.path}")
    # The echo answers 200 OK; a sandbox panel, the status its right prediction names.
    prediction = method.try_it.prediction
    assert prediction is not None
    status = next(c.status for c in prediction.choices if c.key == prediction.answer) or 200
    expect(lesson.response_shown).to_contain_text(f"HTTP/1.1 {status} {REASON_PHRASES[status]}")
    if method.try_it.body:
        expect(lesson.request_shown).to_contain_text(method.try_it.body)
    if method.name in AFTER_THE_SEND:
        AFTER_THE_SEND[method.name](lesson)


def test_lessons_link_in_order_both_ways(page: Page) -> None:
    page.goto("/methods/get")
    # The links at the bottom; the path at the top has the same pair (e2e/test_self_check.py).
    lessons = page.get_by_role("navigation", name="Lessons", exact=True)
    for method in METHODS[1:]:
        lessons.get_by_role("link", name=f"Next: {method.name}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"The {method.name} method")
    for method in reversed(METHODS[:-1]):
        lessons.get_by_role("link", name=f"Previous: {method.name}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"The {method.name} method")
    page.get_by_role("link", name="All methods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HTTP Methods Lab")


def test_form_with_a_method_the_url_refuses_gets_405(page: Page) -> None:
    page.goto("/get-vs-post")

    with page.expect_response(lambda r: urlsplit(r.url).path == "/") as answer:
        page.get_by_role("button", name="Send POST to the home page").click()

    assert answer.value.status == 405
    assert set(answer.value.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    expect(page.get_by_role("heading", level=1)).to_have_text("405 Method Not Allowed")
    expect(page.get_by_role("main")).to_contain_text("This URL allows: GET, HEAD, OPTIONS.")
