"""Read a self-check form off a page, and fill it in as a student (or a guessing bot) would."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

from methodslab.self_checks import CONCEPTS_BY_KEY, Question

FORM = re.compile(r'<form class="self-check-form" method="post" action="([^"]+)".*?</form>', re.S)
FIELDSET = re.compile(r'<fieldset class="question" data-question="([^"]+)">(.*?)</fieldset>', re.S)


@dataclass(frozen=True)
class Asked:
    """One question of a form: its concept, the variant asked and its options in page order."""

    concept: str
    question: Question
    options: list[str]

    @property
    def right_position(self) -> int:
        """Return where the right option is on the page, from 0."""
        return self.options.index(self.question.right)


@dataclass(frozen=True)
class Form:
    """A self-check form as a page shows it."""

    action: str
    token: str
    asked: list[Asked]

    def fields(self, choose: Callable[[Asked], str]) -> dict[str, str]:
        """Return the fields to POST, choosing an option for each question with ``choose``."""
        return {"draw": self.token} | {item.concept: choose(item) for item in self.asked}

    def right(self) -> dict[str, str]:
        """Return the fields that answer every question rightly."""
        return self.fields(lambda item: item.question.right)

    def wrong(self) -> dict[str, str]:
        """Return the fields that answer every question wrongly."""
        return self.fields(lambda item: next(k for k in item.options if k != item.question.right))


def forms_on(html: str) -> list[Form]:
    """Return every self-check form on a page."""
    forms = []
    for match in FORM.finditer(html):
        token = unescape(re.search(r'name="draw" value="([^"]*)"', match[0])[1])  # type: ignore[index]
        variants = dict(part.split(":") for part in token.partition("|")[2].split(","))
        asked = [
            Asked(
                concept,
                CONCEPTS_BY_KEY[concept].variants[int(variants[concept])],
                re.findall(r'data-option="([^"]+)"', body),
            )
            for concept, body in FIELDSET.findall(match[0])
        ]
        forms.append(Form(match[1], token, asked))
    return forms


def form_for(html: str, action: str) -> Form:
    """Return the self-check form on a page that posts to ``action``."""
    return next(form for form in forms_on(html) if form.action == action)
