"""The facts about each HTTP method that the site teaches: its single source of truth.

Checked against RFC 9110 section 9 (RFC 5789 section 2 for PATCH); the tests
compare them with the project's reference table. RFC 9110 defines eight methods
(§9.3); the site teaches the seven a web application serves, and names the
other two, CONNECT and TRACE, in UNTAUGHT.
"""

from dataclasses import dataclass
from http import HTTPStatus

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
class Outcome:
    """What the lesson predicts one send of a walkthrough gets, and leaves behind."""

    status: HTTPStatus
    after: str  # the sandbox's state after it, in a sentence
    fields: tuple[str, ...] = ()  # key response header fields, "Name: value"


@dataclass(frozen=True)
class Walkthrough:
    """The same request sent twice, after a setup request that fixes the starting state."""

    repeated: Exchange
    setup: Exchange | None = None
    lesson: str = ""
    # What the button sends twice, when the method alone does not say (two on one page).
    label: str = ""
    # A heading for the panel, when a lesson shows two side by side.
    title: str = ""
    # The lesson's prediction for the first and the second send (tests check it).
    outcomes: tuple[Outcome, ...] = ()

    @property
    def button(self) -> str:
        """Return the text of the button that runs it."""
        return f"Send {self.label or self.repeated.method} twice"


