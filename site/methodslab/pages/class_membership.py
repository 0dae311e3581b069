"""A student's class, kept in their signed cookie, and what they do recorded for its dashboard.

Pages call ``record_for_class`` (or ``record_self_check``) where a student does
something a class may see; for a visitor in no class it does nothing and reads
no database. Only what the call names is stored, under the student's random
member id: never an address, never the rest of the session.
"""

from collections.abc import Sequence

from flask import current_app, session

from methodslab.notes.classes import ClassStore, Membership, Record
from methodslab.self_checks import Graded

#: The session key of the class a student joined: [class id, member id].
CLASS = "class"


def class_store() -> ClassStore:
    """Return the app's class store."""
    store: ClassStore = current_app.extensions["classes"]
    return store


def current_membership() -> Membership | None:
    """Return the class this visitor joined, as their signed cookie says, or None."""
    kept = session.get(CLASS)
    if not (isinstance(kept, list) and len(kept) == 2 and all(isinstance(k, str) for k in kept)):
        return None
    return Membership(kept[0], kept[1])


def keep_membership(membership: Membership | None) -> None:
    """Keep ``membership`` in the visitor's cookie (None: forget it)."""
    if membership is None:
        session.pop(CLASS, None)
        return
    session[CLASS] = [membership.class_id, membership.member]
    session.permanent = True


def record_for_class(kind: str, item: str, choice: str = "", first_try: bool = False) -> None:
    """Record for the visitor's class that they did ``kind`` on ``item`` (nothing if no class).

    ``kind``: "visit" (a lesson's slug), "pass" (a self-check's key), "challenge" (a
    challenge's key): ticks, kept once; "answer" or "prediction": a ``choice``, kept
    every time, with whether it came on the ``first_try``.
    """
    record_all([Record(kind, item, choice, first_try)])


def record_self_check(key: str, graded: Sequence[Graded], passed: bool | None, tries: int) -> None:
    """Record a graded self-check for the visitor's class: each answer, and a pass."""
    records = [
        Record("answer", f"{item.drawn.concept.key}:{item.drawn.variant}", item.chosen, tries == 1)
        for item in graded
    ]
    if passed:
        records.append(Record("pass", key))
    record_all(records)


def record_all(records: Sequence[Record]) -> None:
    """Record ``records`` for the visitor's class; forget a class that is gone."""
    membership = current_membership()
    if membership is None:
        return
    if not class_store().record(membership, records):
        keep_membership(None)  # closed, expired, or the student left from another device
