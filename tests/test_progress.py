"""The path through the lessons: progress in the session, and no visitor's marks in shared pages."""

import html
import re

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from methodslab.methods import METHODS
from methodslab.notes.store import MAX_NOTES, NEW_SANDBOXES_PER_HOUR
from methodslab.pages.teachers import quiz
from tests.html_text import texts_of
from tests.self_check_forms import form_for

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SAME_ORIGIN = {**BROWSER, "Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


def start(client: FlaskClient, lesson: str = "get") -> None:
    """Start keeping progress, as the home page's button does."""
    answer = client.post("/progress", data={"lesson": lesson}, headers=SAME_ORIGIN)
    assert answer.status_code == 303


def steps(html: str) -> dict[str, str]:
    """Return each lesson's step in the path with its classes (visited, passed)."""
    found = re.findall(r'<li class="([^"]*)" data-step="([a-z]+)">', html)
    return {slug: classes.strip() for classes, slug in found}


def test_the_shared_lesson_sets_no_cookie_marks_nothing_and_offers_to_keep_track(
    client: FlaskClient,
) -> None:
    page = client.get("/methods/head", headers=BROWSER)

    assert "Set-Cookie" not in page.headers
    assert set(steps(page.text).values()) == {""}
    assert "Keep track of my progress" in page.text
    assert 'aria-current="page">' in page.text
    current = re.search(r'data-step="(\w+)">\s*<a [^>]*aria-current="page"', page.text)
    assert current and current[1] == "head"
    assert texts_of(page.text, "ol")[0].split() == [
        "0", "Anatomy", "of", "an", "exchange",
        *(word for number, method in enumerate(METHODS, 1) for word in (str(number), method.name)),
    ]  # fmt: skip


def test_start_redirects_with_303_and_the_lesson_records_the_visit(client: FlaskClient) -> None:
    answer = client.post("/progress", data={"lesson": "get"}, headers=SAME_ORIGIN)

    assert answer.status_code == 303 and answer.location == "/methods/get"
    page = client.get("/methods/get", headers=BROWSER)
    assert steps(page.text)["get"] == "visited"
    text = " ".join(page.text.split())
    assert "Your progress: 1 of 8 lessons visited, 0 self-checks passed." in text
    assert "Reset my progress" in page.text
    client.get("/methods/post", headers=BROWSER)
    page = client.get("/methods/head", headers=BROWSER)
    assert [slug for slug, classes in steps(page.text).items() if classes] == [
        "get",
        "head",
        "post",
    ]


def test_a_visitors_own_lesson_is_private_and_still_answers_304(client: FlaskClient) -> None:
    start(client)
    page = client.get("/methods/get", headers=BROWSER)

    again = client.get("/methods/get", headers={**BROWSER, "If-None-Match": page.headers["ETag"]})

    assert page.cache_control.private and page.cache_control.no_cache
    assert "Cookie" in page.headers["Vary"]
    assert again.status_code == 304  # the GET lesson's conditional demo works for them too


def test_a_passed_self_check_is_marked_in_the_path(client: FlaskClient) -> None:
    form = form_for(client.get("/methods/put", headers=BROWSER).text, "/methods/put/self-check")

    client.post(form.action, data=form.right(), headers=SAME_ORIGIN)
    page = client.get("/methods/options", headers=BROWSER)

    assert steps(page.text)["put"] == "visited passed"
    assert "(visited, self-check passed)" in page.text
    assert "2 of 8 lessons visited, 1 self-check passed." in " ".join(page.text.split())


def test_reset_forgets_progress_and_answers_then_goes_back_with_303(client: FlaskClient) -> None:
    start(client)
    form = form_for(client.get("/methods/get", headers=BROWSER).text, "/methods/get/self-check")
    client.post(form.action, data=form.right(), headers=SAME_ORIGIN)
    assert "Your answers" in client.get("/methods/get/self-check").text

    # The lesson's quiet link asks first, on a page of its own that changes nothing.
    link = re.search(
        r'<a class="quiet" href="([^"]+)">Reset my progress</a>', client.get("/methods/head").text
    )
    assert link is not None and html.unescape(link[1]) == "/progress/reset?lesson=head"
    asked = client.get(html.unescape(link[1]))
    assert asked.status_code == 200 and "Reset your progress?" in asked.text
    assert "private" in asked.headers["Cache-Control"]
    assert '<form class="confirm-actions" method="post" action="/progress/reset">' in asked.text
    assert '<input type="hidden" name="lesson" value="head">' in asked.text
    assert '<a href="/methods/head">No, keep it</a>' in asked.text
    assert "Your answers" in client.get("/methods/get/self-check").text  # nothing forgotten yet

    answer = client.post("/progress/reset", data={"lesson": "head"}, headers=SAME_ORIGIN)

    assert answer.status_code == 303 and answer.location == "/methods/head"
    page = client.get("/methods/head", headers=BROWSER)
    assert "Keep track of my progress" in page.text
    assert set(steps(page.text).values()) == {""}
    again = client.get("/methods/get/self-check")
    assert "Your answers" not in again.text
    assert 'name="draw" value="s|' in again.text  # the shared questions, as for anyone new


@pytest.mark.parametrize("lesson", ["get", "head", "options", "put"])
def test_one_visitors_progress_never_shows_in_anothers_page(
    client: FlaskClient, other_client: FlaskClient, lesson: str
) -> None:
    """Visitor A asks first, with the page cache cold: B must still get the shared page."""
    start(client, lesson)
    form = form_for(client.get("/methods/get/self-check").text, "/methods/get/self-check")
    client.post(form.action, data=form.wrong(), headers=SAME_ORIGIN)
    mine = client.get(f"/methods/{lesson}", headers=BROWSER)
    assert "visited" in steps(mine.text)[lesson]

    for _ in "12":  # Flask's answer, then the replayed one
        theirs = other_client.get(f"/methods/{lesson}", headers=BROWSER)
        assert set(steps(theirs.text).values()) == {""}
        assert "Your progress" not in theirs.text and "Reset my progress" not in theirs.text
    shared = client.application.extensions.get("pages", {})
    assert all(b"Your progress" not in page.html for page in shared.values())


def test_a_request_cannot_poison_the_shared_page_with_a_forged_cookie(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    client.set_cookie("sandbox", "not-a-signed-session")
    forged = client.get("/methods/get", headers=BROWSER)
    honest = other_client.get("/methods/get", headers=BROWSER)

    assert forged.data == honest.data
    assert "Keep track of my progress" in honest.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
    ],
)
@pytest.mark.parametrize("path", ["/progress", "/progress/reset", "/methods/get/self-check"])
def test_a_form_from_another_site_is_refused_and_sets_no_cookie(
    client: FlaskClient, path: str, headers: dict[str, str]
) -> None:
    answer = client.post(path, data={"lesson": "get", "crawler": "shop"}, headers=headers)

    assert answer.status_code == 403
    assert "Set-Cookie" not in answer.headers


