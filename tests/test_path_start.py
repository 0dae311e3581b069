"""Lesson 0, the glossary and its links from the lessons, and each lesson's time estimate."""

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.glossary import TERMS, link_first_uses
from methodslab.methods import METHODS
from methodslab.teaching.page_text import estimate, visible_words
from tests.app_config import config_for
from tests.html_text import texts_of
from tests.self_check_forms import form_for

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
LESSONS = ["/anatomy", *(f"/methods/{method.slug}" for method in METHODS)]
TERM_LINK = re.compile(r'<a class="term" href="/glossary#([a-z0-9-]+)">(.*?)</a>', re.DOTALL)


def test_lesson_0_takes_a_real_exchange_with_this_server_apart(client: FlaskClient) -> None:
    html = client.get("/anatomy", headers=BROWSER).text

    request, response = (
        text for text in texts_of(html, "pre") if text.startswith(("POST", "HTTP/1.1"))
    )
    assert request.splitlines()[0] == "POST /echo?lesson=0 HTTP/1.1"
    assert "Content-Type: application/x-www-form-urlencoded" in request
    assert request.endswith("\n\nnm=Ada")  # an empty line, then the content
    assert response.startswith("HTTP/1.1 200 OK\nContent-Type: application/json")
    assert '"body": "nm=Ada"' in response  # what the echo endpoint really answered
    named = [" ".join(text.split()) for text in texts_of(html, "dt")]
    assert named[:5] == [
        "Request line: POST /echo?lesson=0 HTTP/1.1",
        "Method: POST",
        "Target: /echo?lesson=0",
        "Header fields, one per line",
        "Content: nm=Ada",
    ]
    assert named[5] == "Status line: HTTP/1.1 200 OK"
    assert 'aria-labelledby="anatomy-title' in html  # the sequence diagram of the exchange
    assert "Network" in html and "Headers" in html


def test_the_demo_form_of_lesson_0_sends_that_request(client: FlaskClient) -> None:
    html = client.get("/anatomy", headers=BROWSER).text
    form = re.search(r'<form class="plain-form" method="post" action="([^"]+)">', html)
    assert form is not None and form[1] == "/echo?lesson=0"

    seen = client.post(form[1], data={"nm": "Ada"}, headers={"Accept": "application/json"})
    assert seen.get_json()["body"] == "nm=Ada" and seen.get_json()["query"] == {"lesson": ["0"]}


def test_lesson_0_comes_first_on_the_path_and_leads_to_get(client: FlaskClient) -> None:
    anatomy = client.get("/anatomy", headers=BROWSER).text
    get = client.get("/methods/get", headers=BROWSER).text

    steps = re.findall(r'data-step="([a-z]+)"', anatomy)
    assert steps == ["anatomy", *(method.slug for method in METHODS)]
    assert re.search(r'data-step="anatomy">\s*<a href="/anatomy" aria-current="page">', anatomy)
    assert '<a rel="next" href="/methods/get">Next: GET →</a>' in anatomy
    assert '<a rel="prev" href="/anatomy">← Previous: Anatomy of an exchange</a>' in get


def test_the_last_lesson_leads_to_the_summary(client: FlaskClient) -> None:
    html = client.get("/methods/options", headers=BROWSER).text

    assert '<a rel="next" href="/summary">Next: Summary →</a>' in html


def test_lesson_0_records_a_visit_for_a_visitor_who_keeps_progress(client: FlaskClient) -> None:
    shared = client.get("/anatomy", headers=BROWSER)
    assert "Set-Cookie" not in shared.headers and "Keep track of my progress" in shared.text

    client.post("/progress", data={"lesson": "anatomy"}, headers={"Origin": "http://localhost"})
    mine = client.get("/anatomy", headers=BROWSER)
    assert mine.headers["Cache-Control"] == "private, no-cache"
    assert re.search(r'<li class="visited" data-step="anatomy">', mine.text)


def test_every_glossary_term_has_an_anchor_and_a_source(client: FlaskClient) -> None:
    html = client.get("/glossary", headers=BROWSER).text

    anchors = re.findall(r'<dt id="([a-z0-9-]+)">', html)
    assert anchors == [term.anchor for term in TERMS] and len(set(anchors)) == len(anchors)
    for name in ("resource", "representation", "safe", "idempotent", "cacheable", "validator",
                 "etag", "preflight", "origin", "method", "status-code", "header-field",
                 "content"):  # fmt: skip
        assert name in anchors
    assert all(re.match(r"(RFC \d+ §|Fetch Standard)", term.source) for term in TERMS)


@pytest.mark.parametrize("path", LESSONS)
def test_a_lesson_links_the_first_use_of_a_few_terms_to_the_glossary(
    client: FlaskClient, path: str
) -> None:
    html = client.get(path, headers=BROWSER).text

    linked = [anchor for anchor, _ in TERM_LINK.findall(html)]
    assert 3 <= len(linked) <= 10, linked
    assert len(set(linked)) == len(linked)  # the first use only
    assert set(linked) <= {term.anchor for term in TERMS}
    for heading in ("h1", "h2", "h3", "summary", "label", "legend"):
        for element in re.findall(rf"<{heading}\b.*?</{heading}>", html, re.DOTALL):
            assert 'class="term"' not in element


