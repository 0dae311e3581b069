"""A student's path through the lessons: which they visited, which self-checks they passed.

Progress lives in the visitor's signed session cookie, so it works without
JavaScript and the server keeps nothing. It is kept only once the visitor asks
(the Start button, a self-check, "Keep track"): a lesson page shared by everyone
without a cookie (page_cache, replay) must never set one, nor show anyone's marks.
A visitor who keeps progress gets lessons rendered for them alone.
"""

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from methodslab.methods import METHODS
from methodslab.pages.class_membership import record_for_class
from methodslab.teaching.page_text import estimated, lesson_estimate, with_estimate
from methodslab.web.caching import add_cache_directives
from methodslab.web.page_cache import cached_page

bp = Blueprint("progress", __name__)

# The session keys: the progress itself, and the last graded answers of each self-check.
PROGRESS = "progress"
ANSWERS = "self_checks"
#: The self-check seeds: a visitor's own order of options, and of variants.
SEED_BITS = 31


@dataclass(frozen=True)
class PathStep:
    """One lesson on the path: lesson 0 (the anatomy of an exchange), then one per method."""

    slug: str
    name: str
    number: int
    endpoint: str = "lessons.lesson"  # a method's lesson, at /methods/<slug>

    @property
    def url(self) -> str:
        """Return the lesson's URL."""
        if self.endpoint == "lessons.lesson":
            return url_for(self.endpoint, slug=self.slug)
        return url_for(self.endpoint)


# Lesson 0 teaches the parts of a request and a response that every method lesson names.
ANATOMY = PathStep("anatomy", "Anatomy of an exchange", 0, "anatomy.lesson")
PATH = (ANATOMY, *(PathStep(m.slug, m.name, n) for n, m in enumerate(METHODS, start=1)))
PATH_BY_SLUG = {step.slug: step for step in PATH}
# Where the path ends, after the last lesson: a challenge across them and what it shows.
SUMMARY = PathStep("summary", "Summary", len(PATH), "summary.index")


@dataclass(frozen=True)
class Progress:
    """What one visitor has done so far, and what their self-checks have shown."""

    visited: frozenset[str]
    passed: frozenset[str]
    # The visitor's own order of options and variants (self_checks.draw).
    seed: int = 0
    # Per concept: the variants seen, whether the last answer missed, mastered
    # (self_checks.after_answer); per self-check: how many tries were graded.
    concepts: Mapping[str, int] = field(default_factory=dict)
    tries: Mapping[str, int] = field(default_factory=dict)


def lesson_path() -> tuple[PathStep, ...]:
    """Return the lessons in the order the path takes them."""
    return PATH


def neighbours(slug: str) -> tuple[PathStep | None, PathStep | None]:
    """Return the lessons before and after lesson ``slug`` on the path (None at either end)."""
    index = PATH.index(PATH_BY_SLUG[slug])
    return (PATH[index - 1] if index > 0 else None, (*PATH, SUMMARY)[index + 1])


def whole_numbers(kept: object) -> dict[str, int]:
    """Return the string-to-int pairs of a mapping read from the cookie (nothing else)."""
    if not isinstance(kept, dict):
        return {}
    return {
        key: value
        for key, value in kept.items()
        if isinstance(key, str) and isinstance(value, int) and 0 <= value < 1 << SEED_BITS
    }


def current_progress() -> Progress | None:
    """Return the visitor's progress, or None if they keep none."""
    kept = session.get(PROGRESS)
    if not isinstance(kept, dict):
        return None
    seed = kept.get("seed")
    progress = Progress(
        frozenset(kept.get("visited", ())),
        frozenset(kept.get("passed", ())),
        seed if isinstance(seed, int) and seed > 0 else new_seed(),
        whole_numbers(kept.get("c")),
        whole_numbers(kept.get("n")),
    )
    if progress.seed != seed:  # kept from before seeds: keep one from now on
        keep(progress)
    return progress


def new_seed() -> int:
    """Return a fresh seed for a visitor's own order of questions and options."""
    return secrets.randbelow((1 << SEED_BITS) - 1) + 1


def keep(progress: Progress) -> None:
    """Store ``progress`` in the visitor's session (for 30 days, like the sandbox)."""
    # Short keys: the whole session must fit a cookie (4 KB), sandbox and answers included.
    session[PROGRESS] = {
        "visited": sorted(progress.visited),
        "passed": sorted(progress.passed),
        "seed": progress.seed,
        "c": dict(progress.concepts),
        "n": dict(progress.tries),
    }
    session.permanent = True


