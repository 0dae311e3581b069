"""Challenges the server checks: things to make this site answer, ticked from its own answers.

A challenge is met by requests the server received with the visitor's cookie and
the answers it gave them, never by a page or a client saying so. ``observe`` looks
at every answer as it leaves (an after-request hook, registered in create_app so
that it runs once the answer is final, 304s included); the few answers that are a
step of a challenge are written down for the visitor's sandbox
(notes/challenge_log.py). Only visitors who have opened /challenges are observed,
which the session says, so the rest of the site pays for one dictionary lookup.

Each challenge is strict about what counts: a 304 needs a validator the request
sent that matched, "update only if unchanged" needs a 412 from an If-Match naming an
entity tag the note no longer has and then a conditional write that succeeds, and
so on; tests/test_challenges.py tries the near misses. The facts behind each
sentence are noted beside it (RFC 9110 sections).
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, render_template, request, session
from flask.globals import request_ctx
from werkzeug.datastructures import ETags

from methodslab.notes.api import client_network, sandbox_for_writing
from methodslab.notes.challenge_log import MET, ChallengeLog
from methodslab.notes.store import NoteStore, NoteStoreError
from methodslab.pages.progress import PATH

bp = Blueprint("challenges", __name__)

#: The session key of the challenges met so far: there once the visitor opened /challenges.
MET_KEY = "challenges"
RFC_9110 = "https://www.rfc-editor.org/rfc/rfc9110.html"
FETCH_PREFLIGHT = "https://fetch.spec.whatwg.org/#cors-preflight-fetch"


@dataclass(frozen=True)
class Challenge:
    """Something to make the server answer, and how to find out how."""

    id: str
    title: str
    #: What counts, in one or two sentences.
    task: str
    #: The hint: the idea behind it, with its source.
    hint: str
    #: What the hint rests on: (label, anchor of RFC 9110's section, or a whole address).
    sources: tuple[tuple[str, str], ...]
    #: Terminal commands that meet it, with $COOKIE and $SITE for the visitor's own.
    commands: tuple[str, ...]
    #: The lessons that end with a link to it.
    lessons: tuple[str, ...]
    #: A button that meets it without JavaScript: a plain form's POST to this page.
    post_button: str = ""

    def source_links(self) -> Iterator[tuple[str, str]]:
        """Return each source's label and address: a section of RFC 9110, or a whole address."""
        for label, anchor in self.sources:
            if anchor.startswith("https:"):
                yield label, anchor
            else:
                yield f"RFC 9110 {label}", f"{RFC_9110}#{anchor}"


