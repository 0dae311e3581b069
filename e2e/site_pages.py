"""Every page of the site worth a screenshot, and the viewports to take them at."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from methodslab.methods import METHODS


@dataclass(frozen=True)
class SitePage:
    """A page as a visitor reaches it: by address, then maybe by pressing a button."""

    slug: str
    title: str
    path: str
    status: int = 200
    # Pressed after loading (its accessible name); then ``shows`` must be visible.
    press: str = ""
    shows: str = ""

    @property
    def lesson(self) -> bool:
        """Whether it is a method's lesson, which ends with the lesson bar."""
        return self.status == 200 and re.fullmatch(r"/methods/[a-z]+", self.path) is not None

    @property
    def ends_with_a_quiz(self) -> bool:
        """Whether its lesson bar comes after a quiz: a self-check's own page, or the summary."""
        return self.path == "/summary" or self.path.endswith("/self-check")


SITE_PAGES = (
    SitePage("home", "Home", "/"),
    SitePage("anatomy", "Lesson 0: anatomy of an exchange", "/anatomy"),
    SitePage("glossary", "Glossary", "/glossary"),
    SitePage("login-post", "Login by POST", "/login/post"),
    SitePage("login-get", "Login by GET", "/login/get"),
    SitePage("login-refused", "Login refusing a blank name", "/login?nm=+++", 400),
    SitePage("welcome-post", "Welcome after POST", "/success/Ada%20Lovelace?via=post"),
    SitePage("welcome-get", "Welcome after GET", "/success/AC%2FDC?via=get"),
    SitePage("welcome-direct", "Welcome opened directly", "/success/%D8%B3%D9%84%D8%A7%D9%85"),
    *(
        SitePage(f"lesson-{method.slug}", f"{method.name} lesson", f"/methods/{method.slug}")
        for method in METHODS
    ),
    SitePage(
        "lesson-put-sent",
        "PUT lesson after Send",
        "/methods/put",
        press="Send PUT",
        shows="PUT: the note groceries is now exactly what you sent",
    ),
    SitePage(
        "lesson-head-sent",
        "HEAD lesson after Send",
        "/methods/head",
        press="Send HEAD",
        shows="This page fetched with GET and with HEAD",
    ),
    SitePage(
        "lesson-put-walkthrough",
        "PUT lesson after the walkthrough",
        "/methods/put",
        press="Send PUT twice",
        shows="Second PUT /api/notes/shopping",
    ),
    SitePage(
        "lesson-get-conditional",
        "GET lesson after the conditional GET",
        "/methods/get",
        press="Fetch this page twice",
        shows="nothing to send again",
    ),
    SitePage("lesson-unknown", "Unknown lesson", "/methods/trace", 404),
    SitePage("get-vs-post", "GET vs POST in forms", "/get-vs-post"),
    SitePage(
        "method-not-allowed",
        "405 after a POST to the home page",
        "/get-vs-post",
        press="Send POST to the home page",
        shows="This URL allows",
    ),
    SitePage("self-check", "HEAD self-check on its own page", "/methods/head/self-check"),
    SitePage("summary", "Summary challenge", "/summary"),
    SitePage("reset-progress", "Reset your progress? (asked first)", "/progress/reset?lesson=put"),
    SitePage("verify-refused", "Verify refusing a changed code", "/verify?code=changed.code", 400),
    SitePage("teachers", "For teachers", "/teachers"),
    SitePage("teachers-quiz", "Printable quiz, version B", "/teachers/quiz/b"),
    # A class of its own each time: started from the teachers' page.
    SitePage(
        "class-dashboard",
        "A class's dashboard, just started",
        "/teachers",
        press="Start a class",
        shows="Class started",
    ),
    SitePage("echo", "Echo endpoint in a browser", "/echo/notes/1?colour=blue&size=2"),
    SitePage("builder", "Request builder", "/builder"),
    SitePage(
        "your-turn",
        "Your turn, after a PUT",
        "/methods/put/your-turn",
        press="Send it",
        shows="What happened",
    ),
    SitePage("challenges", "Challenges, none met yet", "/challenges"),
    SitePage("not-found", "404 Not Found", "/no/such/page", 404),
)


def by_load(pages: Iterable[SitePage]) -> tuple[tuple[SitePage, ...], ...]:
    """Group pages by load: a page as its address opens it, then the states pressed on it.

    A state follows the page without a press at its address and with its status, in the
    order of ``pages``; one with no such page is a load of its own.
    """
    loads: list[list[SitePage]] = []
    opened: dict[tuple[str, int], list[SitePage]] = {}  # the loads of pages without a press
    for page in pages:
        address = (page.path, page.status)
        if page.press and address in opened:
            opened[address].append(page)
        else:
            loads.append([page])
            if not page.press:
                opened.setdefault(address, loads[-1])
    return tuple(tuple(load) for load in loads)


#: The audit's loads (e2e/test_every_page.py): a navigation saved for each state pressed on
#: a page already audited, which costs the browser more than the press itself.
LOADS = by_load(SITE_PAGES)

SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")

# The (page, viewport, scheme) shots compared pixel by pixel with e2e/baselines/:
# pages whose content never changes between runs (no host, port, time or id in them).
VISUAL_BASELINES = {
    ("home", "desktop", "light"),
    ("login-post", "phone", "dark"),
    ("welcome-post", "desktop", "dark"),
    ("get-vs-post", "phone", "light"),
    ("glossary", "phone", "dark"),
    ("verify-refused", "desktop", "light"),
}

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
