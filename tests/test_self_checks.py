"""Self-checks: right answers agree with the facts and the site; they measure, not copy."""

import ast
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from methodslab import self_checks
from methodslab.methods import METHODS, Answer, Option
from methodslab.pages.grading import MAX_ANSWERS_BYTES
from methodslab.pages.teachers import quiz
from methodslab.self_checks import (
    CONCEPTS,
    CONCEPTS_BY_KEY,
    CORS_SAFELISTED_CONTENT_TYPES,
    CORS_SAFELISTED_METHODS,
    DEFAULT_ORDERS,
    FORM_METHOD_FALLBACK,
    FORM_METHOD_KEYWORDS,
    FORM_SCENARIOS,
    GUIDE,
    MISSED,
    SELF_CHECKS,
    SELF_CHECKS_BY_KEY,
    WARM_UPS,
    Concept,
    Drawn,
    Fact,
    Question,
    after_answer,
    draw,
    safe_methods_text,
)
from tests.self_check_forms import Asked, Form, form_for, forms_on

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
ALL_QUESTIONS = [
    pytest.param(concept, question, id=f"{concept.key}/{question.key}")
    for concept in CONCEPTS
    for question in concept.variants
]
PAGES = [*(method.slug for method in METHODS), GUIDE]


def page_url(key: str) -> str:
    """Return the URL of a lesson (by slug) or of the GET vs POST guide."""
    return "/get-vs-post" if key == GUIDE else f"/methods/{key}"


def check_url(key: str) -> str:
    """Return the URL that grades and shows the self-check ``key``."""
    return f"{page_url(key)}/self-check"


def share(positions: Iterable[int]) -> float:
    """Return the largest share of the answers any one position holds."""
    counted = Counter(positions)
    return max(counted.values()) / sum(counted.values())


# --- The pools -------------------------------------------------------------------------------


def test_every_page_asks_three_to_five_concepts_each_with_three_to_five_variants() -> None:
    assert [check.key for check in SELF_CHECKS] == PAGES
    for check in SELF_CHECKS:
        assert 3 <= len(check.concepts) <= 5, check.key
    for concept in CONCEPTS:
        assert 3 <= len(concept.variants) <= self_checks.MAX_VARIANTS, concept.key
        assert len({q.key for q in concept.variants}) == len(concept.variants), concept.key
    assert len(CONCEPTS_BY_KEY) == len(CONCEPTS)
    # Each lesson after the first opens with a warm-up of two from the lessons before.
    assert [w.page for w in WARM_UPS] == [method.slug for method in METHODS[1:]]
    assert all(w.size == 2 and w.warm_up for w in WARM_UPS)
    assert {c.page for c in SELF_CHECKS_BY_KEY["put-warm-up"].concepts} == {"get", "head", "post"}


@pytest.mark.parametrize(("concept", "question"), ALL_QUESTIONS)
def test_every_question_has_one_right_option_explains_each_and_hints(
    client: FlaskClient, concept: Concept, question: Question
) -> None:
    keys = [option.key for option in question.options]

    assert len(keys) == len(set(keys)) >= 2
    assert question.right in keys
    assert all(len(option.why) > 20 for option in question.options)
    page, anchor = concept.hint(question)
    assert f'id="{anchor}"' in client.get(page_url(page), headers=BROWSER).text, question.hint


def test_every_question_names_its_source_in_a_comment() -> None:
    """Each question's options open with a comment citing an RFC or a standard."""
    source = Path(self_checks.__file__).read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    # Written out as a tuple of options; the form scenarios cite theirs in FormScenario.
    questions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "Question"
        and isinstance(node.args[2], ast.Tuple)
        and not isinstance(node.args[1], ast.JoinedStr)
    ]
    assert len(questions) == sum(len(c.variants) for c in CONCEPTS) - len(FORM_SCENARIOS)
    for node in questions:
        options = node.args[2]
        assert isinstance(options, ast.Tuple)
        comment = "\n".join(lines[node.lineno : options.elts[0].lineno - 1])
        assert re.search(r"# (RFC|Fetch Standard|HTML Standard)", comment), lines[node.lineno]


FACT_QUESTIONS = [
    pytest.param(question, id=f"{concept.key}/{question.key}")
    for concept in CONCEPTS
    for question in concept.variants
    if question.fact is not None
]


