"""The facts about each HTTP method that the site teaches: its single source of truth.

Checked against RFC 9110 section 9 (RFC 5789 section 2 for PATCH); the tests
compare them with the project's reference table.
"""

from dataclasses import dataclass

RFC_9110 = "https://www.rfc-editor.org/rfc/rfc9110.html"


@dataclass(frozen=True)
class Answer:
    """A property's value: Yes, No, May or Only, with a short qualification."""

    word: str
    note: str = ""


@dataclass(frozen=True)
class TryIt:
    """What the Try it panel sends by default, and the lesson's worked example."""

    path: str = "/echo"
    query: str = ""
    content_type: str = ""
    body: str = ""


@dataclass(frozen=True)
class Exchange:
    """One request a walkthrough sends to the notes API."""

    method: str
    path: str
    content_type: str = ""
    body: str = ""


@dataclass(frozen=True)
class Walkthrough:
    """The same request sent twice, after a setup request that fixes the starting state."""

    repeated: Exchange
    setup: Exchange | None = None
    lesson: str = ""


@dataclass(frozen=True)
class Method:
    """One HTTP method, as the lessons describe it."""

    name: str
    summary: str
    spec: str
    spec_url: str
    request_body: Answer
    response_body: Answer
    safe: Answer
    idempotent: Answer
    cacheable: Answer
    html_forms: Answer
    # The endpoint whose code shows how this site serves the method.
    handler: str
    try_it: TryIt
    walkthrough: Walkthrough | None = None

    @property
    def slug(self) -> str:
        """Return the method's name as it appears in lesson URLs."""
        return self.name.lower()

    @property
    def properties(self) -> list[tuple[str, Answer]]:
        """Return each property's label with its answer, in table order."""
        return [(label, getattr(self, field)) for label, field in PROPERTIES]


PROPERTIES = (
    ("Request has body", "request_body"),
    ("Successful response has body", "response_body"),
    ("Safe", "safe"),
    ("Idempotent", "idempotent"),
    ("Cacheable", "cacheable"),
    ("Allowed in HTML forms", "html_forms"),
)

YES = Answer("Yes")
NO = Answer("No")
NO_DEFINED_MEANING = Answer("No", "a body has no defined meaning")
NOT_IN_FORMS = Answer("No", "forms send only GET and POST")
ONLY_WITH_FRESHNESS = Answer(
    "Only", "with explicit freshness information and a matching Content-Location"
)

METHODS = (
    Method(
        name="GET",
        summary="Fetch the current representation of a resource.",
        spec="RFC 9110 §9.3.1",
        spec_url=f"{RFC_9110}#section-9.3.1",
        request_body=NO_DEFINED_MEANING,
        response_body=YES,
        safe=YES,
        idempotent=YES,
        cacheable=YES,
        html_forms=YES,
        handler="lessons.lesson",
        try_it=TryIt(query="lesson=get&page=1"),
    ),
    Method(
        name="HEAD",
        summary="Ask for the headers a GET would bring, without the content.",
        spec="RFC 9110 §9.3.2",
        spec_url=f"{RFC_9110}#section-9.3.2",
        request_body=NO_DEFINED_MEANING,
        response_body=Answer("No", "headers only"),
        safe=YES,
        idempotent=YES,
        cacheable=YES,
        html_forms=NOT_IN_FORMS,
        handler="lessons.lesson",
        try_it=TryIt(query="lesson=head"),
    ),
    Method(
        name="POST",
        summary="Have the resource process the enclosed data by its own rules.",
        spec="RFC 9110 §9.3.3",
        spec_url=f"{RFC_9110}#section-9.3.3",
        request_body=YES,
        response_body=YES,
        safe=NO,
        idempotent=NO,
        cacheable=ONLY_WITH_FRESHNESS,
        html_forms=YES,
        handler="login.login",
        try_it=TryIt(
            query="lesson=post",
            content_type="application/x-www-form-urlencoded",
            body="nm=Ada+Lovelace",
        ),
        walkthrough=Walkthrough(
            repeated=Exchange("POST", "/api/notes", "application/json", '{"text": "Posted"}'),
            lesson="Each POST creates another note, under a new id the server picks.",
        ),
    ),
    Method(
        name="PUT",
        summary="Create the resource, or replace it, with the enclosed state.",
        spec="RFC 9110 §9.3.4",
        spec_url=f"{RFC_9110}#section-9.3.4",
        request_body=YES,
        response_body=Answer("May"),
        safe=NO,
        idempotent=YES,
        cacheable=NO,
        html_forms=NOT_IN_FORMS,
        handler="notes.put_note",
        try_it=TryIt(
            path="/echo/notes/shopping",
            content_type="application/json",
            body='{"text": "Milk, eggs"}',
        ),
        walkthrough=Walkthrough(
            setup=Exchange("DELETE", "/api/notes/shopping"),
            repeated=Exchange(
                "PUT", "/api/notes/shopping", "application/json", '{"text": "Milk, eggs"}'
            ),
            lesson="The first PUT creates the note (201), the second replaces it with the same "
            "text (200): the collection ends up exactly as after one.",
        ),
    ),
    Method(
        name="DELETE",
        summary="Remove the association between the URL and its resource.",
        spec="RFC 9110 §9.3.5",
        spec_url=f"{RFC_9110}#section-9.3.5",
        request_body=Answer("May", "no defined meaning"),
        response_body=Answer("May"),
        safe=NO,
        idempotent=YES,
        cacheable=NO,
        html_forms=NOT_IN_FORMS,
        handler="notes.delete_note",
        try_it=TryIt(path="/echo/notes/shopping"),
        walkthrough=Walkthrough(
            setup=Exchange("PUT", "/api/notes/old", "application/json", '{"text": "Delete me"}'),
            repeated=Exchange("DELETE", "/api/notes/old"),
            lesson="The first DELETE removes the note (204); the second finds nothing (404), "
            "yet the collection is the same after both.",
        ),
    ),
    Method(
        name="PATCH",
        summary="Apply a set of changes to part of a resource.",
        spec="RFC 5789 §2",
        spec_url="https://www.rfc-editor.org/rfc/rfc5789.html#section-2",
        request_body=YES,
        response_body=Answer("May"),
        safe=NO,
        idempotent=Answer("No", "though some patches happen to be"),
        cacheable=ONLY_WITH_FRESHNESS,
        html_forms=NOT_IN_FORMS,
        handler="notes.patch_note",
        try_it=TryIt(
            path="/echo/notes/shopping",
            content_type="application/merge-patch+json",
            body='{"text": "Milk, eggs, bread"}',
        ),
        walkthrough=Walkthrough(
            setup=Exchange("PUT", "/api/notes/todo", "application/json", '{"text": "Draft"}'),
            repeated=Exchange(
                "PATCH", "/api/notes/todo", "application/merge-patch+json", '{"text": "Final"}'
            ),
            lesson="This merge patch sets the text, so repeating it changes nothing more: "
            "this patch happens to be idempotent. One that appended would not be.",
        ),
    ),
    Method(
        name="OPTIONS",
        summary="Ask which methods and features a resource supports.",
        spec="RFC 9110 §9.3.7",
        spec_url=f"{RFC_9110}#section-9.3.7",
        request_body=Answer("May", "no defined meaning"),
        response_body=Answer("May"),
        safe=YES,
        idempotent=YES,
        cacheable=NO,
        html_forms=NOT_IN_FORMS,
        handler="echo.echo",
        try_it=TryIt(),
    ),
)

METHODS_BY_SLUG = {method.slug: method for method in METHODS}
