"""A student walks the path on a phone without JavaScript, takes the summary challenge, prints
the result, and a teacher checks it.

The grading, the draw and refused codes are the fast tests' (tests/test_summary.py);
here: the form, Post/Redirect/Get and the print in a real browser, and the code
read off the page and verified on /verify.
"""

import re
from pathlib import Path

from playwright.sync_api import expect

from e2e.page_objects import fits_its_width
from e2e.site_pages import VIEWPORTS
from e2e.test_self_check import walk_the_lessons
from methodslab.pages.summary import CHALLENGE, CHALLENGE_SIZE
from methodslab.self_checks import read_token


def test_a_student_walks_the_path_to_the_challenge_and_a_teacher_verifies_the_result(
    visitor_page, screenshots: Path
) -> None:
    """On a phone without JavaScript: from home through lesson 0 and the seven lessons, each
    self-check answered on its result page (303), to the summary and its challenge."""
    page = visitor_page(java_script_enabled=False, **VIEWPORTS["phone"])
    page.goto("/")
    page.get_by_role("button", name="Start: lesson 0, Anatomy of an exchange").click()
    path = page.get_by_role("navigation", name="Your path through the lessons")
    path.get_by_role("link", name="Next: GET →").click()
    walk_the_lessons(page, 0, screenshots / "self-check-passed--phone--light.jpeg")
    assert fits_its_width(page)

    read = read_token(CHALLENGE, page.locator('input[name="draw"]').input_value())
    assert read is not None

    for number, (concept, variant) in enumerate(read[1], start=1):
        question = concept.variants[variant]
        chosen = next(
            option for option in question.options if (option.key == question.right) != (number == 1)
        )
        group = page.get_by_role("group", name=f"{number}. {question.prompt}")
        group.get_by_label(chosen.text, exact=True).check()
    page.get_by_label("Your name, to print on the result (optional)").fill("Ada Lovelace")
    page.get_by_role("button", name="Check my answers").click()

    heading = page.get_by_role("heading", name=f"Your result: {CHALLENGE_SIZE - 1} of 10 right")
    expect(heading).to_be_visible()
    page.reload()  # Post/Redirect/Get: the reload is a GET, and the result is still there
    expect(heading).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Read the part of "))).to_have_count(1)
    page.screenshot(
        path=screenshots / "summary-result--phone--light.jpeg", full_page=True, scale="css"
    )

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Site")).to_be_hidden()
    expect(page.get_by_role("button", name="Take a new challenge")).to_be_hidden()
    code = page.locator(".result-code code").inner_text()
    expect(page.get_by_text(code)).to_be_visible()

    page.emulate_media(media="screen")  # the reused page is left as a reset expects it
    teacher = visitor_page(java_script_enabled=False)
    teacher.goto("/verify")
    teacher.get_by_label("Code from the printed result").fill(code)
    teacher.get_by_role("button", name="Verify").click()
    expect(teacher.get_by_role("heading", name="This code is genuine")).to_be_visible()
    expect(teacher.get_by_text("Ada Lovelace")).to_be_visible()
    teacher.screenshot(path=screenshots / "verify-genuine--desktop--light.jpeg", full_page=True)
