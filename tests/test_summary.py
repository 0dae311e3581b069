"""The summary after the last lesson: the challenge, the mastery grid, and verifiable results."""

import re
from html import unescape
from typing import Any

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from methodslab.pages.summary import CHALLENGE, CHALLENGE_SIZE, RESULT_SALT
from methodslab.self_checks import (
    CONCEPTS,
    SELF_CHECKS_BY_KEY,
    Question,
    answered_by_one_position,
    draw,
    read_token,
)

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SAME_ORIGIN = {**BROWSER, "Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
CONCEPTS_BY_TITLE = {concept.title: concept.key for concept in CONCEPTS}


def challenge(client: FlaskClient) -> tuple[str, list[tuple[str, Question]]]:
    """Return the draw's token the summary page shows this visitor, and its questions."""
    html = client.get("/summary", headers=BROWSER).text
    found = re.search(r'name="draw" value="([^"]+)"', html)
    assert found is not None
    read = read_token(CHALLENGE, unescape(found[1]))
    assert read is not None
    drawn = [(concept.key, concept.variants[variant]) for concept, variant in read[1]]
    assert re.findall(r'<fieldset class="question" data-question="([^"]+)"', html) == [
        key for key, _ in drawn
    ]
    return unescape(found[1]), drawn


def answers(drawn: list[tuple[str, Question]], wrong: int = 0) -> dict[str, str]:
    """Return a form answering ``drawn``: all right but the first ``wrong`` questions."""
    return {
        key: question.right
        if index >= wrong
        else next(o.key for o in question.options if o.key != question.right)
        for index, (key, question) in enumerate(drawn)
    }


def send(client: FlaskClient, wrong: int = 0, **extra: str) -> Any:
    """Take the challenge with ``wrong`` wrong answers and return the 303's answer."""
    token, drawn = challenge(client)
    return client.post(
        "/summary", data={"draw": token, **answers(drawn, wrong), **extra}, headers=SAME_ORIGIN
    )


def result_code(html: str) -> str:
    """Return the code printed on a result."""
    found = re.search(r'class="result-code"><code>([^<]+)</code>', html)
    assert found is not None
    return found[1]


def test_the_challenge_asks_ten_ideas_from_across_the_lessons(client: FlaskClient) -> None:
    _, drawn = challenge(client)

    concepts = {key for key, _ in drawn}
    assert len(concepts) == CHALLENGE_SIZE
    lessons = {key.split("-")[0] for key in concepts}
    assert len(lessons) >= 5, lessons


def test_always_choosing_one_position_never_answers_a_whole_challenge() -> None:
    for seed in (None, *range(1, 201)):
        drawn = draw(CHALLENGE, seed)
        assert len({item.concept.key for item in drawn}) == CHALLENGE_SIZE
        assert not answered_by_one_position(drawn), seed


def test_the_challenge_is_a_private_page_that_sets_no_cookie(client: FlaskClient) -> None:
    page = client.get("/summary", headers=BROWSER)
    head = client.head("/summary", headers=BROWSER)

    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert page.text.count('<fieldset class="question"') == CHALLENGE_SIZE
    assert head.headers["Content-Length"] == str(len(page.data))


def test_a_sent_challenge_answers_303_then_shows_the_result(client: FlaskClient) -> None:
    sent = send(client, wrong=0, name="  Ada   Lovelace ")

    assert sent.status_code == 303 and sent.location == "/summary"
    page = client.get("/summary", headers=BROWSER).text
    assert f"Your result: {CHALLENGE_SIZE} of {CHALLENGE_SIZE} right" in page
    assert "Ada Lovelace: 10 of 10 questions right" in " ".join(page.split())
    assert "http://localhost/verify" in page


def test_a_missed_question_links_back_without_revealing_the_right_option(
    client: FlaskClient,
) -> None:
    _, drawn = challenge(client)
    send(client, wrong=1)
    page = client.get("/summary", headers=BROWSER).text

    key, question = drawn[0]
    right = question.option(question.right)
    assert right is not None
    start = page.index(f'<li class="graded-question wrong" data-question="{key}">')
    missed = page[start : page.index('<li class="graded-question', start + 1)]
    assert question.prompt in unescape(missed)
    assert "Your answer: " + right.text not in unescape(page)
    assert re.search(r'href="/(methods/[a-z]+|get-vs-post)#[a-z-]+">Read the part of', missed)
    assert f"Your result: {CHALLENGE_SIZE - 1} of {CHALLENGE_SIZE} right" in page


def test_the_mastery_grid_shows_each_idea_at_the_level_reached(client: FlaskClient) -> None:
    shared = draw(SELF_CHECKS_BY_KEY["get"])
    token = "s|" + ",".join(f"{item.concept.key}:{item.variant}" for item in shared)
    passed = {item.concept.key: item.question.right for item in shared}
    client.post("/methods/get/self-check", data={"draw": token, **passed}, headers=SAME_ORIGIN)
    _, drawn = challenge(client)
    send(client, wrong=1)
    page = client.get("/summary", headers=BROWSER).text

    grid = page[page.index('<table class="mastery">') :]
    found = re.findall(r'<tr class="([a-z]+)">\s*<th scope="row">([^<]+)</th>', grid)
    levels = {CONCEPTS_BY_TITLE[unescape(title)]: level for level, title in found}
    assert len(found) == len(CONCEPTS) == len(levels)
    missed = drawn[0][0]
    assert levels[missed] == "missed"
    assert all(levels[key] == "mastered" for key in passed if key != missed)
    never_asked = {c.key for c in CONCEPTS} - set(passed) - {key for key, _ in drawn}
    assert never_asked and all(levels[key] == "new" for key in never_asked)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"drop": "1"}, "Please answer every question: 1 had no answer."),
        ({"first": "no-such-option"}, "Question 1 has no option"),
        ({"name": "A" * 61}, "Please keep the name to 60 characters."),
        ({"name": "Ada\x07"}, "cannot be printed"),
    ],
)
def test_a_bad_challenge_form_is_refused_with_400_and_kept(
    client: FlaskClient, form: dict[str, str], message: str
) -> None:
    token, drawn = challenge(client)
    data = {"draw": token, **answers(drawn)}
    if "drop" in form:
        del data[drawn[0][0]]
    if "first" in form:
        data[drawn[0][0]] = form["first"]
    if "name" in form:
        data["name"] = form["name"]
    refused = client.post("/summary", data=data, headers=SAME_ORIGIN)

    assert refused.status_code == 400
    assert message in refused.text
    assert "Set-Cookie" not in refused.headers
    assert refused.text.count(" checked") >= CHALLENGE_SIZE - 1  # the answers given are kept