@pytest.mark.parametrize("question", FACT_QUESTIONS)
def test_a_fact_question_is_right_by_the_method_facts(question: Question) -> None:
    fact = question.fact
    assert fact is not None
    right = question.option(question.right)
    assert right is not None

    assert right.states == getattr(fact.method, fact.attribute).word
    # Were the fact different, another option (or none) would be right, never this one.
    for option in question.options:
        if option.key != question.right:
            assert option.states != fact.word


def test_a_fact_question_follows_the_facts_when_they_change() -> None:
    """The right answer is derived from methods.py, not written down beside it."""
    delete = next(method for method in METHODS if method.slug == "delete")
    question = CONCEPTS_BY_KEY["delete-idempotent"].variants[0]
    assert question.fact is not None

    assert question.right == "404-yes"
    assert delete.idempotent.word == "Yes"
    changed = replace(question, fact=Fact(replace(delete, idempotent=Answer("No")), "idempotent"))
    assert changed.right == "404-no"


def test_the_safe_methods_question_is_written_from_the_facts() -> None:
    question = next(q for q in CONCEPTS_BY_KEY["delete-safe"].variants if q.key == "which-safe")
    safe = [method.name for method in METHODS if method.safe.word == "Yes"]

    assert safe == ["GET", "HEAD", "OPTIONS"]
    assert question.option(question.right) == question.options[0]
    assert question.options[0].text == safe_methods_text() == "GET, HEAD and OPTIONS"


def apply_json_patch(document: dict[str, Any], op: str, path: str, value: Any) -> dict[str, Any]:
    """Apply one RFC 6902 "add" at "-" (§4.1: append) or "replace" (§4.3) to a flat document."""
    *parents, last = path.lstrip("/").split("/")
    if op == "add":
        assert last == "-" and len(parents) == 1
        return {**document, parents[0]: [*document[parents[0]], value]}
    assert op == "replace" and not parents and last in document
    return {**document, last: value}


def observe_not_modified(client: FlaskClient) -> str:
    etag = client.get("/methods/get").headers["ETag"]
    return str(client.get("/methods/get", headers={"If-None-Match": etag}).status_code)


def observe_changed(client: FlaskClient) -> str:
    client.put("/api/notes/report", json={"text": "Monday"})
    etag = client.get("/api/notes/report").headers["ETag"]
    client.put("/api/notes/report", json={"text": "Tuesday"})
    answer = client.get("/api/notes/report", headers={"If-None-Match": etag})
    assert answer.headers["ETag"] != etag
    return str(answer.status_code)


def observe_304_body(client: FlaskClient) -> str:
    etag = client.get("/methods/get").headers["ETag"]
    answer = client.get("/methods/get", headers={"If-None-Match": etag})
    return "none" if answer.status_code == 304 and answer.data == b"" else "page"


def observe_head_length(client: FlaskClient) -> str:
    get = client.get("/methods/head", headers={"Accept-Encoding": "identity"})
    head = client.head("/methods/head", headers={"Accept-Encoding": "identity"})
    assert head.data == b""
    return "get" if head.headers["Content-Length"] == str(len(get.data)) else "zero"


def observe_head_body(client: FlaskClient) -> str:
    head = client.head("/methods/head")
    assert int(head.headers["Content-Length"]) > 0
    return "none" if head.data == b"" else "5120"


def observe_head_validators(client: FlaskClient) -> str:
    head = client.head("/methods/head")
    return "head" if head.data == b"" and "ETag" in head.headers else "get"


def observe_head_size(client: FlaskClient) -> str:
    head = client.head("/methods/head")
    return "head" if head.data == b"" and "Content-Length" in head.headers else "options"


def observe_head_status(client: FlaskClient) -> str:
    assert client.head("/methods/no-such").status_code == client.get("/methods/no-such").status_code
    return "head" if client.head("/methods/head").data == b"" else "options"


def observe_login_redirect(client: FlaskClient) -> str:
    answer = client.post("/login", data={"nm": "Ada"})
    # What 307 would do: send the POST again to the Location, which refuses it.
    assert client.post(answer.location, data={"nm": "Ada"}).status_code == 405
    return str(answer.status_code)


def observe_post_twice(client: FlaskClient) -> str:
    statuses = [client.post("/api/notes", json={"text": "Same"}).status_code for _ in "12"]
    count = client.get("/api/notes").get_json()["count"]
    return "two" if statuses == [201, 201] and count == 2 else "one"


def observe_put_twice(client: FlaskClient) -> str:
    statuses = [client.put("/api/notes/shopping", json={"text": "Milk"}).status_code for _ in "12"]
    assert client.get("/api/notes").get_json()["count"] == 1
    return "-".join(map(str, statuses))