def test_a_form_from_this_site_without_fetch_metadata_is_accepted(client: FlaskClient) -> None:
    """Older browsers send Origin only; curl sends neither, and has no browser cookie to lose."""
    assert client.post("/progress", headers={"Origin": "http://localhost"}).status_code == 303
    assert client.post("/progress").status_code == 303


@pytest.mark.parametrize("lesson", ["//evil.example", "https://evil.example/", "trace", ""])
def test_start_and_reset_go_only_to_a_lesson_or_home(client: FlaskClient, lesson: str) -> None:
    for path in ("/progress", "/progress/reset"):
        answer = client.post(path, data={"lesson": lesson}, headers=SAME_ORIGIN)
        assert answer.location == "/"


def test_the_home_page_starts_the_path_and_sends_teachers_to_their_page(
    client: FlaskClient,
) -> None:
    html = client.get("/", headers=BROWSER).text

    assert re.search(r'<form method="post" action="/progress">', html)
    assert "Start: lesson 0, Anatomy of an exchange" in html
    assert '<input type="hidden" name="lesson" value="anatomy">' in html
    assert 'href="/teachers"' in html
    assert "What this site fixes in the classic tutorial" not in html
    assert "The welcome view has no route" not in html


def test_the_welcome_page_leads_to_the_get_lesson(client: FlaskClient) -> None:
    page = client.get("/success/Ada?via=post", headers=BROWSER)

    assert '<a href="/methods/get">Next: the GET' in page.text


