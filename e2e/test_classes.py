"""Class mode in browsers: a teacher and three students (one on a phone, one without JavaScript).

One test, several contexts: the rules, the limits and the attacks are the fast tests'
(tests/test_classes.py); here the dashboard updates by itself while students join and
answer, the export downloads, and closing ends the class for everyone.
"""

import csv
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.site_pages import VIEWPORTS
from e2e.test_self_check import answer

#: The dashboard polls every 3 seconds: a change shows within two polls.
UPDATE_MS = 8000


def join(page: Page, code: str, nickname: str) -> None:
    """Join the class from its short URL, as a student copying it from the board."""
    page.goto(f"/join/{code.replace('-', '')}")
    page.get_by_label("Nickname (optional)").fill(nickname)
    page.get_by_role("button", name="Join").click()
    expect(
        page.get_by_role("heading", name=f"You are in class {code}, as {nickname}")
    ).to_be_visible()


def test_a_class_seen_live_by_its_teacher(visitor_page, screenshots: Path) -> None:
    # Reused first-time visitors' pages, one per kind (e2e/visitors.py): four at once.
    teacher = visitor_page(accept_downloads=True)
    teacher.goto("/teachers")
    teacher.get_by_role("button", name="Start a class").click()
    expect(teacher.get_by_text("Class started.")).to_be_visible()
    code = teacher.locator(".class-code").inner_text()
    dashboard = teacher.url.partition("?")[0]

    laptop = visitor_page()
    phone = visitor_page(**VIEWPORTS["phone"])
    plain = visitor_page(java_script_enabled=False)
    join(laptop, code, "Ada")
    join(phone, code, "<b>Bo</b>")
    join(plain, code, "=1+1")
    students = teacher.get_by_role("region", name="Students")
    expect(teacher.get_by_text("3 students in the class.")).to_be_visible(timeout=UPDATE_MS)
    expect(students.get_by_role("rowheader", name="<b>Bo</b>")).to_be_visible()

    # With JavaScript, graded in place (one wrong answer each); without, Post/Redirect/Get.
    for page, wrong in ((laptop, 0), (phone, 0), (plain, None)):
        page.goto("/methods/get/self-check")
        answer(page.locator('form[action$="/self-check"]'), wrong=wrong)
        page.get_by_role("button", name="Check my answers").click()
        right = "3 of 4 right." if wrong == 0 else "4 of 4 right. Self-check passed."
        expect(page.get_by_text(f"You got {right}")).to_be_visible()

    # A prediction, judged after the send, is counted for the class too.
    laptop.goto("/methods/put")
    try_it = laptop.get_by_role("region", name="Try it")
    try_it.get_by_label("405 Method Not Allowed: notes are made with POST").check()
    try_it.get_by_role("button", name="Send PUT", exact=True).click()
    expect(try_it.locator("[data-verdict]")).to_contain_text("not this time")

    lessons = teacher.get_by_role("region", name="Lessons")
    expect(lessons.get_by_role("row", name="1. GET 3 1")).to_be_visible(timeout=UPDATE_MS)
    expect(teacher.locator(".class-question").first).to_be_visible()
    expect(teacher.get_by_text("1 student predicted.")).to_be_visible(timeout=UPDATE_MS)
    teacher.screenshot(
        path=screenshots / "class-dashboard-live--desktop--light.jpeg", full_page=True
    )

    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Export the class as CSV").click()
    rows = list(csv.reader(download.value.path().open(encoding="utf-8")))
    answers = [row for row in rows if row[1] == "answer"]
    assert [row[:2] for row in rows if row[1] == "prediction"] == [["Ada", "prediction"]]
    assert len(answers) == 12 and sorted(row[4] for row in answers).count("no") == 2
    assert {row[0] for row in rows[1:]} == {"Ada", "<b>Bo</b>", "'=1+1"}

    teacher.get_by_role("button", name="Close the class").click()
    expect(teacher.get_by_role("heading", name="Class closed")).to_be_visible()
    closed = teacher.goto(dashboard)
    assert closed is not None and closed.status == 404
    plain.goto("/join")
    expect(plain.get_by_label("Class code")).to_be_visible()  # no longer in a class
    plain.get_by_label("Class code").fill(code)
    plain.get_by_role("button", name="Join").click()
    expect(plain.get_by_role("alert")).to_contain_text("This class has ended")