def observe_put_creates(client: FlaskClient) -> str:
    answer = client.put("/api/notes/list", json={"text": "Eggs"})
    assert answer.headers["Location"].endswith("/api/notes/list")
    return str(answer.status_code)


def observe_put_replaces(client: FlaskClient) -> str:
    client.put("/api/notes/shopping", json={"text": "Milk"})
    status = client.put("/api/notes/shopping", json={"text": "Eggs"}).status_code
    return "200-204" if status in (200, 204) else str(status)


def observe_delete_twice(client: FlaskClient) -> str:
    client.put("/api/notes/old", json={"text": "Delete me"})
    statuses = [client.delete("/api/notes/old").status_code for _ in "12"]
    assert statuses[0] == 204
    return f"{statuses[1]}-yes"  # idempotent: checked against the facts above


def observe_merge_patch_twice(client: FlaskClient) -> str:
    client.put("/api/notes/todo", json={"text": "Draft"})
    patch = {"content_type": "application/merge-patch+json", "data": '{"text": "Final"}'}
    versions = [client.patch("/api/notes/todo", **patch).get_json()["version"] for _ in "12"]
    return "nothing" if versions[0] == versions[1] else "again"


def observe_json_patch(client: FlaskClient) -> str:
    once = apply_json_patch({"tags": []}, "add", "/tags/-", "urgent")
    twice = apply_json_patch(once, "add", "/tags/-", "urgent")
    return "yes" if once == twice else "no"


def observe_json_patch_replace(client: FlaskClient) -> str:
    once = apply_json_patch({"text": "Draft"}, "replace", "/text", "Final")
    twice = apply_json_patch(once, "replace", "/text", "Final")
    return "yes" if once == twice else "no"


def observe_wrong_patch_type(client: FlaskClient) -> str:
    client.put("/api/notes/todo", json={"text": "Draft"})
    answer = client.patch("/api/notes/todo", content_type="text/plain", data="text=Final")
    assert "application/merge-patch+json" in answer.headers["Accept-Patch"]
    return str(answer.status_code)


def observe_accept_patch(client: FlaskClient) -> str:
    answer = client.options("/api/notes/todo")
    return (
        "accept-patch"
        if "PATCH" in answer.headers["Allow"] and answer.headers["Accept-Patch"]
        else "allow"
    )


def conditional_patch(client: FlaskClient, changed_since: bool) -> str:
    client.put("/api/notes/shared", json={"text": "First"})
    etag = client.get("/api/notes/shared").headers["ETag"]
    if changed_since:
        client.put("/api/notes/shared", json={"text": "Second"})
    answer = client.patch(
        "/api/notes/shared",
        content_type="application/merge-patch+json",
        data='{"text": "Third"}',
        headers={"If-Match": etag},
    )
    kept = client.get("/api/notes/shared").get_json()["text"]
    assert kept == ("Second" if changed_since else "Third")
    return str(answer.status_code)


def observe_post_to_options_lesson(client: FlaskClient) -> str:
    allowed = client.options("/methods/options").headers["Allow"]
    answer = client.post("/methods/options")
    assert answer.headers["Allow"] == allowed
    return str(answer.status_code)