CHALLENGES = (
    Challenge(
        "not-modified",
        "Get a 304 Not Modified",
        "Ask again for a page you already have, sending its entity tag in If-None-Match, "
        "and get 304 Not Modified instead of the page.",
        # §13.1.2: If-None-Match with a current tag fails for GET, and the answer is 304;
        # §15.4.5: a 304 has no content. Pages carry weak tags, compared weakly (§8.8.3.2).
        "Every lesson page carries an ETag. Send it back in If-None-Match: while it still "
        "names the page as it is, the server answers 304, with no content, instead of "
        "sending the page again. Your browser does this itself when it reloads a lesson.",
        (("§13.1.2 If-None-Match", "section-13.1.2"), ("§15.4.5 304", "section-15.4.5")),
        (
            'curl -sI -b "$COOKIE" "$SITE/methods/get" | grep -i etag',
            "curl -sI -b \"$COOKIE\" -H 'If-None-Match: <the ETag it printed, W/ and all>' "
            '"$SITE/methods/get"',
        ),
        ("get",),
    ),
    Challenge(
        "range",
        "Read part of a document",
        "Ask for a range of bytes of one of the site's files and get 206 Partial Content.",
        # §14.2 Range, §14.4 Content-Range, §15.3.7 206 Partial Content.
        "Range: bytes=0-99 asks for the first hundred bytes. A server that serves ranges of "
        "the resource answers 206 Partial Content, and Content-Range says which bytes of how "
        "many it sent. This site serves ranges of its static files, such as its stylesheet.",
        (("§14.2 Range", "section-14.2"), ("§15.3.7 206", "section-15.3.7")),
        ('curl -si -b "$COOKIE" -H "Range: bytes=0-99" "$SITE/static/style.css"',),
        ("get",),
    ),
    Challenge(
        "head",
        "Get a note's header fields without its content",
        "Ask for one of your notes with HEAD and get 200 OK with no content.",
        # §9.3.2: HEAD is GET without the content; the header fields are the same.
        "HEAD asks for what GET would answer, header fields and all, without the content. "
        "The note must exist: create one first (the PUT challenge makes one called twice).",
        (("§9.3.2 HEAD", "section-9.3.2"),),
        ('curl -sI -b "$COOKIE" "$SITE/api/notes/twice"',),
        ("head",),
    ),
    Challenge(
        "post-location",
        "Create a note with POST, then follow its Location",
        "POST a note to the collection, then GET the URL its 201 Created answer names.",
        # §9.3.3 POST, §15.3.2 201 Created, §10.2.2 Location.
        "A POST to /api/notes makes a note under an id the server chooses. The 201 Created "
        "answer names the new note's URL in its Location field: ask for that URL with GET.",
        (("§15.3.2 201", "section-15.3.2"), ("§10.2.2 Location", "section-10.2.2")),
        (
            'curl -si -b "$COOKIE" -H "Content-Type: application/json" '
            '--data \'{"text": "Posted"}\' "$SITE/api/notes"',
            'curl -si -b "$COOKIE" "$SITE/api/notes/the-id-in-Location"',
        ),
        ("post",),
    ),
    Challenge(
        "unsupported-type",
        "Get a 415, then fix the request",
        "Send a note in a format the notes API does not take, then send the same method to "
        "the same URL again as JSON, and succeed.",
        # §8.3 Content-Type, §15.5.16 415 Unsupported Media Type.
        "Content-Type names the format of a request's content. The notes API reads "
        "application/json, and answers 415 Unsupported Media Type to any other format. "
        "The plain form of the request builder sends form fields, which are not JSON.",
        (("§8.3 Content-Type", "section-8.3"), ("§15.5.16 415", "section-15.5.16")),
        (
            'curl -si -b "$COOKIE" -H "Content-Type: text/plain" --data "Buy milk" '
            '"$SITE/api/notes"',
            'curl -si -b "$COOKIE" -H "Content-Type: application/json" '
            '--data \'{"text": "Buy milk"}\' "$SITE/api/notes"',
        ),
        ("anatomy", "post"),
    ),
    Challenge(
        "put-twice",
        "Create a note with PUT, then send the same PUT again",
        "PUT a new note (201 Created), then send the very same PUT, same URL and same body, "
        "again (200 OK).",
        # §9.2.2: idempotent, the intended effect of several is that of one; §9.3.4 PUT.
        "PUT is idempotent: sending it twice leaves the note as sending it once did. The "
        "first PUT creates the note, so the answer is 201 Created; the second replaces it "
        "with what it already holds, so the answer is 200 OK. If the note is there already, "
        "delete it first, or pick another id.",
        (("§9.2.2 Idempotent methods", "section-9.2.2"), ("§9.3.4 PUT", "section-9.3.4")),
        (
            'curl -si -b "$COOKIE" -X PUT -H "Content-Type: application/json" '
            '--data \'{"text": "Twice"}\' "$SITE/api/notes/twice"',
            "# the same command again",
        ),
        ("put",),
    ),
    Challenge(
        "conditional-update",
        "Update a note only if nobody changed it since you read it",
        "Have a write refused with 412 Precondition Failed because the note changed after "
        "you read it, then read it again and make the write succeed with If-Match.",
        # §13.1.1 If-Match (strong comparison), §15.5.13 412; §3.4 lost updates is
        # what it prevents (§13.1.1: "to prevent the lost update problem").
        "Use a note of yours, such as twice from the PUT challenge. Read it and keep its "
        "ETag. Change the note another way (another PUT). Now "
        "send your PUT with If-Match and the tag you kept: the note no longer has it, so "
        "the server refuses with 412 and changes nothing. Read the note again and send "
        "your PUT with its new tag: it succeeds. If-Match: * does not count: it matches "
        "any version.",
        (("§13.1.1 If-Match", "section-13.1.1"), ("§15.5.13 412", "section-15.5.13")),
        (
            'curl -si -b "$COOKIE" "$SITE/api/notes/twice" | grep -i etag',
            'curl -si -b "$COOKIE" -X PUT -H "Content-Type: application/json" '
            '--data \'{"text": "Changed"}\' "$SITE/api/notes/twice"',
            'curl -si -b "$COOKIE" -X PUT -H "Content-Type: application/json" '
            '-H \'If-Match: "the tag you kept"\' --data \'{"text": "Mine"}\' '
            '"$SITE/api/notes/twice"',
        ),
        ("put", "patch"),
    ),
    Challenge(
        "delete-twice",
        "Delete a note twice",
        "Delete a note (204 No Content), then send the same DELETE again (404 Not Found).",
        # §9.2.2: idempotence is about the intended effect on the server, not the answer;
        # §9.3.5 DELETE; §15.5.5 404.
        "The first DELETE removes the note. The second finds nothing to remove, so the "
        "answer is 404 Not Found. DELETE is still idempotent: idempotence is about the "
        "state the requests leave on the server, no note, not about getting the same "
        "answer each time.",
        (("§9.2.2 Idempotent methods", "section-9.2.2"), ("§9.3.5 DELETE", "section-9.3.5")),
        ('curl -si -b "$COOKIE" -X DELETE "$SITE/api/notes/twice"', "# the same command again"),
        ("delete",),
    ),
    Challenge(
        "allowed-methods",
        "Make the server tell you which methods a URL allows",
        "Get an answer whose Allow field lists a URL's methods: to OPTIONS, or a 405.",
        # §9.3.7 OPTIONS, §10.2.1 Allow, §15.5.6 405 (which carries Allow).
        "OPTIONS asks what a URL supports, and the answer's Allow field lists its methods. "
        "A 405 Method Not Allowed carries the same list: this page allows GET, HEAD and "
        "OPTIONS only, so the button below, a plain form's POST, gets one.",
        (("§9.3.7 OPTIONS", "section-9.3.7"), ("§15.5.6 405", "section-15.5.6")),
        ('curl -si -b "$COOKIE" -X OPTIONS "$SITE/api/notes/twice"',),
        ("options",),
        post_button="Send POST to this page",
    ),
    Challenge(
        "not-implemented",
        "Get a 501 Not Implemented",
        "Send a method that this server implements for no URL at all.",
        # §9.1: an unrecognized or unimplemented method SHOULD get 501; method names are
        # case-sensitive. §15.6.2 501.
        "A server should answer 501 Not Implemented to a method it does not recognise or "
        "implement; this one does so for a method no URL of it takes. A method it "
        "implements that one URL does not allow gets 405 instead. Method "
        "names are case-sensitive, and you may make one up. A plain HTML form can send "
        "only GET and POST: use the request builder with JavaScript, or a terminal.",
        (("§9.1 Methods", "section-9.1"), ("§15.6.2 501", "section-15.6.2")),
        ('curl -si -b "$COOKIE" -X BREW "$SITE/challenges"',),
        ("options",),
    ),
    Challenge(
        "preflight",
        "Make the browser send a preflight",
        "Run a request of the CORS lab that the browser must ask about first.",
        # Fetch Standard, "CORS-preflight request": OPTIONS with Origin and
        # Access-Control-Request-Method, sent by the browser, without cookies.
        "Before a page sends another origin a request that is not simple, such as a PUT or "
        "one with a header of its own, the browser asks with an OPTIONS preflight naming "
        "the method in Access-Control-Request-Method. The browser sends no cookie with a "
        "preflight, so the lab records it under its run, and the tick comes when the lab "
        "page reads that run back with your cookie. A terminal can imitate a preflight: "
        "the server sees requests, not who wrote them.",
        (
            ("Fetch Standard, CORS-preflight fetch", FETCH_PREFLIGHT),
            ("§9.3.7 OPTIONS", "section-9.3.7"),
        ),
        (),
        ("options",),
    ),
)
CHALLENGES_BY_ID = {challenge.id: challenge for challenge in CHALLENGES}