#: The PATCH walkthroughs' starting state: the note "todo", without tags.
TODO_WITHOUT_TAGS = Exchange(
    "PUT", "/api/notes/todo", "application/json", '{"text": "Buy milk", "tags": []}'
)


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
    # A second walkthrough shown beside the first, to compare (PATCH: two patch formats).
    contrast: Walkthrough | None = None
    # The helpers that carry the behaviour the lesson describes (status, Location,
    # validators), as "module:function"; shown below the view, read from the code.
    helpers: tuple[str, ...] = ()

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
        helpers=("methodslab.web.page_cache:cached_page",),
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
        helpers=("methodslab.notes.api:create_note", "methodslab.notes.api:note_response"),
        try_it=TryIt(
            query="lesson=post",
            content_type="application/x-www-form-urlencoded",
            body="nm=Ada+Lovelace",
        ),
        walkthrough=Walkthrough(
            repeated=Exchange("POST", "/api/notes", "application/json", '{"text": "Posted"}'),
            # RFC 9110 §9.3.3 (the resource decides), §15.3.2 (201 Created and Location).
            lesson="Each POST creates another note, under a new id the server picks, and "
            "answers 201 Created with a Location header naming it.",
            outcomes=(
                Outcome(
                    HTTPStatus.CREATED,
                    "One more note, “Posted”, under an id the server chose.",
                    ("Location: /api/notes/<a new id>",),
                ),
                Outcome(
                    HTTPStatus.CREATED,
                    "Another note, “Posted” again, under another new id: two more in all.",
                    ("Location: /api/notes/<another new id>",),
                ),
            ),
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
        helpers=("methodslab.notes.api:note_response", "methodslab.notes.api:precondition"),
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
            # RFC 9110 §9.2.2 (idempotent: the intended effect of several identical
            # requests is that of one), §9.3.4 (201 when created, 200 or 204 when replaced).
            lesson="The first PUT creates the note (201 Created). The second sends the same "
            "text, so there is nothing to replace: it answers 200 OK and the note stays "
            "exactly as the first left it, with the same version, update time and ETag.",
            outcomes=(
                Outcome(
                    HTTPStatus.CREATED,
                    "The note shopping exists: “Milk, eggs”, version 1.",
                    ("Location: /api/notes/shopping",),
                ),
                Outcome(HTTPStatus.OK, "The same note, still version 1: nothing changed."),
            ),
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
        helpers=("methodslab.notes.api:precondition",),
        try_it=TryIt(path="/echo/notes/shopping"),
        walkthrough=Walkthrough(
            setup=Exchange("PUT", "/api/notes/old", "application/json", '{"text": "Delete me"}'),
            repeated=Exchange("DELETE", "/api/notes/old"),
            # RFC 9110 §9.2.2: idempotency is about the effect, not the response.
            lesson="The first DELETE removes the note (204 No Content); the second finds "
            "nothing and this API answers 404 Not Found, yet your notes are the same after both.",
            outcomes=(
                Outcome(HTTPStatus.NO_CONTENT, "The note old is gone."),
                Outcome(HTTPStatus.NOT_FOUND, "Still gone: your notes are as the first left them."),
            ),
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
        idempotent=Answer("No", "though a given patch document may be"),
        cacheable=ONLY_WITH_FRESHNESS,
        html_forms=NOT_IN_FORMS,
        handler="notes.patch_note",
        helpers=(
            "methodslab.notes.api:read_document",
            "methodslab.notes.api:merged",
            "methodslab.notes.api:patched",
            "methodslab.notes.api:advertise_patch_format",
            "methodslab.notes.api:note_response",
        ),
        try_it=TryIt(
            path="/echo/notes/shopping",
            content_type="application/merge-patch+json",
            body='{"text": "Milk, eggs, bread"}',
        ),
        # The same note from the same start, patched twice in each format.
        walkthrough=Walkthrough(
            setup=TODO_WITHOUT_TAGS,
            repeated=Exchange(
                "PATCH", "/api/notes/todo", "application/merge-patch+json", '{"tags": ["urgent"]}'
            ),
            # RFC 7396 §2: a merge patch gives each member's final value (or null to
            # remove it) and replaces arrays whole, so applying it twice equals once.
            lesson="A JSON Merge Patch states the final value of every field it names, so "
            "sending it again changes nothing more: every merge patch is idempotent. The "
            'second one finds the tags already ["urgent"]: same note, same version, same ETag.',
            label="the merge patch",
            title="JSON Merge Patch: the same state twice",
            outcomes=(
                Outcome(
                    HTTPStatus.OK,
                    "The note todo has the tags [“urgent”], one version newer.",
                    ('ETag: "v<n>"',),
                ),
                Outcome(
                    HTTPStatus.OK,
                    "Unchanged: still [“urgent”], the same version.",
                    ('ETag: "v<n>", the same',),
                ),
            ),
        ),
        contrast=Walkthrough(
            setup=TODO_WITHOUT_TAGS,
            repeated=Exchange(
                "PATCH",
                "/api/notes/todo",
                "application/json-patch+json",
                '[{"op": "add", "path": "/tags/-", "value": "urgent"}]',
            ),
            # RFC 6902 §4.1: "add" at an array's "-" appends, so each application adds one.
            lesson="A JSON Patch is a list of operations, and add to /tags/- appends to the "
            "tags. The second PATCH appends again: two urgent tags and a new version. This "
            "PATCH is not idempotent.",
            label="the JSON Patch",
            title="JSON Patch: add to /tags/- twice",
            outcomes=(
                Outcome(
                    HTTPStatus.OK,
                    "The note todo has the tags [“urgent”], one version newer.",
                    ('ETag: "v<n>"',),
                ),
                Outcome(
                    HTTPStatus.OK,
                    "Changed again: [“urgent”, “urgent”], one more version.",
                    ('ETag: "v<n+1>"',),
                ),
            ),
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


@dataclass(frozen=True)
class UntaughtMethod:
    """A method RFC 9110 defines that this site names but does not teach."""

    name: str
    summary: str
    spec: str
    spec_url: str
    # Why it has no lesson here, in a sentence.
    why_not_here: str

    @property
    def slug(self) -> str:
        """Return the method's name as it would appear in a lesson URL."""
        return self.name.lower()


UNTAUGHT = (
    UntaughtMethod(
        name="CONNECT",
        # RFC 9110 §9.3.6: a tunnel to the destination, used mostly through proxies.
        summary="Ask a proxy to open a tunnel to another server, usually for HTTPS.",
        spec="RFC 9110 §9.3.6",
        spec_url=f"{RFC_9110}#section-9.3.6",
        # Fetch Standard, "forbidden method": fetch() refuses CONNECT, TRACE and TRACK.
        why_not_here="It is for proxies, not for web applications, and a page cannot send "
        "it: fetch() refuses it.",
    ),
    UntaughtMethod(
        name="TRACE",
        # RFC 9110 §9.3.8: a loop-back of the request as received.
        summary="Ask the server to send the request back as it received it.",
        spec="RFC 9110 §9.3.8",
        spec_url=f"{RFC_9110}#section-9.3.8",
        # §9.3.8 warns against sensitive fields in a TRACE; cross-site tracing is the
        # attack that made servers turn it off; fetch() refuses it (Fetch Standard).
        why_not_here="Most servers turn it off, and this one does not implement it: an "
        "echo of the raw request once let a page's script read cookies and credentials "
        "meant to be hidden from it (cross-site tracing). This site's /echo shows a "
        "request back safely, with cookie values hidden.",
    ),
)

UNTAUGHT_BY_SLUG = {method.slug: method for method in UNTAUGHT}