@pytest.mark.parametrize(
    ("name", "explained"), [("..", True), (".", True), ("~x", True), ("Ada", False)]
)
def test_the_welcome_page_explains_the_tilde_when_the_address_has_one(
    client: FlaskClient, name: str, explained: bool
) -> None:
    location = client.post("/login", data={"nm": name}).location
    page = client.get(location, headers=BROWSER)

    assert location.startswith("/success/~") is explained
    assert ("Why the address has a" in page.text) is explained


@pytest.mark.parametrize(
    ("referrer", "back"),
    [
        ("http://localhost/get-vs-post", "http://localhost/get-vs-post"),
        ("http://localhost/methods/get?x=1#top", "http://localhost/methods/get?x=1"),
        ("http://localhost//evil.example/x", "http://localhost//evil.example/x"),
        ("http://evil.example/get-vs-post", None),
        ("https://localhost/get-vs-post", None),
        ("http://localhost:8080/get-vs-post", None),
        ("javascript:alert(1)", None),
    ],
)
def test_the_405_page_leads_back_only_to_a_page_of_this_site(
    client: FlaskClient, referrer: str, back: str | None
) -> None:
    page = client.post("/", headers={**BROWSER, "Referer": referrer})

    assert page.status_code == 405
    links = re.findall(r'<a href="([^"]*)">Go back to the page you came from</a>', page.text)
    assert links == ([back] if back else [])
    if back:
        assert "Referer" in page.headers["Vary"] and page.cache_control.private


# An app of its own: the page shows the allowance an app is set to, the default here
# (the module's app lifts it for its visitors).
@pytest.mark.own_app
def test_the_teachers_page_has_its_parts_and_the_limits_from_the_code(client: FlaskClient) -> None:
    page = client.get("/teachers", headers=BROWSER)
    headings = texts_of(page.text, "h2")

    assert page.status_code == 200
    for part in ("Learning objectives", "lesson plan", "Exercises", "quiz", "Setting up"):
        assert any(part in heading for heading in headings), part
    for exercise in ("412 with If-Match", "name leaks into a URL", "preflighted"):
        assert exercise in page.text
    assert f"{MAX_NOTES} notes a sandbox" in page.text
    assert f"{NEW_SANDBOXES_PER_HOUR} new sandboxes an hour" in page.text
    assert "FLASK_NEW_SANDBOXES_PER_HOUR" in page.text
    assert "four defects" in page.text
    for version in ("a", "b"):
        assert f'href="/teachers/quiz/{version}">print the quiz</a>' in page.text
        assert f'href="/teachers/quiz/{version}/answers">print the answer key</a>' in page.text


@pytest.mark.parametrize("version", ["a", "b"])
def test_the_quiz_and_its_answer_key_print_apart(client: FlaskClient, version: str) -> None:
    printed = client.get(f"/teachers/quiz/{version}", headers=BROWSER)
    key = client.get(f"/teachers/quiz/{version}/answers", headers=BROWSER)
    items = quiz(version)

    assert printed.status_code == key.status_code == 200
    assert "Set-Cookie" not in printed.headers and not printed.cache_control.private
    questions = texts_of(printed.text, "ol")
    assert len(re.findall(r"<li>\s*<p>", printed.text)) == len(items) == 9
    assert all(str(escape(item.why)) not in printed.text for item in items)  # no answers
    letters = re.findall(r"<li><strong>([A-H])</strong>: ", key.text)
    assert letters == [item.letter for item in items]
    assert questions


def test_the_two_versions_differ_and_an_unknown_one_is_404(client: FlaskClient) -> None:
    a = client.get("/teachers/quiz/a/answers", headers=BROWSER).text
    b = client.get("/teachers/quiz/b/answers", headers=BROWSER).text

    assert re.findall(r"<strong>([A-H])</strong>", a) != re.findall(r"<strong>([A-H])</strong>", b)
    assert client.get("/teachers/quiz/c", headers=BROWSER).status_code == 404