def observe_delete_to_options_lesson(client: FlaskClient) -> str:
    answer = client.delete("/methods/options")
    assert sorted(answer.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS"]
    return str(answer.status_code)


def observe_405_carries_allow(client: FlaskClient) -> str:
    return "allow" if client.post("/methods/options").headers.get("Allow") else "nothing"


def observe_unknown_method(client: FlaskClient) -> str:
    return str(client.open("/", method="FOO").status_code)


def observe_preflight(client: FlaskClient) -> str:
    return "put" if "PUT" in CORS_SAFELISTED_METHODS else "options"


def observe_json_preflight(client: FlaskClient) -> str:
    return "no-post" if "application/json" in CORS_SAFELISTED_CONTENT_TYPES else "yes"


def observe_plain_get(client: FlaskClient) -> str:
    return "check" if "GET" in CORS_SAFELISTED_METHODS else "preflight"


def observe_form_method(client: FlaskClient) -> str:
    return "put" if "put" in FORM_METHOD_KEYWORDS else FORM_METHOD_FALLBACK


# The questions whose right answer is not a method fact: how the site (or the rule the
# question states) shows the answer, as the key of the option that must be right. The
# others rest on a fact, or on the rule their comment cites (checked above).
OBSERVED: dict[tuple[str, str], Callable[[FlaskClient], str]] = {
    ("get-conditional", "not-modified"): observe_not_modified,
    ("get-conditional", "changed"): observe_changed,
    ("get-conditional", "body"): observe_304_body,
    ("head-headers", "length"): observe_head_length,
    ("head-headers", "bytes"): observe_head_body,
    ("head-use", "video"): observe_head_validators,
    ("head-use", "size"): observe_head_size,
    ("head-use", "links"): observe_head_status,
    ("post-redirect", "redirect"): observe_login_redirect,
    ("post-idempotent", "twice"): observe_post_twice,
    ("put-statuses", "statuses"): observe_put_twice,
    ("put-statuses", "create"): observe_put_creates,
    ("put-statuses", "replace"): observe_put_replaces,
    ("put-forms", "form"): observe_form_method,
    ("delete-idempotent", "second"): observe_delete_twice,
    ("patch-idempotent", "json-patch"): observe_json_patch,
    ("patch-idempotent", "merge-twice"): observe_merge_patch_twice,
    ("patch-idempotent", "replace"): observe_json_patch_replace,
    ("patch-format", "wrong-type"): observe_wrong_patch_type,
    ("patch-format", "accept-patch"): observe_accept_patch,
    ("patch-conditional", "if-match"): lambda client: conditional_patch(client, True),
    ("patch-conditional", "current"): lambda client: conditional_patch(client, False),
    ("options-405-501", "post"): observe_post_to_options_lesson,
    ("options-405-501", "delete-here"): observe_delete_to_options_lesson,
    ("options-405-501", "must-send"): observe_405_carries_allow,
    ("options-405-501", "unknown"): observe_unknown_method,
    ("options-preflight", "preflight"): observe_preflight,
    ("options-preflight", "json-post"): observe_json_preflight,
    ("options-preflight", "plain-get"): observe_plain_get,
}


@pytest.mark.parametrize(("concept", "question"), ALL_QUESTIONS)
def test_every_observable_right_answer_is_checked_against_the_site(
    client: FlaskClient, concept: Concept, question: Question
) -> None:
    observe = OBSERVED.get((concept.key, question.key))
    if concept.page == GUIDE:
        scenario = next(s for s in FORM_SCENARIOS if s.key == question.key)
        # GET only for a form that changes nothing and carries nothing sensitive.
        assert question.right == (
            "get" if not (scenario.changes_state or scenario.sensitive) else "post"
        )
    elif observe is not None:
        assert observe(client) == question.right
    assert all(key in {(c.key, q.key) for c in CONCEPTS for q in c.variants} for key in OBSERVED)


# --- The explanations say what the RFCs say --------------------------------------------------


def variant(concept: str, key: str) -> Question:
    """Return the variant called ``key`` of ``concept``."""
    return next(q for q in CONCEPTS_BY_KEY[concept].variants if q.key == key)


def test_a_reusable_post_response_names_the_posts_own_url() -> None:
    # RFC 9110 §9.3.3: cacheable only with explicit freshness and a Content-Location equal
    # to the POST's target URI; then it answers a later GET or HEAD of it, never a POST.
    question = variant("post-cacheable", "cached-post")
    target = re.search(r"response to POST (/\S+?),", question.prompt)
    location = re.search(r"Content-Location: (/\S+?)[,.]? ", question.prompt)
    assert target and location and target[1] == location[1]
    right = question.option(question.right)
    assert right is not None
    assert right.text == f"No: it may answer only a later GET or HEAD of {target[1]}"
    # Where the two differ, the response is not cacheable at all.
    other = variant("post-cacheable", "content-location")
    assert "Content-Location: /search?q=flask" in other.prompt and "POST /search" in other.prompt
    assert other.right == "only" and "not /search" in other.options[2].text


@pytest.mark.parametrize(
    ("concept", "key", "says", "never_says"),
    [
        # RFC 9110 §9.2.1: safe is what the client asks, not a promise about the server.
        ("head-safe", "checker", "Does it ask your site to change anything?", "Can that change"),
        # §9.2.2: SHOULD NOT retry automatically, unless it knows the first was not applied.
        (
            "post-idempotent",
            "resend",
            "unless it can tell that the first never reached the server",
            "must not repeat",
        ),
        ("options-safe", "scan", "asks for no change", "changes nothing"),
    ],
)
def test_questions_keep_the_rfcs_words(concept: str, key: str, says: str, never_says: str) -> None:
    question = variant(concept, key)
    text = " ".join([question.prompt, *(f"{o.text} {o.why}" for o in question.options)])

    assert says in text
    assert never_says not in text


# --- Positions: no pattern to guess ------------------------------------------------------------


def prediction_positions() -> list[int]:
    """Return where each lesson prediction (Try it and walkthroughs) puts its right choice."""
    predictions = [
        prediction
        for method in METHODS
        for part in (method.try_it, method.walkthrough, method.contrast)
        if part is not None and (prediction := part.prediction) is not None
    ]
    assert len(predictions) == 12
    return [next(i for i, c in enumerate(p.choices) if c.key == p.answer) for p in predictions]


def shared_positions() -> list[int]:
    """Return where the shared order puts each right answer, over every variant."""
    return [
        Drawn(CONCEPTS_BY_KEY[key], variant, order).right_position
        for (key, variant), order in DEFAULT_ORDERS.items()
    ]


def test_right_answers_do_not_cluster_in_any_position() -> None:
    predictions, questions = prediction_positions(), shared_positions()

    assert share(predictions) <= 0.4
    assert share(questions) <= 0.4
    assert share(predictions + questions) <= 0.4
    for version in ("a", "b"):
        assert share(ord(item.letter) - ord("A") for item in quiz(version)) <= 0.4


def visitor_positions(seed: int, tries: int) -> list[list[int]]:
    """Return, for each of a visitor's first ``tries`` tries of every self-check, all right
    positions they are shown: the predictions and every page's questions, each right."""
    records: dict[str, int] = {}
    shown = []
    for attempt in range(tries):
        positions = prediction_positions()
        for check in SELF_CHECKS:
            for item in draw(check, seed, attempt, records):
                positions.append(item.right_position)
                record = records.get(item.concept.key, 0)
                records[item.concept.key] = after_answer(
                    record, item.concept, item.variant, True, True
                )
        shown.append(positions)
    return shown


def test_no_visitor_finds_right_answers_clustered_in_one_position() -> None:
    """Every round of a visitor's self-checks, with the predictions, holds by construction."""
    for seed in (1, 2, 3, *random.Random(7).sample(range(1, 2**31), 300)):
        for positions in visitor_positions(seed, 3):
            assert share(positions) <= 0.4, seed


def test_the_balance_test_fails_on_answers_that_cluster() -> None:
    """The old self-checks put the right answer first in 22 of 23 questions."""
    assert share([0] * 22 + [1]) > 0.4
    assert share(prediction_positions()[:1] * 9 + [1, 1, 2]) > 0.4


def test_the_two_printed_versions_differ_in_order() -> None:
    a, b = quiz("a"), quiz("b")

    assert [item.question for item in a] == list(reversed([item.question for item in b]))
    assert [item.letter for item in a] != [item.letter for item in reversed(b)]


@pytest.mark.parametrize("check", [*SELF_CHECKS, *WARM_UPS], ids=lambda check: check.key)
def test_no_draw_puts_every_right_answer_at_one_position(check: self_checks.SelfCheck) -> None:
    draws = [draw(check)] + [
        draw(check, seed, attempt, {}) for seed in range(1, 120) for attempt in range(3)
    ]
    for drawn in draws:
        assert len({item.right_position for item in drawn}) > 1
        assert not self_checks.answered_by_one_position(drawn)


def test_a_visitors_orders_are_their_own() -> None:
    check = SELF_CHECKS_BY_KEY["options"]
    orders = {tuple(item.order for item in draw(check, seed, 0, {})) for seed in range(1, 40)}

    assert len(orders) > 10


# --- A constant guess passes nothing; a pass is earned on fresh variants ------------------------


def post_form(
    client: FlaskClient, form: Form, fields: dict[str, str], accept: dict[str, str]
) -> Any:
    return client.post(form.action, data=fields, headers=accept)


@pytest.mark.parametrize("own_order", [False, True], ids=["shared", "visitor"])
@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("key", PAGES)
def test_always_choosing_one_position_passes_no_self_check(
    client: FlaskClient, key: str, position: int, own_order: bool
) -> None:
    """A bot picks the nth option (the last when there are fewer) on every try: on the
    shared page, or keeping progress, with an order of its own."""
    if own_order:
        client.post("/progress", data={"lesson": "get"}, headers={"Origin": "http://localhost"})
    html = client.get(page_url(key), headers=BROWSER).text
    assert ('value="s|' not in html) is own_order  # the shared draw's token starts with s
    for _ in range(6):
        form = form_for(html, check_url(key))
        fields = form.fields(lambda item: item.options[min(position, len(item.options) - 1)])
        result = client.post(form.action, data=fields, headers=JSON).get_json()
        assert result["passed"] is False
        html = client.get(check_url(key), headers=BROWSER).text
    assert "Self-check passed" not in html


def test_a_wrong_answer_is_explained_without_giving_the_right_one(client: FlaskClient) -> None:
    form = form_for(client.get("/methods/delete", headers=BROWSER).text, check_url("delete"))
    fields = form.right() | form.wrong() | {"draw": form.token}
    missed = form.asked[0]
    fields = form.right() | {missed.concept: form.wrong()[missed.concept]}

    sent = client.post(form.action, data=fields, headers=BROWSER)
    assert sent.status_code == 303 and sent.location == check_url("delete")
    for _ in "12":  # the page, then a reload: the same graded answers, nothing sent again
        page = client.get(sent.location, headers=BROWSER)
        assert page.cache_control.private and page.cache_control.no_cache
        graded = page.text.split('id="questions"')[0]
        chosen = missed.question.option(fields[missed.concept])
        assert chosen is not None and str(escape(chosen.why)) in graded
        right = missed.question.option(missed.question.right)
        assert right is not None and str(escape(right.why)) not in graded
        assert "The right answer" not in page.text
        assert f'href="/methods/delete#{missed.question.hint}"' in graded
        assert "You got 2 of 3 right." in " ".join(graded.split())
        # The options in the order the visitor saw them, theirs marked.
        block = graded.split(f'data-question="{missed.concept}"')[1].split("</ul>")[0]
        assert re.findall(r'<li data-option="([^"]+)"', block) == missed.options


def test_the_json_answer_says_right_or_wrong_but_never_which_option_was_right(
    client: FlaskClient,
) -> None:
    form = form_for(client.get("/methods/patch", headers=BROWSER).text, check_url("patch"))
    first = form.asked[0]
    wrong = form.wrong()[first.concept]

    answer = client.post(form.action, data=form.right() | {first.concept: wrong}, headers=JSON)

    result = answer.get_json()
    assert (result["right"], result["total"], result["passed"]) == (2, 3, False)
    chosen = first.question.option(wrong)
    assert chosen is not None
    assert result["questions"][0] == {
        "question": first.concept,
        "chosen": wrong,
        "correct": False,
        "fresh": True,
        "why": chosen.why,
        "hint": f"/methods/patch#{first.question.hint}",
        "hint_page": "the PATCH lesson",
    }
    assert first.question.right not in {str(v) for q in result["questions"] for v in q.values()}


def test_a_retry_asks_new_variants_and_passes_only_when_they_are_all_right(
    client: FlaskClient,
) -> None:
    first = form_for(client.get("/methods/put", headers=BROWSER).text, check_url("put"))
    assert first.token.startswith("s|")  # the shared draw, on the shared page
    client.post(first.action, data=first.wrong(), headers=BROWSER)

    again = form_for(client.get(check_url("put"), headers=BROWSER).text, check_url("put"))
    assert not again.token.startswith("s|")
    for before, now in zip(first.asked, again.asked, strict=True):
        assert before.concept == now.concept and before.question != now.question
    sent = client.post(again.action, data=again.right(), headers=BROWSER)
    page = client.get(sent.location, headers=BROWSER)
    assert "You got 3 of 3 right. Self-check passed." in " ".join(page.text.split())
    # The result page shows the visitor's own order, as their form did.
    graded = page.text.split('id="questions"')[0]
    shown = [
        re.findall(r'<li data-option="([^"]+)"', block.split("</ul>")[0])
        for block in graded.split('class="graded-question')[1:]
    ]
    assert shown == [item.options for item in again.asked]


def test_answers_copied_from_a_seen_draw_do_not_pass(client: FlaskClient) -> None:
    shared = form_for(client.get("/methods/head", headers=BROWSER).text, check_url("head"))
    missed = shared.asked[1]
    client.post(
        shared.action, data=shared.right() | {missed.concept: shared.wrong()[missed.concept]}
    )

    # Every answer right, on the very questions already graded: a copy, not a pass.
    result = client.post(shared.action, data=shared.right(), headers=JSON).get_json()

    assert result["right"] == 3 and result["passed"] is False
    assert [q["fresh"] for q in result["questions"]] == [False, False, False]
    page = client.get(check_url("head"), headers=BROWSER).text
    assert "you had seen this question before" in page


def test_a_concept_comes_back_in_a_new_round_once_every_variant_was_seen() -> None:
    concept = CONCEPTS_BY_KEY["head-safe"]
    record = 0
    seen = []
    for _ in range(len(concept.variants) + 1):
        variant = self_checks.next_variant(concept, 7, record)
        seen.append(variant)
        record = after_answer(record, concept, variant, False, True)

    assert sorted(seen[:3]) == [0, 1, 2]  # each variant once, then a new round
    assert seen[3] != seen[2]
    assert record & MISSED


def test_warm_ups_favour_what_the_visitor_missed() -> None:
    warm_up = SELF_CHECKS_BY_KEY["head-warm-up"]  # two of GET's four concepts
    missed = {"get-data": MISSED}
    drawn = [draw(warm_up, seed, 0, missed) for seed in range(1, 301)]
    fair = [draw(warm_up, seed, 0, {}) for seed in range(1, 301)]

    def asked(draws: list[list[Drawn]]) -> float:
        return sum(any(i.concept.key == "get-data" for i in d) for d in draws) / len(draws)

    assert asked(fair) < 0.6
    assert asked(drawn) > 0.8


def test_each_lesson_opens_with_a_warm_up_from_earlier_lessons(client: FlaskClient) -> None:
    assert not any(f.action.endswith("/warm-up") for f in forms_on(client.get("/methods/get").text))
    for method in METHODS[1:]:
        html = client.get(f"/methods/{method.slug}", headers=BROWSER).text
        warm_up = form_for(html, f"/methods/{method.slug}/warm-up")
        assert html.index('id="warm-up"') < html.index('id="meaning"')
        earlier = {m.slug for m in METHODS[: METHODS.index(method)]}
        assert len(warm_up.asked) == 2
        assert {CONCEPTS_BY_KEY[item.concept].page for item in warm_up.asked} <= earlier


def test_a_missed_warm_up_is_remembered_and_has_no_pass(client: FlaskClient) -> None:
    form = form_for(client.get("/methods/post", headers=BROWSER).text, "/methods/post/warm-up")

    result = client.post(form.action, data=form.wrong(), headers=JSON).get_json()

    assert result["warm_up"] is True and result["passed"] is False
    page = client.get("/methods/post/warm-up", headers=BROWSER).text
    assert "Warm-ups have no pass" in page
    lesson = client.get("/methods/options", headers=BROWSER).text
    assert "0 self-checks passed" in " ".join(lesson.split())


# --- Privacy: the shared page holds nobody's questions -----------------------------------------


def test_the_shared_page_keeps_one_order_and_never_a_visitors_own(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    form = form_for(client.get("/methods/options", headers=BROWSER).text, check_url("options"))
    client.post(form.action, data=form.wrong(), headers=BROWSER)  # now keeps progress
    mine = client.get("/methods/options", headers=BROWSER)
    own = form_for(mine.text, check_url("options"))
    assert mine.cache_control.private and not own.token.startswith("s|")

    theirs = other_client.get("/methods/options", headers=BROWSER)
    shared = form_for(theirs.text, check_url("options"))
    assert shared.token == form.token and shared.token.startswith("s|")
    assert [a.options for a in shared.asked] == [a.options for a in form.asked]
    assert "Set-Cookie" not in theirs.headers
    pages = client.application.extensions.get("pages", {})
    assert all(own.token.encode() not in page.html for page in pages.values())


def test_a_forged_draw_is_refused_with_400(client: FlaskClient) -> None:
    form = form_for(client.get("/methods/get", headers=BROWSER).text, check_url("get"))
    for token in (
        "3|get-safe:0,get-data:0,get-idempotent:0,get-conditional:0",
        "s|get-safe:9",
        "x",
    ):
        answer = client.post(form.action, data=form.right() | {"draw": token}, headers=JSON)
        assert answer.status_code == 400, token
        assert "do not match the questions" in answer.get_json()["detail"]


def test_the_whole_path_fits_in_the_cookie(client: FlaskClient) -> None:
    """Every self-check and warm-up graded twice: the session stays well under 4 KB."""
    for check in [*SELF_CHECKS, *WARM_UPS]:
        url = f"/methods/{check.page}/warm-up" if check.warm_up else check_url(check.key)
        for answer in (Form.wrong, Form.right):
            form = form_for(client.get(url, headers=BROWSER).text, url)
            client.post(url, data=answer(form), headers=BROWSER)
    cookie = client.get_cookie("sandbox")  # the session cookie's name
    assert cookie is not None
    assert len(cookie.value) < 3000, len(cookie.value)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda fields, names: {names[0]: fields[names[0]], "draw": fields["draw"]},
            "2, 3, 4 had no answer",
        ),
        (lambda fields, names: fields | {names[2]: "maybe"}, "has no option 'maybe'"),
        (lambda fields, names: fields | {"x": "1"}, "no question called"),
    ],
)
def test_bad_answers_get_a_clear_400_never_a_500(
    client: FlaskClient, change: Callable[[dict[str, str], list[str]], dict[str, str]], message: str
) -> None:
    form = form_for(client.get("/methods/get", headers=BROWSER).text, check_url("get"))
    fields = change(form.right(), [item.concept for item in form.asked])

    page = client.post(form.action, data=fields, headers=BROWSER)
    problem = client.post(form.action, data=fields, headers=JSON)

    assert page.status_code == problem.status_code == 400
    assert escape(message) in page.text
    assert message in problem.get_json()["detail"]
    assert "Your answers" not in client.get(check_url("get"), headers=BROWSER).text  # none kept


