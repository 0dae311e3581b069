"""A student starts the path, answers a self-check, retries, moves on and starts over; a teacher
prints a quiz and its answer key apart.

The grading, the draws, Post/Redirect/Get and bad input are the fast tests'
(tests/test_self_checks.py); here: the feedback in place with JavaScript and its new
questions, the result page without it, the path's marks, and the printed quiz. Each new
state goes into the screenshot gallery.
"""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from e2e.accessibility import accessibility_problem
from methodslab.methods import METHODS
from methodslab.self_checks import CONCEPTS_BY_KEY, LESSON_CONCEPTS


def answer(form: Locator, wrong: int | None = None) -> None:
    """Choose the right option of each question the form shows, or a wrong one for ``wrong``."""
    token = form.locator("input[name=draw]").input_value()
    for number, part in enumerate(token.partition("|")[2].split(",")):
        concept, variant = part.split(":")
        question = CONCEPTS_BY_KEY[concept].variants[int(variant)]
        fieldset = form.get_by_role("group", name=f"{number + 1}. {question.prompt}")
        chosen = next(
            option
            for option in question.options
            if (option.key == question.right) != (number == wrong)
        )
        fieldset.get_by_label(chosen.text, exact=True).check()


def self_check(page: Page) -> Locator:
    """Return the lesson's self-check form, unfolded (it is the lesson's second layer)."""
    folded = page.locator("section.self-check:not(.warm-up) details:not([open]) > summary")
    if folded.count():
        folded.click()
    return page.locator('form[action$="/self-check"]')


def walk_the_lessons(page: Page, start: int, screenshot: Path) -> None:
    """Pass each lesson's self-check from METHODS[start] on, pressing the primary button after.

    With JavaScript the feedback comes in place; without, on the result page (303). Either
    way each answer is marked right by a mark beside the word, and the primary button goes
    to the next lesson, after the last to the summary. The PATCH lesson's pass is shot.
    """
    path = page.get_by_role("navigation", name="Your path through the lessons")
    for index in range(start, len(METHODS)):
        form = self_check(page)
        answer(form)
        size = form.locator("fieldset").count()
        form.get_by_role("button", name="Check my answers").click()
        expect(
            page.get_by_text(f"You got {size} of {size} right. Self-check passed.")
        ).to_be_visible()
        # In place (JavaScript) in the form, else on the result page: a mark by each word.
        graded = page.locator(".graded") if page.url.endswith("/self-check") else form
        expect(graded.locator(".verdict .verdict-mark")).to_have_text(["✓"] * size)
        following = METHODS[index + 1].name if index + 1 < len(METHODS) else None
        label = f"Next lesson: {following}" if following else "Go to the summary"
        onward = page.get_by_role("link", name=f"{label} →", exact=True)
        expect(onward).to_have_class("button")  # the primary button, not a quiet link
        if METHODS[index].slug == "patch":  # the answers and the button, not the whole page
            graded.locator("xpath=ancestor::section[1]").screenshot(path=screenshot, scale="css")
        onward.click()
        if following:
            expect(path.locator('[aria-current="page"]')).to_contain_text(following)
    expect(page.get_by_role("heading", name="Summary: what you know")).to_be_visible()
    # Every lesson's ideas mastered; the guide's, not asked on the path, still new.
    expect(page.locator(".mastery tr.mastered")).to_have_count(
        sum(len(LESSON_CONCEPTS[m.slug]) for m in METHODS)
    )