@dataclass(frozen=True)
class Step:
    """A step of a challenge an answer shows; ``after``: the step that must come first."""

    challenge: str
    step: str
    detail: str
    after: str | None = None


def init_challenges(app: Flask) -> None:
    """Keep each challenge step the site's answers show, for visitors doing the challenges."""
    app.extensions["challenges"] = ChallengeLog(app.extensions["notes"])
    app.after_request(observe)


def observe(response: Response) -> Response:
    """Write down the challenge steps ``response`` shows, for a visitor doing the challenges."""
    # Read without marking the session as read, which would add Vary: Cookie to the
    # answer: watching an answer must not change it. Flask's request_ctx.session marks
    # it (Flask 3.1, ctx.py), so the context's own attribute, and dict's own methods.
    kept = getattr(request_ctx, "_session", None)
    if not isinstance(kept, dict) or MET_KEY not in kept:
        return response
    sandbox = dict.get(kept, "sandbox")
    if not isinstance(sandbox, str):
        return response
    shown = steps_shown(response, sandbox)
    if not shown:
        return response
    log: ChallengeLog = current_app.extensions["challenges"]
    try:
        for step in shown:
            log.record(
                sandbox, client_network(), step.challenge, step.step, step.detail, step.after
            )
    except (NoteStoreError, log.store.database.driver_error):
        # The answer is made and stays as it is; only the step goes uncounted.
        current_app.logger.warning("A challenge step could not be recorded.")
    return response