def test_an_answer_sent_twice_is_refused(client: FlaskClient) -> None:
    form = form_for(client.get("/methods/get", headers=BROWSER).text, check_url("get"))
    first = form.asked[0]
    body = "&".join(f"{k}={v}" for k, v in form.right().items() if k != "draw")
    body += f"&{first.concept}={first.options[0]}&draw={form.token}"

    answer = client.post(
        form.action, data=body, content_type="application/x-www-form-urlencoded", headers=JSON
    )

    assert answer.status_code == 400
    assert "answered more than once" in answer.get_json()["detail"]


def test_a_huge_submission_is_refused_with_413_before_it_is_read(client: FlaskClient) -> None:
    body = "get-safe=" + "x" * MAX_ANSWERS_BYTES

    answer = client.post(
        "/methods/get/self-check",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=BROWSER,
    )

    assert answer.status_code == 413
    assert f"{MAX_ANSWERS_BYTES:,} bytes" in answer.text


def test_no_self_check_or_warm_up_where_there_is_no_lesson(client: FlaskClient) -> None:
    assert client.post("/methods/trace/self-check", data={}).status_code == 404
    assert client.get("/methods/trace/self-check").status_code == 404
    assert client.get("/methods/get/warm-up").status_code == 404  # the first lesson has none


