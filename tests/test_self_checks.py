"""Self-checks: every right answer agrees with the facts and the site; grading, PRG, bad input."""

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from methodslab.methods import METHODS, Answer
from methodslab.pages.self_check import MAX_ANSWERS_BYTES
from methodslab.self_checks import (
    CORS_SAFELISTED_METHODS,
    FORM_METHOD_FALLBACK,
    FORM_METHOD_KEYWORDS,
    FORM_SCENARIOS,
    SELF_CHECKS,
    SELF_CHECKS_BY_KEY,
    Fact,
    Option,
    Question,
    SelfCheck,
)
from tests.html_text import texts_of

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
ALL_QUESTIONS = [
    pytest.param(check, question, id=f"{check.key}/{question.key}")
    for check in SELF_CHECKS
    for question in check.questions
]


def right_answers(check: SelfCheck) -> dict[str, str]:
    """Return the form fields that answer every question of ``check`` rightly."""
    return {question.key: question.right for question in check.questions}


def a_wrong_option(question: Question) -> str:
    """Return the key of an option that is not the right one."""
    return next(option.key for option in question.options if option.key != question.right)


# --- The right answers agree with the facts and with the site itself -------------------------


def test_every_page_has_three_to_five_questions() -> None:
    assert [check.key for check in SELF_CHECKS] == [
        *(method.slug for method in METHODS),
        "get-vs-post",
    ]
    for check in SELF_CHECKS:
        assert 3 <= len(check.questions) <= 5 or check.key == "get-vs-post", check.key
    assert len(SELF_CHECKS_BY_KEY["get-vs-post"].questions) == 5


@pytest.mark.parametrize(("check", "question"), ALL_QUESTIONS)
def test_every_question_has_one_right_option_and_explains_each(
    check: SelfCheck, question: Question
) -> None:
    keys = [option.key for option in question.options]

    assert len(keys) == len(set(keys)) >= 2
    assert question.right in keys
    assert all(len(option.why) > 20 for option in question.options)


FACT_QUESTIONS = [
    pytest.param(check, question, id=f"{check.key}/{question.key}")
    for check in SELF_CHECKS
    for question in check.questions
    if question.fact is not None
]


@pytest.mark.parametrize(("check", "question"), FACT_QUESTIONS)
def test_a_fact_question_is_right_by_the_method_facts(check: SelfCheck, question: Question) -> None:
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
    question = SELF_CHECKS_BY_KEY["delete"].question("second")
    assert question is not None and question.fact is not None

    assert question.right == "404-yes"
    assert delete.idempotent.word == "Yes"
    changed = replace(question, fact=Fact(replace(delete, idempotent=Answer("No")), "idempotent"))
    assert changed.right == "404-no"