#: The notes API's views of one note, by method.
NOTE_VIEWS = {
    "notes.get_note": ("GET", "HEAD"),
    "notes.put_note": ("PUT",),
    "notes.patch_note": ("PATCH",),
    "notes.delete_note": ("DELETE",),
}
#: The views that read a note from the request's content.
WRITING_VIEWS = ("notes.post_to_collection", "notes.put_note", "notes.patch_note")


def steps_shown(response: Response, sandbox: str) -> list[Step]:
    """Return the challenge steps this request and its answer show, most often none."""
    method = request.environ["REQUEST_METHOD"]
    status = response.status_code
    answer = f"{method} {request.path} → {status}"
    steps = []
    # RFC 9110 §13.1.2, §13.1.3: a 304 answers a validator that matched.
    if status == 304 and (
        "If-None-Match" in request.headers or "If-Modified-Since" in request.headers
    ):
        steps.append(Step("not-modified", MET, answer))
    # §14.2, §14.4: the range asked for, sent with the part of how many bytes it is.
    if status == 206 and "Range" in request.headers and "Content-Range" in response.headers:
        steps.append(Step("range", MET, answer))
    # §10.2.1: Allow, to OPTIONS on a URL (not "*", the whole server), or with a 405.
    if "Allow" in response.headers and (
        status == 405 or (method == "OPTIONS" and status < 300 and not asks_the_server())
    ):
        steps.append(Step("allowed-methods", MET, answer))
    # §9.1, §15.6.2: the site answers 501 only to a method no URL of it implements
    # (web/methods_guard.py).
    if status == 501:
        steps.append(Step("not-implemented", MET, answer))
    endpoint = request.endpoint or ""
    if endpoint in WRITING_VIEWS:
        steps.extend(type_steps(method, status, answer))
    if endpoint in NOTE_VIEWS and method in NOTE_VIEWS[endpoint]:
        note_id = (request.view_args or {}).get("note_id", "")
        steps.extend(note_steps(method, status, note_id, sandbox, answer))
    if endpoint == "notes.post_to_collection" and method == "POST" and status == 201:
        note_id = response.headers.get("Location", "").rpartition("/")[2]
        steps.append(Step("post-location", f"posted:{note_id}", answer))
    if endpoint == "cors_lab.exchanges" and status == 200 and holds_preflight():
        steps.append(Step("preflight", MET, f"{answer}: the run holds a preflight"))
    return steps


def asks_the_server() -> bool:
    """Tell whether the request target is "*", OPTIONS about the whole server (RFC 9112 §3.2.4)."""
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO")
    return target == "*"


def type_steps(method: str, status: int, answer: str) -> list[Step]:
    """Return the steps of the 415 challenge: refused for its type, then the same sent right."""
    where = f"{method} {request.path}"
    if status == 415:
        return [Step("unsupported-type", f"refused:{where}", answer)]
    if 200 <= status < 300:
        return [Step("unsupported-type", MET, answer, after=f"refused:{where}")]
    return []


def note_steps(method: str, status: int, note_id: str, sandbox: str, answer: str) -> list[Step]:
    """Return the steps an answer about one note shows."""
    if method == "HEAD" and status == 200:  # §9.3.2
        return [Step("head", MET, answer)]
    if method == "GET" and status == 200:
        return [Step("post-location", MET, answer, after=f"posted:{note_id}")]
    if method == "DELETE" and status == 204:  # §9.3.5, then §15.5.5 for the second
        return [Step("delete-twice", f"deleted:{note_id}", answer)]
    if method == "DELETE" and status == 404:
        return [Step("delete-twice", MET, answer, after=f"deleted:{note_id}")]
    steps = []
    if method == "PUT" and status in (200, 201, 204):
        # §9.2.2: the same request again, so the same content, byte for byte.
        sent = f"{note_id}:{hashlib.sha256(request.get_data()).hexdigest()[:16]}"
        if status == 201:
            steps.append(Step("put-twice", f"created:{sent}", answer))
        else:
            steps.append(Step("put-twice", MET, answer, after=f"created:{sent}"))
    tags = request.if_match
    if method in ("PUT", "PATCH") and "If-Match" in request.headers and not tags.star_tag:
        # §13.1.1: a 412 because the note has another tag now; a 2xx because it matched.
        if status == 412 and note_changed(sandbox, note_id, tags):
            steps.append(Step("conditional-update", f"refused:{note_id}", answer))
        elif 200 <= status < 300:
            steps.append(Step("conditional-update", MET, answer, after=f"refused:{note_id}"))
    return steps