@pytest.mark.parametrize(
    "token", ["", "s|", "0|get-safe:0", "s|get-safe:9", "s|" + ",".join(["get-safe:0"] * 10)]
)
def test_a_changed_draw_is_refused(client: FlaskClient, token: str) -> None:
    refused = client.post("/summary", data={"draw": token}, headers=SAME_ORIGIN)

    assert refused.status_code == 400


def test_a_challenge_from_another_site_is_refused(client: FlaskClient) -> None:
    token, drawn = challenge(client)
    data = {"draw": token, **answers(drawn)}

    for path in ("/summary", "/summary/new"):
        refused = client.post(path, data=data, headers={"Sec-Fetch-Site": "cross-site"})
        assert refused.status_code == 403 and "Set-Cookie" not in refused.headers


def test_a_new_challenge_forgets_the_answers_and_draws_again(client: FlaskClient) -> None:
    first, _ = challenge(client)
    send(client)
    again = client.post("/summary/new", headers=SAME_ORIGIN)

    assert again.status_code == 303 and again.location == "/summary"
    page = client.get("/summary", headers=BROWSER).text
    assert "Your result" not in page
    second, _ = challenge(client)
    assert second != first  # the next try: another draw, the visitor's own


def test_a_teacher_verifies_a_printed_code(client: FlaskClient, other_client: FlaskClient) -> None:
    send(client, wrong=2, name="Grace Hopper")
    code = result_code(client.get("/summary", headers=BROWSER).text)
    # Printed, then typed or pasted with a line break in the middle.
    pasted = code[:40] + "\n" + code[40:]
    page = other_client.get("/verify", query_string={"code": pasted}, headers=BROWSER)

    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "This code is genuine" in text
    assert f"Grace Hopper answered {CHALLENGE_SIZE - 2} of {CHALLENGE_SIZE} questions" in text


def test_a_changed_code_certifies_nothing(client: FlaskClient) -> None:
    send(client, wrong=5)
    code = result_code(client.get("/summary", headers=BROWSER).text)
    payload, _, signature = code.rpartition(".")
    # The same claims with a better score, signed by someone without the site's key.
    forged = URLSafeTimedSerializer("guessed key", salt=RESULT_SALT).dumps(
        {"name": "", "right": 10, "asked": 10, "concepts": []}
    )
    # The session cookie is signed with the same key, but for another purpose (salt).
    session = URLSafeTimedSerializer("test secret", salt="cookie-session").dumps({"right": 10})

    for bad in (payload + "." + signature[::-1], code[:-3], code.replace(".", "x", 1), forged,
                session, "A" * 2001):  # fmt: skip
        page = client.get("/verify", query_string={"code": bad}, headers=BROWSER)
        assert page.status_code == 400, bad
        assert "certifies nothing" in page.text and "genuine" not in page.text


def test_a_code_signed_before_a_key_change_still_verifies(client: FlaskClient) -> None:
    send(client)
    code = result_code(client.get("/summary", headers=BROWSER).text)
    app = client.application
    app.config.update(SECRET_KEY="the new key", SECRET_KEY_FALLBACKS=["test secret"])
    try:
        assert client.get("/verify", query_string={"code": code}).status_code == 200
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert client.get("/verify", query_string={"code": code}).status_code == 400
    finally:
        app.config.update(SECRET_KEY="test secret", SECRET_KEY_FALLBACKS=[])


def test_the_verify_page_without_a_code_shows_its_form(client: FlaskClient) -> None:
    page = client.get("/verify", headers=BROWSER)

    assert page.status_code == 200
    assert '<form class="plain-form" method="get" action="/verify">' in page.text