def apply_json_patch_add(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Apply one RFC 6902 "add" whose path ends in "-" (§4.1: append to the array)."""
    *parents, last = path.lstrip("/").split("/")
    assert last == "-" and len(parents) == 1
    return {**document, parents[0]: [*document[parents[0]], value]}


def observe_not_modified(client: FlaskClient) -> str:
    etag = client.get("/methods/get").headers["ETag"]
    return str(client.get("/methods/get", headers={"If-None-Match": etag}).status_code)


def observe_head_length(client: FlaskClient) -> str:
    get = client.get("/methods/head", headers={"Accept-Encoding": "identity"})
    head = client.head("/methods/head", headers={"Accept-Encoding": "identity"})
    assert head.data == b""
    return "get" if head.headers["Content-Length"] == str(len(get.data)) else "zero"


def observe_head_validators(client: FlaskClient) -> str:
    head = client.head("/methods/head")
    return "head" if head.data == b"" and "ETag" in head.headers else "get"


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


def observe_if_match(client: FlaskClient) -> str:
    client.put("/api/notes/shared", json={"text": "First"})
    etag = client.get("/api/notes/shared").headers["ETag"]
    client.put("/api/notes/shared", json={"text": "Second"})
    answer = client.patch(
        "/api/notes/shared",
        content_type="application/merge-patch+json",
        data='{"text": "Third"}',
        headers={"If-Match": etag},
    )
    assert client.get("/api/notes/shared").get_json()["text"] == "Second"
    return str(answer.status_code)


def observe_json_patch(client: FlaskClient) -> str:
    once = apply_json_patch_add({"tags": []}, "/tags/-", "urgent")
    twice = apply_json_patch_add(once, "/tags/-", "urgent")
    return "yes" if once == twice else "no"


def observe_post_to_options_lesson(client: FlaskClient) -> str:
    allowed = client.options("/methods/options").headers["Allow"]
    answer = client.post("/methods/options")
    assert answer.headers["Allow"] == allowed
    return str(answer.status_code)


def observe_unknown_method(client: FlaskClient) -> str:
    return str(client.open("/", method="FOO").status_code)


def observe_preflight(client: FlaskClient) -> str:
    return "put" if "PUT" in CORS_SAFELISTED_METHODS else "options"


def observe_form_method(client: FlaskClient) -> str:
    return "put" if "put" in FORM_METHOD_KEYWORDS else FORM_METHOD_FALLBACK


# The questions whose right answer is not a method fact: how the site (or the rule the
# question states) shows the answer, as the key of the option that must be right.
OBSERVED: dict[tuple[str, str], Callable[[FlaskClient], str]] = {
    ("get", "not-modified"): observe_not_modified,
    ("head", "length"): observe_head_length,
    ("head", "video"): observe_head_validators,
    ("post", "redirect"): observe_login_redirect,
    ("post", "twice"): observe_post_twice,
    ("put", "statuses"): observe_put_twice,
    ("put", "form"): observe_form_method,
    ("delete", "second"): observe_delete_twice,
    ("patch", "json-patch"): observe_json_patch,
    ("patch", "merge-twice"): observe_merge_patch_twice,
    ("patch", "if-match"): observe_if_match,
    ("options", "post"): observe_post_to_options_lesson,
    ("options", "preflight"): observe_preflight,
    ("options", "unknown"): observe_unknown_method,
}


@pytest.mark.parametrize(("check", "question"), ALL_QUESTIONS)
def test_every_right_answer_is_checked_against_facts_or_the_site(
    client: FlaskClient, check: SelfCheck, question: Question
) -> None:
    observe = OBSERVED.get((check.key, question.key))
    if check.key == "get-vs-post":
        scenario = next(s for s in FORM_SCENARIOS if s.key == question.key)
        # GET only for a form that changes nothing and carries nothing sensitive.
        assert question.right == (
            "get" if not (scenario.changes_state or scenario.sensitive) else "post"
        )
    elif observe is not None:
        assert observe(client) == question.right
    else:
        assert question.fact is not None, "neither a fact nor an observation backs this answer"


# --- Issue 21: the explanations say what the RFCs say -----------------------------------------


def test_a_reusable_post_response_names_the_posts_own_url() -> None:
    # RFC 9110 §9.3.3: cacheable only with explicit freshness and a Content-Location equal
    # to the POST's target URI; then it answers a later GET or HEAD of it, never a POST.
    question = SELF_CHECKS_BY_KEY["post"].question("cached-post")
    assert question is not None
    target = re.search(r"response to POST (/\S+?),", question.prompt)
    location = re.search(r"Content-Location: (/\S+?)[,.]? ", question.prompt)
    assert target and location and target[1] == location[1]
    right = question.option(question.right)
    assert right is not None
    assert right.text == f"No: it may answer only a later GET or HEAD of {target[1]}"


@pytest.mark.parametrize(
    ("check", "key", "says", "never_says"),
    [
        # RFC 9110 §9.2.1: safe is what the client asks, not a promise about the server.
        ("head", "checker", "Does it ask your site to change anything?", "Can that change"),
        # §9.2.2: SHOULD NOT retry automatically, unless it knows the first was not applied.
        (
            "post",
            "resend",
            "unless it can tell that the first never reached the server",
            "must not repeat",
        ),
        ("options", "scan", "asks for no change", "changes nothing"),
    ],
)
def test_questions_keep_the_rfcs_words(check: str, key: str, says: str, never_says: str) -> None:
    question = SELF_CHECKS_BY_KEY[check].question(key)
    assert question is not None
    text = " ".join([question.prompt, *(f"{o.text} {o.why}" for o in question.options)])

    assert says in text
    assert never_says not in text


# --- Grading: Post/Redirect/Get without JavaScript, JSON with it ------------------------------


def test_answers_are_graded_then_redirected_with_303_to_a_page_that_survives_a_reload(
    client: FlaskClient,
) -> None:
    check = SELF_CHECKS_BY_KEY["delete"]
    answers = right_answers(check) | {"link": "fine"}

    sent = client.post("/methods/delete/self-check", data=answers, headers=BROWSER)

    assert sent.status_code == 303
    assert sent.location == "/methods/delete/self-check"
    for _ in "12":  # the page, then a reload: the same graded answers, nothing sent again
        page = client.get(sent.location, headers=BROWSER)
        assert page.status_code == 200
        assert "You got 2 of 3 right." in page.text
        assert page.text.count("The right answer.") == 3
        assert page.text.count("Your answer, not the right one.") == 1
        assert "Not quite" in page.text
        assert page.cache_control.private and page.cache_control.no_cache
    # Every option of every question is explained, with the choices still checked.
    assert all(escape(option.why) in page.text for q in check.questions for option in q.options)
    assert page.text.count(" checked>") == len(check.questions)


def test_all_right_passes_and_the_guide_has_its_own(client: FlaskClient) -> None:
    check = SELF_CHECKS_BY_KEY["get-vs-post"]

    sent = client.post("/get-vs-post/self-check", data=right_answers(check), headers=BROWSER)
    page = client.get(sent.location, headers=BROWSER)

    assert sent.location == "/get-vs-post/self-check"
    assert "You got 5 of 5 right. Self-check passed." in page.text


def test_with_javascript_the_same_post_answers_json_to_show_in_place(client: FlaskClient) -> None:
    check = SELF_CHECKS_BY_KEY["patch"]
    answers = right_answers(check) | {"json-patch": "always"}

    answer = client.post("/methods/patch/self-check", data=answers, headers=JSON)

    assert answer.status_code == 200
    result = answer.get_json()
    assert (result["right"], result["total"], result["passed"]) == (2, 3, False)
    first = result["questions"][0]
    assert first == {
        "question": "json-patch",
        "chosen": "always",
        "right": "no",
        "correct": False,
        "why": {option.key: option.why for option in check.questions[0].options},
    }


def test_a_blank_self_check_page_is_the_form(client: FlaskClient) -> None:
    page = client.get("/methods/get/self-check", headers=BROWSER)

    assert page.status_code == 200
    assert "The right answer." not in page.text
    assert len(texts_of(page.text, "legend")) == len(SELF_CHECKS_BY_KEY["get"].questions)


def test_each_lesson_and_the_guide_carry_their_self_check_form(client: FlaskClient) -> None:
    for check in SELF_CHECKS:
        page = "/get-vs-post" if check.key == "get-vs-post" else f"/methods/{check.key}"
        html = client.get(page, headers=BROWSER).text
        action = f'action="{page}/self-check"'
        assert action in html, page
        assert texts_of(html, "legend")[-len(check.questions) :] == [
            f"{number}. {question.prompt}" for number, question in enumerate(check.questions, 1)
        ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"crawler": "shop"}, "2, 3 had no answer"),
        ({"crawler": "shop", "not-modified": "304", "retry": "maybe"}, "has no option 'maybe'"),
        (
            {"crawler": "shop", "not-modified": "304", "retry": "yes", "x": "1"},
            "no question called",
        ),
        ({"crawler": ["shop", "crawler"], "not-modified": "304", "retry": "yes"}, "more than once"),
    ],
)
def test_bad_answers_get_a_clear_400_never_a_500(
    client: FlaskClient, fields: dict[str, Any], message: str
) -> None:
    page = client.post("/methods/get/self-check", data=fields, headers=BROWSER)
    problem = client.post("/methods/get/self-check", data=fields, headers=JSON)

    assert page.status_code == problem.status_code == 400
    assert escape(message) in page.text
    assert message in problem.get_json()["detail"]
    assert "The right answer." not in client.get("/methods/get/self-check").text  # none kept


def test_a_huge_submission_is_refused_with_413_before_it_is_read(client: FlaskClient) -> None:
    body = "crawler=" + "x" * MAX_ANSWERS_BYTES

    answer = client.post(
        "/methods/get/self-check",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=BROWSER,
    )

    assert answer.status_code == 413
    assert f"{MAX_ANSWERS_BYTES:,} bytes" in answer.text


def test_no_self_check_for_a_lesson_that_does_not_exist(client: FlaskClient) -> None:
    assert client.post("/methods/trace/self-check", data={}).status_code == 404
    assert client.get("/methods/trace/self-check").status_code == 404


def test_an_option_may_not_state_two_facts() -> None:
    question = Question(
        "q",
        "?",
        (Option("a", "A", "why a", states="Yes"), Option("b", "B", "why b", states="Yes")),
        fact=Fact(METHODS[0], "safe"),
    )
    with pytest.raises(ValueError, match="2 options state Yes"):
        question.right  # noqa: B018
