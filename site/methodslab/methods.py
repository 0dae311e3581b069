"""The facts about each HTTP method that the site teaches: its single source of truth.

Checked against RFC 9110 section 9 (RFC 5789 section 2 for PATCH); the tests
compare them with the project's reference table. RFC 9110 defines eight methods
(§9.3); the site teaches the seven a web application serves, and names the
other two, CONNECT and TRACE, in UNTAUGHT.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from methodslab.notes import api as notes
from methodslab.web.page_cache import cached_page

RFC_9110 = "https://www.rfc-editor.org/rfc/rfc9110.html"


@dataclass(frozen=True)
class Answer:
    """A property's value: Yes, No, May or Only, with a short qualification."""

    word: str
    note: str = ""


@dataclass(frozen=True)
class Option:
    """One answer to choose, in a prediction or a self-check, and why it is right or wrong."""

    key: str
    text: str
    why: str
    # In a question about a fact: the value of that fact this option asserts.
    states: str = ""
    # The status this choice predicts, where it predicts one: after a send, the choice
    # that names the status received is the one the answer bears out.
    status: int = 0


@dataclass(frozen=True)
class Prediction:
    """A one-click question asked before a request goes out; ``answer`` names the right choice."""

    question: str
    choices: tuple[Option, ...]
    answer: str


@dataclass(frozen=True)
class Exchange:
    """One request a walkthrough or a Try it panel sends to the notes API."""

    method: str
    path: str
    content_type: str = ""
    body: str = ""


def note_text(body: str) -> str:
    """Return the text a note's JSON body sets."""
    return str(json.loads(body)["text"])


@dataclass(frozen=True)
class TryIt:
    """What the Try it panel sends by default, and the lesson's worked example."""

    path: str = "/echo"
    query: str = ""
    content_type: str = ""
    body: str = ""
    # What the answer shows about this method, said first after a send.
    verdict: str = ""
    # What to look at in the exchange, two or three points.
    notice: tuple[str, ...] = ()
    prediction: Prediction | None = None
    # A request sent first, so the one shown meets a known state (a note that exists).
    setup: Exchange | None = None
    # The statuses the request may get when copied and sent alone: the echo's 200, or a
    # sandbox's answers, which depend on what the visitor's notes hold.
    answers: tuple[HTTPStatus, ...] = (HTTPStatus.OK,)

    @property
    def sandbox(self) -> bool:
        """Return whether the panel acts on the visitor's notes, not on the echo."""
        return self.path.startswith("/api/notes/")

    @property
    def note_id(self) -> str:
        """Return the note a sandbox panel acts on."""
        return self.path.removeprefix("/api/notes/")


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
    # A heading for the panel, when a lesson shows two side by side, and its tab's name
    # where they are two tabs (on a phone).
    title: str = ""
    tab: str = ""
    # The lesson's prediction for the first and the second send (tests check it).
    outcomes: tuple[Outcome, ...] = ()
    prediction: Prediction | None = None
    # Said beside the button when a step gets an error status on purpose (macros.html).
    expected_error: str = ""

    @property
    def button(self) -> str:
        """Return the text of the button that runs it."""
        return f"Send {self.label or self.repeated.method} twice"


#: The first PATCH of either format in the PATCH lesson: the same outcome, told once.
FIRST_TAG_ADDED = Outcome(
    HTTPStatus.OK,
    "The note todo has the tags [“urgent”], one version newer.",
    # The ETag names the version and the note's life (notes/store.py: Note.opaque_tag).
    ('ETag: "v<n>-…"',),
)
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
    # validators); shown below the view, read from the code.
    helpers: tuple[Callable[..., Any], ...] = ()

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
# RFC 9110 §9.3.1 (GET), §9.3.2 (HEAD, as GET) and §9.3.5 (DELETE): content has no generally
# defined semantics and may be rejected; a client SHOULD NOT generate it unless it sends it
# straight to an origin server that has said such a request has a purpose and is supported.
NOT_BY_DEFAULT = Answer("Not by default", "only to a server that says it accepts one")
NOT_IN_FORMS = Answer("No", "forms send only GET and POST")
# RFC 9110 §9.3.3 (POST) and RFC 5789 §2 (PATCH): a response is cacheable only with explicit
# freshness information and a Content-Location equal to the target URI, and then reused
# only for a later GET or HEAD of that URI.
ONLY_WITH_FRESHNESS = Answer("Only", "with explicit freshness and Content-Location naming its URL")