def test_a_student_gets_feedback_in_place_then_new_questions_and_passes(
    visitor_page, axe_core: str, screenshots: Path
) -> None:
    page = visitor_page()
    page.goto("/")
    page.get_by_role("button", name="Start: lesson 0, Anatomy of an exchange").click()
    path = page.get_by_role("navigation", name="Your path through the lessons")
    expect(path.get_by_role("link", name="0 Anatomy of an exchange (visited)")).to_have_attribute(
        "aria-current", "page"
    )
    path.get_by_role("link", name="Next: GET →").click()
    expect(path.get_by_role("link", name="1 GET (visited)")).to_have_attribute(
        "aria-current", "page"
    )

    answer(self_check(page), wrong=1)
    page.get_by_role("button", name="Check my answers").click()

    expect(page.get_by_text("You got 3 of 4 right.")).to_be_visible()
    assert page.url.endswith("/methods/get")  # in place: the page did not change
    section = page.locator("section.self-check").last
    expect(section.get_by_text("Not this one.")).to_have_count(1)
    expect(section.locator(".option.right")).to_have_count(3)  # the ones chosen, and right
    hint = section.get_by_role("link", name="Read the part of the GET lesson that answers it")
    expect(hint).to_have_attribute("href", re.compile(r"^/methods/get#[a-z-]+$"))
    page.evaluate(axe_core)
    assert accessibility_problem(page, screenshots / "self-check-in-place--axe.json") == ""
    section.screenshot(path=screenshots / "self-check-in-place--desktop--light.jpeg")

    new_questions = section.get_by_role("button", name="New questions")
    new_questions.click()
    expect(new_questions).to_have_count(0)  # gone with the old form: the new one is in
    answer(self_check(page))
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("You got 4 of 4 right. Self-check passed.")).to_be_visible()
    expect(path.get_by_role("link", name="1 GET (visited, self-check passed)")).to_be_visible()

    path.get_by_role("link", name="Next: HEAD").click()
    expect(path.get_by_role("link", name="2 HEAD (visited)")).to_have_attribute(
        "aria-current", "page"
    )
    warm_up = page.get_by_role("region", name="Warm up: 2 questions from earlier lessons")
    warm_up.get_by_role("heading", name="Warm up: 2 questions from earlier lessons").click()
    answer(warm_up.locator("form"))
    warm_up.get_by_role("button", name="Check my answers").click()
    expect(warm_up.get_by_text("You got 2 of 2 right. Warm-ups have no pass")).to_be_visible()
    page.screenshot(path=screenshots / "path-after-one-lesson--desktop--light.jpeg")

    # On through every lesson, in place, to the summary; then back to the last to start over.
    walk_the_lessons(page, 1, screenshots / "self-check-passed-in-place--desktop--light.jpeg")
    page.get_by_role("link", name="← Previous: OPTIONS").click()
    expect(path.get_by_role("link", name="7 OPTIONS (visited, self-check passed)")).to_be_visible()
    expect(path.locator("li.passed")).to_have_count(len(METHODS))
    page.get_by_role("link", name="Reset my progress").click()
    expect(page.get_by_role("heading", name="Reset your progress?")).to_be_visible()
    page.screenshot(path=screenshots / "reset-progress-asked--desktop--light.jpeg")
    page.get_by_role("button", name="Yes, reset my progress").click()
    expect(page.get_by_role("button", name="Keep track of my progress")).to_be_visible()
    expect(path.get_by_role("link", name="1 GET", exact=True)).to_be_visible()


def test_without_javascript_the_answers_come_back_on_a_page_of_their_own(
    visitor_page, screenshots: Path
) -> None:
    page = visitor_page(java_script_enabled=False)
    page.goto("/get-vs-post")

    answer(page.locator('form[action="/get-vs-post/self-check"]'), wrong=2)
    page.get_by_role("button", name="Check my answers").click()

    expect(page).to_have_url(f"{page.url.split('/get-vs-post')[0]}/get-vs-post/self-check")
    expect(page.get_by_text("You got 2 of 3 right.")).to_be_visible()
    page.reload()  # Post/Redirect/Get: the reload is a GET, and the answers are still there
    expect(page.get_by_text("You got 2 of 3 right.")).to_be_visible()
    expect(page.get_by_text("Not this one.")).to_have_count(1)
    page.screenshot(path=screenshots / "self-check-result--desktop--light.jpeg", full_page=True)

    answer(page.locator("form[data-self-check]"))  # the new questions below the answers
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("You got 3 of 3 right. Self-check passed.")).to_be_visible()


def test_the_quiz_and_its_answer_key_print_apart_without_the_sites_frame(
    visitor_page, screenshots: Path
) -> None:
    page = visitor_page()
    page.goto("/teachers")
    page.get_by_role("link", name="print the quiz").first.click()
    expect(page.get_by_role("heading", name="HTTP methods: quiz, version A")).to_be_visible()
    expect(page.locator(".quiz-questions > li")).to_have_count(9)

    page.emulate_media(media="print")
    try:
        expect(page.get_by_role("navigation", name="Site")).to_be_hidden()
        page.screenshot(
            path=screenshots / "teachers-quiz-printed--desktop--light.jpeg", full_page=True
        )

        page.goto("/teachers/quiz/b/answers")
        expect(
            page.get_by_role("heading", name="HTTP methods: answer key, version B")
        ).to_be_visible()
        expect(page.locator(".quiz-answers > li")).to_have_count(9)
    finally:
        page.emulate_media(media="screen")  # the reused page is left as a reset expects it