def note_changed(sandbox: str, note_id: str, tags: ETags) -> bool:
    """Tell whether ``tags`` name an earlier version of the note, which has changed since.

    A tag the note never had is a near miss: the refusal must come from a change.
    """
    notes: NoteStore = current_app.extensions["notes"]
    note = notes.get(sandbox, note_id)
    if note is None or not note.life:
        return False
    # The note's tags are v<version>-<life> (notes/store.py): an earlier one of this life.
    for tag in tags.as_set():
        version, dash, life = tag.removeprefix("v").partition("-")
        if dash and life == note.life and version.isdigit() and 0 < int(version) < note.version:
            return True
    return False


def holds_preflight() -> bool:
    """Tell whether the CORS lab run the request names holds a preflight the lab received."""
    run = (request.view_args or {}).get("run", "")
    return any(
        exchange["request"]["line"].startswith("OPTIONS ")
        and {"Origin", "Access-Control-Request-Method"}
        <= {name for name, _ in exchange["request"]["headers"]}
        for exchange in current_app.extensions["cors_lab"].exchanges(run)
    )


def met_challenges() -> dict[str, str]:
    """Return the challenges the visitor has met, each with the answer that met it.

    The server's record for their sandbox, joined with those kept in their session,
    which outlive a sandbox deleted when idle. Newly met ones are kept there too.
    """
    log: ChallengeLog = current_app.extensions["challenges"]
    sandbox = session.get("sandbox")
    recorded = log.met(sandbox) if isinstance(sandbox, str) else {}
    kept = session.get(MET_KEY)
    kept_ids = [name for name in kept if name in CHALLENGES_BY_ID] if isinstance(kept, list) else []
    met = {name: "" for name in kept_ids} | recorded
    if MET_KEY in session and sorted(met) != sorted(kept_ids):
        session[MET_KEY] = sorted(met)
    return met


def lesson_challenges(slug: str) -> list[Challenge]:
    """Return the challenges a lesson ends with."""
    return [challenge for challenge in CHALLENGES if slug in challenge.lessons]


def challenge_ticks() -> tuple[int, int, list[Challenge]]:
    """Return how many challenges the visitor has met, of how many, and which they are."""
    if MET_KEY not in session:
        return 0, len(CHALLENGES), []
    met = met_challenges()
    return len(met), len(CHALLENGES), [c for c in CHALLENGES if c.id in met]


@bp.get("/challenges")
def index() -> Response:
    """Show the challenges, each ticked when the server has seen it met."""
    sandbox_for_writing()
    if MET_KEY not in session:
        session[MET_KEY] = []
    met = met_challenges()
    html = render_template(
        "challenges.html",
        challenges=CHALLENGES,
        met=met,
        cookie=cookie_for_curl(),
        site=request.host_url.rstrip("/"),
        lesson_names=lesson_names(),
    )
    response = Response(html, mimetype="text/html")
    # RFC 9111 §5.2.2.5: no cache, the browser's own included, stores it: stricter than
    # personal_page's private, no-cache, as it shows the visitor's cookie (site/SECURITY.md).
    response.headers["Cache-Control"] = "no-store"
    return response


def cookie_for_curl() -> str:
    """Return the visitor's cookie as they will hold it: the one they sent, or the new one.

    Signed anew only when this answer changes the session: a signature carries the time
    it was made, and the page should not change with every second.
    """
    name = current_app.config["SESSION_COOKIE_NAME"]
    sent = request.cookies.get(name)
    if sent and not session.modified:
        return f"{name}={sent}"
    signer = current_app.session_interface.get_signing_serializer(current_app)  # type: ignore[attr-defined]
    return f"{name}={signer.dumps(dict(session))}"


def lesson_names() -> dict[str, tuple[str, str]]:
    """Return each lesson's name and address, by its slug."""
    return {step.slug: (step.name, step.url) for step in PATH}
