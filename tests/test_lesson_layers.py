"""Lessons in layers: a key idea first, about 400 words in view, the rest under "Going further";
and the facts behind Try it's predictions and verdicts agree with what the server does."""

import json
import re

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from methodslab.methods import METHODS, Method, Prediction
from methodslab.web.reason_phrases import REASON_PHRASES
from tests.html_text import texts_of, visible_words

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

# Words in view before any <details> is opened (code blocks aside); the warm-up's heading,
# which opens every lesson but the first, takes 7 of them.
MOST_VISIBLE_WORDS = 460


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_a_lesson_shows_about_400_words_before_anything_is_opened(
    client: FlaskClient, method: Method
) -> None:
    words = visible_words(client.get(f"/methods/{method.slug}").text)

    assert len(words) <= MOST_VISIBLE_WORDS, f"{method.name}: {len(words)} words in view"


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_a_lesson_starts_with_its_key_idea_and_folds_the_rest(
    client: FlaskClient, method: Method
) -> None:
    html = client.get(f"/methods/{method.slug}").text

    key_idea = next(text for text in texts_of(html, "p") if text.startswith("Key idea:"))
    assert html.index('class="key-idea"') < html.index('id="meaning"')
    assert 1 <= len(re.findall(r"[.!?](\s|$)", key_idea)) <= 2
    further = html[html.index('id="going-further"') :]
    for folded in ('<details id="myths">', '<details id="flask">', '<details id="wire">'):
        assert folded in further


def predictions() -> list[tuple[str, Prediction]]:
    """Return every prediction the lessons ask, named by where it is asked."""
    asked = [(f"{m.name} Try it", m.try_it.prediction) for m in METHODS]
    asked += [(f"{m.name} walkthrough", m.walkthrough.prediction) for m in METHODS if m.walkthrough]
    return [(where, question) for where, question in asked if question is not None]


def test_every_demo_asks_a_prediction_with_one_right_answer() -> None:
    asked = predictions()

    assert len(asked) == len(METHODS) + sum(1 for m in METHODS if m.walkthrough)
    for where, question in asked:
        assert [choice.key for choice in question.choices].count(question.answer) == 1, where
        assert all(choice.why for choice in question.choices), where


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_try_it_has_a_verdict_for_its_method_and_points_to_notice(method: Method) -> None:
    assert method.try_it.verdict.startswith(f"{method.name}: ")
    assert 2 <= len(method.try_it.notice) <= 3


def send_try_it(client: FlaskClient, method: Method) -> TestResponse:
    """Send a lesson's Try it request as the panel sends it, after its setup request."""
    example = method.try_it
    if example.setup:
        setup = example.setup
        sent = {"Content-Type": setup.content_type} if setup.content_type else {}
        client.open(setup.path, method=setup.method, data=setup.body, headers=sent)
    headers = {"Accept": "application/json"}
    if example.content_type:
        headers["Content-Type"] = example.content_type
    return client.open(
        example.path,
        method=method.name,
        query_string=example.query,
        data=example.body,
        headers=headers,
    )


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_the_right_prediction_is_what_the_site_does(client: FlaskClient, method: Method) -> None:
    response = send_try_it(client, method)
    assert method.try_it.prediction is not None
    prediction = method.try_it.prediction
    right = next(c for c in prediction.choices if c.key == prediction.answer)

    assert response.status_code < 300  # no verdict about an error
    if right.status:  # the choice that names a status names the one the site answers
        assert right.text.startswith(f"{right.status} {REASON_PHRASES[right.status]}")
        assert response.status_code == right.status
    else:
        assert response.status_code == 200
    if method.name == "PUT":  # the second PUT replaces: the choice naming 200 is borne out
        replaced = send_try_it(client, method).status_code
        assert any(c.status == replaced for c in prediction.choices)
    if method.name == "GET":
        seen = response.get_json()
        assert seen["query"] == {"lesson": ["get"], "page": ["1"]} and seen["body_bytes"] == 0
    if method.name == "POST":
        assert response.get_json()["form"] == {"nm": ["Ada Lovelace"]}
    if method.name == "HEAD":  # headers only, with GET's Content-Length
        get = client.get(
            method.try_it.path,
            query_string=method.try_it.query,
            headers={"Accept": "application/json"},
        )
        assert response.data == b""
        assert response.headers["Content-Length"] == str(len(get.data))
    if method.name == "OPTIONS":
        assert "Allow" in response.headers and response.data == b""


def test_pages_write_reason_phrases_as_rfc_9110_does(client: FlaskClient) -> None:
    html = client.get("/methods/patch").text

    data = re.search(r'<script type="application/json" id="reason-phrases">(.*?)</script>', html)
    assert data is not None
    phrases = {int(code): phrase for code, phrase in json.loads(data[1]).items()}
    assert phrases == REASON_PHRASES
    assert phrases[413] == "Content Too Large" and phrases[422] == "Unprocessable Content"
