"""A student starts the path, answers a self-check, moves on and starts over; a teacher prints.

The grading, Post/Redirect/Get and bad input are the fast tests' (tests/test_self_checks.py);
here: the feedback in place with JavaScript, the result page without it, the path's marks,
and the teachers' page as printed. Each new state goes into the screenshot gallery.
"""

from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.test_every_page import AXE, accessibility_problem
from methodslab.self_checks import SELF_CHECKS_BY_KEY, SelfCheck

GET_CHECK = SELF_CHECKS_BY_KEY["get"]


def answer(page: Page, check: SelfCheck, wrong: int | None = None) -> None:
    """Choose the right option of each question, or a wrong one for question ``wrong``."""
    # On a lesson the questions are folded under their heading, as its second layer.
    folded = page.locator("details.self-check-questions:not([open]) > summary")
    if folded.count():
        folded.click()
    for number, question in enumerate(check.questions):
        fieldset = page.get_by_role("group", name=f"{number + 1}. {question.prompt}")
        chosen = next(
            option
            for option in question.options
            if (option.key == question.right) != (number == wrong)
        )
        fieldset.get_by_label(chosen.text, exact=True).check()


def test_a_student_starts_the_path_and_gets_feedback_in_place(
    page: Page, screenshots: Path
) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start: lesson 1, GET").click()

    path = page.get_by_role("navigation", name="Your path through the lessons")
    expect(path.get_by_role("link", name="1 GET (visited)")).to_have_attribute(
        "aria-current", "page"
    )
    answer(page, GET_CHECK, wrong=1)
    page.get_by_role("button", name="Check my answers").click()

    score = page.get_by_text("You got 2 of 3 right.")
    expect(score).to_be_visible()
    assert page.url.endswith("/methods/get")  # in place: the page did not change
    expect(page.get_by_text("Not quite: see why below each option.")).to_have_count(1)
    expect(page.get_by_text("Your answer, not the right one.")).to_be_visible()
    section = page.locator("section.self-check")
    page.evaluate(AXE.axe_script)
    assert accessibility_problem(page, screenshots / "self-check-in-place--axe.json") == ""
    section.screenshot(path=screenshots / "self-check-in-place--desktop--light.png")

    answer(page, GET_CHECK)
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("You got 3 of 3 right. Self-check passed.")).to_be_visible()
    expect(path.get_by_role("link", name="1 GET (visited, self-check passed)")).to_be_visible()

    path.get_by_role("link", name="Next: HEAD").click()
    expect(path.get_by_role("link", name="1 GET (visited, self-check passed)")).to_be_visible()
    expect(path.get_by_role("link", name="2 HEAD (visited)")).to_have_attribute(
        "aria-current", "page"
    )
    page.screenshot(path=screenshots / "path-after-one-lesson--desktop--light.png")
    page.get_by_role("button", name="Reset my progress").click()
    expect(page.get_by_role("button", name="Keep track of my progress")).to_be_visible()
    expect(path.get_by_role("link", name="1 GET", exact=True)).to_be_visible()


def test_without_javascript_the_answers_come_back_on_a_page_of_their_own(
    new_context, screenshots: Path
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/get-vs-post")
    check = SELF_CHECKS_BY_KEY["get-vs-post"]

    answer(page, check, wrong=4)
    page.get_by_role("button", name="Check my answers").click()

    expect(page).to_have_url(f"{page.url.split('/get-vs-post')[0]}/get-vs-post/self-check")
    expect(page.get_by_text("You got 4 of 5 right.")).to_be_visible()
    page.reload()  # Post/Redirect/Get: the reload is a GET, and the answers are still there
    expect(page.get_by_text("You got 4 of 5 right.")).to_be_visible()
    page.screenshot(path=screenshots / "self-check-result--desktop--light.png", full_page=True)


def test_the_teachers_page_prints_without_the_sites_frame(page: Page, screenshots: Path) -> None:
    page.goto("/teachers")

    page.emulate_media(media="print")

    expect(page.get_by_role("navigation", name="Site")).to_be_hidden()
    expect(page.get_by_role("heading", name="Answers", exact=True)).to_be_visible()
    breaks = page.locator(".quiz-answers").evaluate(
        "element => getComputedStyle(element).breakBefore"
    )
    assert breaks == "page"
    page.screenshot(path=screenshots / "teachers-printed--desktop--light.png", full_page=True)