def record_visit(slug: str) -> Progress | None:
    """Mark lesson ``slug`` visited for a visitor who keeps progress; None for one who does not."""
    progress = current_progress()
    if progress is not None:
        record_for_class("visit", slug)
    if progress is None or slug in progress.visited:
        return progress  # unchanged: the cookie is not sent again
    progress = replace(progress, visited=progress.visited | {slug})
    keep(progress)
    return progress


def record_result(
    check: str, passed: bool | None, concepts: Mapping[str, int], tries: int
) -> Progress:
    """Record a graded self-check, starting progress if need be.

    ``passed``: whether it passes (or no longer does), None for a warm-up, which has no
    pass; ``concepts``: the records of the concepts it asked; ``tries``: its tries so far.
    """
    progress = current_progress() or Progress(frozenset(), frozenset(), new_seed())
    passed_now = progress.passed
    if passed is not None:
        passed_now = passed_now | {check} if passed else passed_now - {check}
    progress = replace(
        progress,
        passed=passed_now,
        concepts={**progress.concepts, **concepts},
        tries={**progress.tries, check: tries},
    )
    keep(progress)
    return progress


def personal_page(html: str) -> Response:
    """Answer with a page made for this visitor alone, which no shared cache may keep."""
    response = Response(html, mimetype="text/html")
    # RFC 9111 §5.2.2.7 (private: no shared cache stores it), §5.2.2.4 (no-cache:
    # revalidate before reuse). web/caching.py adds the ETag and answers 304.
    add_cache_directives(response, private=True, no_cache=True)
    return response


def lesson_page(slug: str, render: Callable[[Progress | None], str]) -> Response:
    """Answer with lesson ``slug``: the shared page, or this visitor's own if they keep progress.

    ``render`` draws the page for a visitor's progress (None: nobody's marks); the
    estimate under its title is counted on the shared page (teaching/page_text.py).
    """
    visitor_progress = record_visit(slug)
    if visitor_progress is not None:  # this visitor's marks: never in the page everyone shares
        estimate = lesson_estimate(lambda: render(None))
        return personal_page(with_estimate(render(visitor_progress), estimate))
    return cached_page(lambda: estimated(render(None)))


def refuse_cross_site() -> None:
    """Refuse (403) a form another site made the browser send.

    The cookie (SameSite=Lax) does not come with another site's POST, so such a
    form cannot read or change this visitor's progress; but its answer would set
    a fresh cookie over theirs, and with it lose their sandbox. Browsers say where
    a request comes from in Sec-Fetch-Site (Fetch Metadata) or, on a POST, in
    Origin (Fetch Standard); a request naming neither (curl) has no browser cookie
    to lose. A token would need a per-visitor form, and the forms sit on shared pages.
    """
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site is not None:
        allowed = site in ("same-origin", "none")
    else:
        allowed = origin is None or origin == request.host_url.rstrip("/")
    if not allowed:
        abort(
            HTTPStatus.FORBIDDEN,
            "This form was sent from another site, so it cannot change your progress. "
            "Open the page on this site and send it from there.",
        )


def page_to_return_to() -> str:
    """Return the lesson (or home) named by the lesson field or query; nothing else."""
    step = PATH_BY_SLUG.get(request.values.get("lesson", ""))
    return step.url if step else url_for("home.index")


@bp.post("/progress")
def start() -> ResponseReturnValue:
    """Start keeping the visitor's progress, then go to the lesson the form names."""
    refuse_cross_site()
    if current_progress() is None:
        keep(Progress(frozenset(), frozenset()))
    # 303: fetch the lesson with GET, which records the visit (Post/Redirect/Get).
    return redirect(page_to_return_to(), HTTPStatus.SEE_OTHER)


@bp.get("/progress/reset")
def confirm_reset() -> ResponseReturnValue:
    """Ask before forgetting: a page that works without JavaScript, whose Yes POSTs here."""
    visitor = current_progress()
    html = render_template(
        "reset.html",
        progress=visitor,
        lesson=request.args.get("lesson", "") if request.args.get("lesson") in PATH_BY_SLUG else "",
        back=page_to_return_to(),
    )
    return personal_page(html)


@bp.post("/progress/reset")
def reset() -> ResponseReturnValue:
    """Forget the visitor's progress and self-check answers, then go back to the page."""
    refuse_cross_site()
    session.pop(PROGRESS, None)
    session.pop(ANSWERS, None)
    return redirect(page_to_return_to(), HTTPStatus.SEE_OTHER)