METHODS = (
    Method(
        name="GET",
        summary="Fetch the current representation of a resource.",
        spec="RFC 9110 §9.3.1",
        spec_url=f"{RFC_9110}#section-9.3.1",
        request_body=NOT_BY_DEFAULT,
        response_body=YES,
        safe=YES,
        idempotent=YES,
        cacheable=YES,
        html_forms=YES,
        handler="lessons.lesson",
        helpers=(cached_page,),
        try_it=TryIt(
            query="lesson=get&page=1",
            # RFC 9110 §9.3.1 (no defined meaning for content in GET); Fetch Standard
            # (a Request with a body and GET throws); RFC 9112 §3 (the request line).
            verdict="GET: the data travelled in the URL's query string, and the request "
            "carried no body.",
            notice=(
                "The server found lesson and page among the query arguments: the URL is "
                "where a GET carries its data.",
                "The request line names the method and the target, path and query together.",
                "Your browser added fields of its own, such as User-Agent and "
                "Accept-Encoding; the server saw them all.",
            ),
            prediction=Prediction(
                "Where will the server find lesson=get&page=1?",
                (
                    Option(
                        "query",
                        "In the URL's query string",
                        "A GET carries its data in the URL; the request has no body.",
                    ),
                    Option(
                        "body",
                        "In the request body",
                        "A body in a GET has no defined meaning, and fetch() refuses to "
                        "send one: the data stays in the URL.",
                    ),
                    Option(
                        "nowhere",
                        "Nowhere: a GET sends no data",
                        "A GET sends data in its URL, which the server reads as the query.",
                    ),
                ),
                answer="query",
            ),
        ),
    ),
    Method(
        name="HEAD",
        summary="Ask for the headers a GET would bring, without the content.",
        spec="RFC 9110 §9.3.2",
        spec_url=f"{RFC_9110}#section-9.3.2",
        request_body=NOT_BY_DEFAULT,
        response_body=Answer("No", "headers only"),
        safe=YES,
        idempotent=YES,
        cacheable=YES,
        html_forms=NOT_IN_FORMS,
        handler="lessons.lesson",
        try_it=TryIt(
            query="lesson=head",
            # RFC 9110 §9.3.2 (GET without content), §8.6 (Content-Length is GET's),
            # §6.4.1 and RFC 9112 §6.3 (a HEAD response ends after its header section).
            verdict="HEAD: headers only; Content-Length says what GET would send.",
            notice=(
                "The response ended after its header fields: no body, whatever "
                "Content-Length says.",
                "Content-Length is the size of the body a GET of the same URL would bring.",
                "The headers are the ones a GET brings: compare them in the table below.",
            ),
            prediction=Prediction(
                "What will the answer carry?",
                (
                    Option(
                        "length-0",
                        "Headers only, with Content-Length: 0",
                        "Content-Length in a HEAD answer gives the size a GET would "
                        "receive, not the size of the missing body.",
                    ),
                    Option(
                        "get-length",
                        "Headers only, with the Content-Length a GET would bring",
                        "A HEAD answer is a GET answer without its content, Content-Length "
                        "included.",
                    ),
                    Option(
                        "with-body",
                        "Headers and the body, like GET",
                        "HEAD asks for the headers alone: no body ever follows them.",
                    ),
                ),
                answer="get-length",
            ),
        ),
    ),
    Method(
        name="POST",
        summary="Have the resource process the enclosed data by its own rules.",
        spec="RFC 9110 §9.3.3",
        spec_url=f"{RFC_9110}#section-9.3.3",
        request_body=YES,
        # RFC 9110 §9.3.3 (most successful POST responses describe the result), §15.3.2
        # (201 Created: the content usually describes the new resource, and may be absent),
        # §15.3.5 (204 No Content has none).
        response_body=Answer("May", "usually; a 201 may have none, a 204 never does"),
        safe=NO,
        idempotent=NO,
        cacheable=ONLY_WITH_FRESHNESS,
        html_forms=YES,
        handler="login.login",
        helpers=(notes.create_note, notes.note_response),
        try_it=TryIt(
            query="lesson=post",
            content_type="application/x-www-form-urlencoded",
            body="nm=Ada+Lovelace",
            # RFC 9110 §9.3.3 (the resource decides), §8.3 (Content-Type), §8.6
            # (Content-Length); URL Standard (form encoding writes a space as "+").
            verdict="POST: the data travelled in the body, and the server read it by its "
            "Content-Type.",
            notice=(
                "The body arrived as a form field: application/x-www-form-urlencoded "
                "turns nm=Ada+Lovelace into nm = Ada Lovelace, a + standing for a space.",
                "Content-Length gives the body's size in bytes.",
                "The echo answered 200 OK and created nothing: what a POST does is up to "
                "the resource.",
            ),
            prediction=Prediction(
                "How will the server read nm=Ada+Lovelace?",
                (
                    Option(
                        "plus-kept",
                        "As the field nm, with the value Ada+Lovelace",
                        "In this encoding a + stands for a space; a real plus is sent as %2B.",
                    ),
                    Option(
                        "plain-text",
                        "As plain text: a body has no structure",
                        "Content-Type tells the server the body's format, and this one is "
                        "made of fields.",
                    ),
                    Option(
                        "decoded",
                        "As the field nm, with the value Ada Lovelace",
                        "The form encoding writes a space as +, and the server decodes it.",
                    ),
                ),
                answer="decoded",
            ),
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
            # RFC 9110 §9.2.2: POST is not idempotent.
            prediction=Prediction(
                "After the second POST, how many Posted notes will you have?",
                (
                    Option(
                        "one",
                        "One: the same request has the same effect",
                        "That is idempotency, which POST does not promise.",
                    ),
                    Option(
                        "two",
                        "Two: each POST makes another",
                        "POST is not idempotent: each one is processed anew.",
                    ),
                    Option(
                        "conflict",
                        "One, and the second POST gets 409 Conflict",
                        "Nothing conflicts: the server picks a new id each time.",
                    ),
                ),
                answer="two",
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
        helpers=(notes.note_response, notes.precondition),
        try_it=TryIt(
            path="/api/notes/groceries",
            answers=(HTTPStatus.CREATED, HTTPStatus.OK),  # created, or replaced (§9.3.4)
            content_type="application/json",
            body='{"text": "Milk, eggs"}',
            # RFC 9110 §9.3.4 (the enclosed representation becomes the state: 201 when
            # created, 200 or 204 when replaced), §15.3.2 (201 and Location), §8.3
            # (Content-Type); HTML Standard (form methods are get, post, dialog).
            verdict="PUT: the note groceries is now exactly what you sent, created the "
            "first time and replaced after that.",
            notice=(
                "The first PUT created the note and answered 201 Created, with a Location "
                "naming it; the same PUT again replaces it and answers 200 OK.",
                "The body is the complete new state of the note, and Content-Type tells "
                "the server how to read it.",
                "fetch() sent PUT itself, which no HTML form can; without JavaScript, a "
                "form sends POST with _method=PUT, which this site carries out as a PUT.",
            ),
            # RFC 9110 §9.3.4: 201 Created when PUT creates the resource, 200 OK or 204
            # No Content when it replaces one; a client choosing the URL may create with PUT.
            prediction=Prediction(
                "The first time you send it, what will this PUT answer?",
                (
                    Option(
                        "created",
                        "201 Created, with a Location naming the note",
                        "There was no note groceries, so PUT created it, and a server answers "
                        "a PUT that creates a resource with 201 Created.",
                        status=201,
                    ),
                    Option(
                        "ok",
                        "200 OK: the note is stored",
                        "200 OK, or 204 No Content, answers a PUT that replaced a note that "
                        "was already there; a PUT that creates one answers 201 Created.",
                        status=200,
                    ),
                    Option(
                        "not-allowed",
                        "405 Method Not Allowed: notes are made with POST",
                        "PUT creates as well as replaces: a client that chooses the URL "
                        "itself can PUT a new resource there.",
                        status=405,
                    ),
                ),
                answer="created",
            ),
        ),
        walkthrough=Walkthrough(
            setup=Exchange("DELETE", "/api/notes/shopping"),
            repeated=Exchange(
                "PUT", "/api/notes/shopping", "application/json", '{"text": "Milk, eggs"}'
            ),
            # RFC 9110 §9.2.2 (idempotent: the intended effect of several identical
            # requests is that of one), §9.3.4 (201 when created, 200 or 204 when replaced).
            lesson="The first PUT creates the note (201 Created). The second, with the same "
            "text, answers 200 OK and changes nothing: same version, update time and ETag.",
            # RFC 9110 §15.5.5: 404, no current representation for the target.
            expected_error="When you have no note named shopping yet, the first step's DELETE gets "
            "404 Not Found: there is nothing to delete, which is the starting state wanted "
            "(RFC 9110 §15.5.5). If your browser's console shows that 404 in red, it is this "
            "step, and it is expected.",
            outcomes=(
                Outcome(
                    HTTPStatus.CREATED,
                    "The note shopping exists: “Milk, eggs”, version 1.",
                    ("Location: /api/notes/shopping",),
                ),
                Outcome(HTTPStatus.OK, "The same note, still version 1: nothing changed."),
            ),
            prediction=Prediction(
                "What will the second PUT do?",
                (
                    Option(
                        "second-note",
                        "Make a second shopping note",
                        "One URL names one note: PUT replaces what is there.",
                    ),
                    Option(
                        "conflict",
                        "Fail with 409 Conflict: the note exists",
                        "PUT creates or replaces; an existing note is simply replaced.",
                    ),
                    Option(
                        "unchanged",
                        "Nothing more: 200 OK, the note unchanged",
                        "PUT is idempotent: the second sets the state the first already set.",
                    ),
                ),
                answer="unchanged",
            ),
        ),
    ),
    Method(
        name="DELETE",
        summary="Remove the association between the URL and its resource.",
        spec="RFC 9110 §9.3.5",
        spec_url=f"{RFC_9110}#section-9.3.5",
        request_body=NOT_BY_DEFAULT,
        response_body=Answer("May"),
        safe=NO,
        idempotent=YES,
        cacheable=NO,
        html_forms=NOT_IN_FORMS,
        handler="notes.delete_note",
        helpers=(notes.precondition,),
        try_it=TryIt(
            path="/api/notes/scratch",
            answers=(HTTPStatus.NO_CONTENT, HTTPStatus.NOT_FOUND),  # alone, it may find none
            setup=Exchange("PUT", "/api/notes/scratch", "application/json", '{"text": "Scratch"}'),
            # RFC 9110 §9.3.5 (the target names what to remove; 204, 200 or 202; content
            # has no generally defined semantics, and a client SHOULD NOT send any),
            # §15.3.5 (204 No Content).
            verdict="DELETE: the note scratch is gone; the URL alone said what to remove.",
            notice=(
                "The panel first sent PUT /api/notes/scratch, so that the note exists; the "
                "DELETE then removed it.",
                "204 No Content means done, with nothing to add. A server may also answer "
                "200 OK with a message, or 202 Accepted when it will delete later.",
                "The DELETE carried no body: the target URL names what to remove.",
            ),
            # RFC 9110 §9.3.5: 204 (done, no content), 200 (done, content describing it)
            # or 202 (accepted, not yet done); Fetch Standard: fetch() may send DELETE.
            prediction=Prediction(
                "The note scratch exists. What will this DELETE answer?",
                (
                    Option(
                        "ok",
                        "200 OK, with the deleted note in the body",
                        "A server may answer 200 OK with content that describes the outcome; "
                        "this API has nothing to add, so it answers 204 No Content.",
                        status=200,
                    ),
                    Option(
                        "no-content",
                        "204 No Content",
                        "The note was deleted and the answer needs no content: 204 No "
                        "Content, one of the answers to DELETE with 200 OK and 202 Accepted.",
                        status=204,
                    ),
                    Option(
                        "not-allowed",
                        "405 Method Not Allowed: browsers cannot send DELETE",
                        "fetch() sends DELETE, and this API accepts it; only HTML forms are "
                        "limited to GET and POST.",
                        status=405,
                    ),
                ),
                answer="no-content",
            ),
        ),
        walkthrough=Walkthrough(
            setup=Exchange("PUT", "/api/notes/old", "application/json", '{"text": "Delete me"}'),
            repeated=Exchange("DELETE", "/api/notes/old"),
            # RFC 9110 §9.2.2: idempotency is about the effect, not the response.
            lesson="The first DELETE removes the note (204 No Content); the second finds "
            "nothing and this API answers 404 Not Found, yet your notes are the same after both.",
            # RFC 9110 §15.5.5: 404, no current representation for the target.
            expected_error="The second DELETE gets 404 Not Found, because the note is already "
            "gone, and so does the GET that reads the note after each DELETE (RFC 9110 "
            "§15.5.5). If your browser's console shows these 404s in red, they are these "
            "steps, and they are expected.",
            outcomes=(
                Outcome(HTTPStatus.NO_CONTENT, "The note old is gone."),
                Outcome(HTTPStatus.NOT_FOUND, "Still gone: your notes are as the first left them."),
            ),
            # §9.2.2: idempotency is about the state; §15.5.5 (404), §15.3.5 (204).
            prediction=Prediction(
                "What will the second DELETE answer?",
                (
                    Option(
                        "404",
                        "404 Not Found, and your notes stay as they were",
                        "The note is already gone, so this API says so; the state is the "
                        "same as after one DELETE.",
                    ),
                    Option(
                        "204",
                        "204 No Content, like the first",
                        "Some servers do answer that, and it is allowed; this API answers 404 "
                        "for a note that is not there.",
                    ),
                    Option(
                        "restored",
                        "An error, and the note comes back",
                        "Nothing brings the note back: a DELETE repeated leaves the same state.",
                    ),
                ),
                answer="404",
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
            notes.read_document,
            notes.merged,
            notes.patched,
            notes.advertise_patch_format,
            notes.note_response,
        ),
        try_it=TryIt(
            path="/echo/notes/shopping",
            content_type="application/merge-patch+json",
            body='{"text": "Milk, eggs, bread"}',
            # RFC 5789 §2 (a patch document whose media type says how to apply it);
            # RFC 7396 §1 (a merge patch names only the members it changes).
            verdict="PATCH: the body is a set of changes, and its Content-Type names the "
            "patch format.",
            notice=(
                "Content-Type: application/merge-patch+json says how to apply the body.",
                "A merge patch names only the fields it changes; a PUT sends the whole state.",
                "The echo described the patch and applied nothing; your sandbox below "
                "applies one for real.",
            ),
            prediction=Prediction(
                "What tells the server how to apply this patch?",
                (
                    Option(
                        "nothing",
                        "Nothing: PATCH has one format",
                        "PATCH takes many formats, such as JSON Merge Patch and JSON Patch.",
                    ),
                    Option(
                        "content-type",
                        "Its Content-Type, which names the patch format",
                        "A patch document means what its media type says it means.",
                    ),
                    Option(
                        "method",
                        "The method alone: PATCH always merges",
                        "The method says 'apply these changes'; the format says how.",
                    ),
                ),
                answer="content-type",
            ),
        ),
        # The same note from the same start, patched twice in each format.
        walkthrough=Walkthrough(
            setup=TODO_WITHOUT_TAGS,
            repeated=Exchange(
                "PATCH", "/api/notes/todo", "application/merge-patch+json", '{"tags": ["urgent"]}'
            ),
            # RFC 7396 §2: a merge patch gives each member's final value (or null to
            # remove it) and replaces arrays whole, so applying it twice equals once.
            # RFC 6902 §4.1: "add" to "/tags/-" appends, so it is not idempotent.
            lesson="It states final values, so every merge patch is idempotent: the second "
            'finds the tags already ["urgent"] and changes nothing.',
            label="the merge patch",
            title="JSON Merge Patch: the same state twice",
            tab="JSON Merge Patch",
            # The version is one more than the set-up left, which depends on the sandbox.
            outcomes=(
                FIRST_TAG_ADDED,
                Outcome(
                    HTTPStatus.OK,
                    "Unchanged: still [“urgent”], the same version.",
                    ('ETag: "v<n>-…", the same',),
                ),
            ),
            prediction=Prediction(
                "What will the second merge patch do to the note's tags?",
                (
                    Option(
                        "unchanged",
                        'Nothing more: they stay ["urgent"]',
                        "A merge patch sets final values, so applying it again changes nothing.",
                    ),
                    Option(
                        "appended",
                        'Append again: ["urgent", "urgent"]',
                        "A merge patch replaces an array whole; it never appends (RFC 7396 §2).",
                    ),
                    Option(
                        "404",
                        "Fail with 404: the note was already patched",
                        "The note is still there; a patch can be applied any number of times.",
                    ),
                ),
                answer="unchanged",
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
            lesson="Its add to /tags/- appends; the second PATCH adds a second tag and a new "
            "version. This PATCH is not idempotent.",
            label="the JSON Patch",
            title="JSON Patch: add to /tags/- twice",
            tab="JSON Patch",
            outcomes=(
                FIRST_TAG_ADDED,
                Outcome(
                    HTTPStatus.OK,
                    "Changed again: [“urgent”, “urgent”], one more version.",
                    ('ETag: "v<n+1>-…"',),
                ),
            ),
            # RFC 6902 §4.1 (add at "-" appends); RFC 9110 §9.2.2 (idempotent).
            prediction=Prediction(
                "What will the second add to /tags/- do to the note's tags?",
                (
                    Option(
                        "unchanged",
                        'Nothing more: they stay ["urgent"]',
                        "That is what a merge patch would do; a JSON Patch add appends.",
                    ),
                    Option(
                        "conflict",
                        "Fail with 409 Conflict: the tag is already there",
                        "add does not check for duplicates; only a test operation could refuse.",
                    ),
                    Option(
                        "appended",
                        'Append again: ["urgent", "urgent"]',
                        "add at the array's end appends each time it is applied: this PATCH "
                        "is not idempotent.",
                    ),
                ),
                answer="appended",
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
        try_it=TryIt(
            # RFC 9110 §9.3.7 (what the resource supports), §10.2.1 (Allow), §9.2.1 (safe:
            # the client asks for no change); Flask's provide_automatic_options.
            verdict="OPTIONS: Flask answered by itself, listing the methods in Allow, with "
            "no body.",
            notice=(
                "Allow lists the methods /echo supports.",
                "The echo's view does not handle OPTIONS: Flask computed the answer from the "
                "route's methods. (The CORS lab below has a view that does.)",
                "OPTIONS is safe: the request asked for no change on the server.",
            ),
            prediction=Prediction(
                "What will the answer list?",
                (
                    Option(
                        "all-methods",
                        "Every method HTTP defines",
                        "Allow is about this resource: /echo refuses CONNECT and TRACE.",
                    ),
                    Option(
                        "nothing",
                        "Nothing: OPTIONS is only for CORS preflights",
                        "Any client may ask which methods a URL allows; preflights are one use.",
                    ),
                    Option(
                        "allow",
                        "The methods /echo accepts, in Allow",
                        "Allow names the methods this resource supports.",
                    ),
                ),
                answer="allow",
            ),
        ),
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