def test_an_option_may_not_state_two_facts() -> None:
    question = Question(
        "q",
        "?",
        (Option("a", "A", "why a", states="Yes"), Option("b", "B", "why b", states="Yes")),
        fact=Fact(METHODS[0], "safe"),
    )
    with pytest.raises(ValueError, match="2 options state Yes"):
        question.right  # noqa: B018


def test_each_page_carries_its_self_check_form(client: FlaskClient) -> None:
    for key in PAGES:
        form = form_for(client.get(page_url(key), headers=BROWSER).text, check_url(key))
        check = SELF_CHECKS_BY_KEY[key]
        assert [item.concept for item in form.asked] == [c.key for c in check.concepts]
        assert all(isinstance(item, Asked) for item in form.asked)


def test_a_random_visitor_passes_by_knowing_the_answers(client: FlaskClient) -> None:
    """The flip side of the guessing bot: right answers pass, in whatever order they come."""
    rng = random.Random(4)
    for key in rng.sample(PAGES, 3):
        form = form_for(client.get(check_url(key), headers=BROWSER).text, check_url(key))
        assert client.post(form.action, data=form.right(), headers=JSON).get_json()["passed"]


def test_a_summary_can_draw_ten_questions_across_concepts_and_grid_them() -> None:
    summary = self_checks.challenge("summary", "Everything so far", "summary")
    records = {"put-statuses": MISSED, "get-safe": self_checks.MASTERED | 1}

    drawn = draw(summary, 11, 0, records)
    grid = dict((concept.key, state) for concept, state in self_checks.mastery(records))

    assert len(drawn) == 10 == len({item.concept.key for item in drawn})
    assert not self_checks.answered_by_one_position(drawn)
    assert grid["put-statuses"] == "missed" and grid["get-safe"] == "mastered"
    assert grid["head-use"] == "new" and len(grid) == len(CONCEPTS)