def test_the_links_change_no_word_of_a_lesson(tmp_path: Path, client: FlaskClient) -> None:
    unlinked = create_app(config_for(tmp_path)).test_client()
    unlinked.application.jinja_env.filters["glossary_links"] = lambda html: html
    # Each visitor's own: the form token, and the session cookie the snippets carry.
    token = re.compile(r'name="_csrf" value="[^"]*"|eyJ[\w-]*\.[\w-]+\.[\w-]+')

    for path in LESSONS:
        linked_html = token.sub("", client.get(path, headers=BROWSER).text)
        assert TERM_LINK.search(linked_html)
        expected = token.sub("", unlinked.get(path, headers=BROWSER).text)
        assert TERM_LINK.sub(r"\2", linked_html) == expected


def test_terms_are_linked_in_prose_only_and_once() -> None:
    html = (
        "<!-- a method --><h2>The method</h2><p>A <code>GET</code> and a <a href='/'>resource"
        "</a>.</p><p>The method names a resource; <code>ETag</code> and ETag.</p>"
    )

    linked = str(link_first_uses(html, "/glossary"))
    assert linked == (
        "<!-- a method --><h2>The method</h2><p>A <code>GET</code> and a <a href='/'>resource"
        '</a>.</p><p>The <a class="term" href="/glossary#method">method</a> names a '
        '<a class="term" href="/glossary#resource">resource</a>; '
        '<a class="term" href="/glossary#etag"><code>ETag</code></a> and ETag.</p>'
    )


def test_the_estimate_counts_words_demos_and_questions() -> None:
    page = "<main><p>{}</p>{}{}</main>"
    demo = '<section class="card" data-demo><h2>Try</h2></section>'
    question = '<fieldset class="question" data-question="a"></fieldset>'

    assert estimate(page.format("word " * 400, demo * 2, question * 3)) == (
        "about 8 minutes · 2 demos · 3 questions"  # 2 reading, 4 for demos, 1.5 for questions
    )
    assert estimate(page.format("word " * 999, demo, "")) == "about 7 minutes · 1 demo"
    folded = f"<details><summary>More</summary><p>{'word ' * 1000}</p></details>"
    assert estimate(page.format(folded, demo, "")) == "about 3 minutes · 1 demo"


@pytest.mark.parametrize("path", LESSONS)
def test_each_lesson_shows_the_estimate_of_its_own_content(client: FlaskClient, path: str) -> None:
    html = client.get(path, headers=BROWSER).text

    shown = re.search(r'<p class="estimate">([^<]+)</p>', html)
    assert shown is not None
    assert shown[1] == estimate(html.replace(shown[0], '<p class="estimate"></p>'))
    demos = html.count(" data-demo")
    assert f"{demos} demo" in shown[1] and demos >= 1
    words_in_view = len(visible_words(html))
    assert words_in_view > 200


def test_the_last_self_check_leads_to_the_summary(client: FlaskClient) -> None:
    html = client.get("/methods/options/self-check", headers=BROWSER).text
    first = client.get("/methods/get/self-check", headers=BROWSER).text

    assert '<a rel="next" href="/summary">Next: Summary →</a>' in html
    assert '<a rel="next" href="/methods/head">Next: HEAD →</a>' in first


@pytest.mark.parametrize(
    ("slug", "name", "label", "url"),
    [
        ("get", "HEAD", "Next lesson: HEAD", "/methods/head"),
        ("options", "Summary", "Go to the summary", "/summary"),
    ],
)
def test_after_a_self_check_the_primary_button_is_the_next_step(
    client: FlaskClient, slug: str, name: str, label: str, url: str
) -> None:
    page_url = f"/methods/{slug}"
    form = form_for(client.get(page_url, headers=BROWSER).text, f"{page_url}/self-check")
    fields = form.fields(lambda item: item.options[0])  # right or wrong, the way on is shown
    as_json = client.post(form.action, data=fields, headers={"Accept": "application/json"})
    assert as_json.get_json()["next"] == {"url": url, "name": name, "label": label}

    client.post(form.action, data=fields, headers=BROWSER)
    page = client.get(f"{page_url}/self-check", headers=BROWSER).text
    button = f'<a class="button" href="{url}">{label} →</a>'
    assert page.index("Your answers") < page.index(button) < page.index('id="questions"')


def test_the_estimate_is_the_same_for_every_visitor_and_takes_no_message(tmp_path: Path) -> None:
    """Counted on the page a new visitor sees, in a request of its own: a visitor's notes,
    progress and flashed messages neither change it nor are taken by it."""
    app = create_app(config_for(tmp_path))
    visitor, newcomer = app.test_client(), app.test_client()
    visitor.post("/progress", data={"lesson": "put"}, headers={"Origin": "http://localhost"})
    html = visitor.get("/methods/put", headers=BROWSER).text
    token = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert token is not None
    for number in range(10):  # 800 words of notes: four minutes of reading, if counted
        visitor.put(f"/api/notes/note-{number}", json={"text": "a " * 80})
    fields = {"_method": "DELETE", "_csrf": token[1], "lesson": "delete"}
    sent = visitor.post("/api/notes/note-0", data=fields)

    assert sent.status_code == 303
    mine = visitor.get("/methods/delete", headers=BROWSER).text  # the first render of DELETE
    assert "DELETE /api/notes/note-0 → 204 No Content" in mine  # the message survived
    theirs = newcomer.get("/methods/delete", headers=BROWSER).text
    shown = re.compile(r'<p class="estimate">([^<]+)</p>')
    assert shown.findall(mine) == shown.findall(theirs) != []
