"""What a request to the sandbox did, and why: the status, what changed, the RFC section.

The "Your turn" form (pages/your_turn.py) sends the student's own PUT, PATCH or DELETE
to their notes, then explains the answer from what the note was before and is after.
Each reason is backed by the section it links to.
"""

from dataclasses import dataclass
from http import HTTPStatus

from methodslab.methods import RFC_9110

RFC_5789 = "https://www.rfc-editor.org/rfc/rfc5789.html"
RFC_6585 = "https://www.rfc-editor.org/rfc/rfc6585.html"
RFC_7396 = "https://www.rfc-editor.org/rfc/rfc7396.html"


@dataclass(frozen=True)
class NoteState:
    """A note as the store holds it, in what a student compares: text, tags, version, tag."""

    text: str
    tags: tuple[str, ...]
    version: int
    etag: str


@dataclass(frozen=True)
class Attempt:
    """One request to a note and its answer: what the note was before it and is after it."""

    method: str
    note_id: str
    path: str
    status: HTTPStatus
    detail: str = ""
    # "If-Match", "If-None-Match" or "" for none; the value sent with it.
    condition: str = ""
    condition_value: str = ""
    before: NoteState | None = None
    after: NoteState | None = None


@dataclass(frozen=True)
class Verdict:
    """The explanation of an attempt: a headline, what changed, why, and where it is defined."""

    headline: str
    changed: str
    why: str
    section: str
    section_url: str


def explain(attempt: Attempt) -> Verdict:
    """Explain ``attempt``: its status, the change it made, and the rule behind it."""
    why, section, url = reason(attempt)
    status = attempt.status
    return Verdict(
        headline=f"{attempt.method} {attempt.path} → {status.value} {status.phrase}",
        changed=change(attempt),
        why=why,
        section=section,
        section_url=url,
    )


def shown(state: NoteState) -> str:
    """Return a note's text and tags as a sentence shows them."""
    tags = "tags: " + ", ".join(state.tags) if state.tags else "no tags"
    return f"“{state.text}” ({tags})"


def change(attempt: Attempt) -> str:
    """Say how the note differs after the attempt from before it."""
    before, after, name = attempt.before, attempt.after, attempt.note_id
    if before is None and after is None:
        return f"Nothing changed: you had no note {name}, and you still have none."
    if before is None and after is not None:
        return f"The note {name} now exists: {shown(after)}, version {after.version}."
    if after is None and before is not None:
        return f"The note {name} is gone; it held {shown(before)}."
    assert before is not None and after is not None
    if before.version == after.version:
        return f"Nothing changed: the note {name} is still version {after.version}, {shown(after)}."
    return (
        f"The note {name} went from version {before.version}, {shown(before)}, "
        f"to version {after.version}, {shown(after)}."
    )


def section(number: str, rfc: str = RFC_9110, name: str = "RFC 9110") -> tuple[str, str]:
    """Return a section's name and address."""
    return f"{name} §{number}", f"{rfc}#section-{number}"


def reason(attempt: Attempt) -> tuple[str, str, str]:
    """Return why the server answered as it did, and the section that says so."""
    status, method = attempt.status, attempt.method
    if status == HTTPStatus.PRECONDITION_FAILED:
        return failed_condition(attempt)
    if status == HTTPStatus.BAD_REQUEST:
        return (f"The server could not accept the request: {attempt.detail}", *section("15.5.1"))
    if status == HTTPStatus.UNPROCESSABLE_ENTITY:
        return (
            f"The request was well-formed, but the note it describes is not valid: "
            f"{attempt.detail}",
            *section("15.5.21"),
        )
    if status == HTTPStatus.CONFLICT:
        return (f"It conflicts with your sandbox's state: {attempt.detail}", *section("15.5.10"))
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return (
            f"Too many requests: {attempt.detail}",
            *section("4", RFC_6585, "RFC 6585"),
        )
    if method == "PUT":
        return put_reason(attempt)
    if method == "PATCH":
        return patch_reason(attempt)
    if method == "DELETE":
        return delete_reason(attempt)
    return (attempt.detail or "This is how the server answered.", *section("15"))


def put_reason(attempt: Attempt) -> tuple[str, str, str]:
    """Explain a PUT's 201 or 200 (RFC 9110 §9.3.4, §9.2.2)."""
    if attempt.status == HTTPStatus.CREATED:
        return (
            "There was no note at this URL, so PUT created it with exactly what you sent; "
            "201 Created says so, and Location names the new note.",
            *section("9.3.4"),
        )
    if attempt.before and attempt.after and attempt.before.version == attempt.after.version:
        return (
            "PUT set the state the note already had, so nothing changed: sending the same PUT "
            "again leaves the same state, which is what idempotent means.",
            *section("9.2.2"),
        )
    return (
        "PUT replaced the note's whole state with what you sent: a field you leave out is "
        "a field you want gone, so tags you did not send are removed.",
        *section("9.3.4"),
    )


def patch_reason(attempt: Attempt) -> tuple[str, str, str]:
    """Explain a PATCH's 200 or 404 (RFC 5789 §2, RFC 7396 §2)."""
    if attempt.status == HTTPStatus.NOT_FOUND:
        return (
            "There is no such note to change. A server may create a resource with PATCH; "
            "this one answers 404 Not Found and leaves creating to PUT.",
            *section("2", RFC_5789, "RFC 5789"),
        )
    return (
        "A merge patch changes only the fields it names and leaves the rest as they were: "
        "the fields you left empty were not sent.",
        *section("2", RFC_7396, "RFC 7396"),
    )


def delete_reason(attempt: Attempt) -> tuple[str, str, str]:
    """Explain a DELETE's 204 or 404 (RFC 9110 §9.3.5, §9.2.2)."""
    if attempt.status == HTTPStatus.NOT_FOUND:
        return (
            "There was no such note, so there was nothing to delete: the state is the same "
            "as after a DELETE that found one, which is why DELETE is idempotent even when "
            "the answers differ.",
            *section("9.2.2"),
        )
    return (
        "DELETE removed the note from this URL; 204 No Content says it succeeded with "
        "nothing more to send.",
        *section("9.3.5"),
    )


def failed_condition(attempt: Attempt) -> tuple[str, str, str]:
    """Explain a 412: the condition was false, so nothing was done (RFC 9110 §13.1)."""
    sent = f"{attempt.condition}: {attempt.condition_value}"
    if attempt.condition == "If-Match":
        now = attempt.before.etag if attempt.before else "none: the note does not exist"
        return (
            f"{sent} asks for the change only if the note is still that version. Its ETag "
            f"now is {now}, so the server changed nothing: 412 Precondition Failed.",
            *section("13.1.1"),
        )
    if attempt.condition_value == "*":
        return (
            f"{sent} asks for the change only if no note exists yet; one does, so the server "
            "changed nothing: 412 Precondition Failed.",
            *section("13.1.2"),
        )
    return (
        f"{sent} asks for the change only if the note is not that version; it is, so the "
        "server changed nothing: 412 Precondition Failed.",
        *section("13.1.2"),
    )
