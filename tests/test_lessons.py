"""What the lessons say, checked against what the site does and what the RFCs say."""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.methods import METHODS, UNTAUGHT
from methodslab.pages.lessons import worked_example
from tests.app_config import config_for
from tests.html_text import visible_words

TEMPLATES = Path(__file__).parents[1] / "site" / "methodslab" / "templates" / "methods"
# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

# The lessons that are the same for every visitor, served from the page cache.
SHARED = [method.slug for method in METHODS if method.walkthrough is None]
# The Host every client here asks for: the curl commands on a page name it.
HOST = "http://127.0.0.1:8080"


def words(page: str) -> str:
    """Return a page's text as a reader sees it: no tags, entities decoded, spaces folded."""
    inline = re.sub(r"</?(?:a|code|em|span|strong)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def lesson(client: FlaskClient, slug: str) -> str:
    """Return the text of one lesson."""
    response = client.get(f"/methods/{slug}", base_url=HOST)
    assert response.status_code == 200
    return words(response.text)


# A.1: a page that is the same for everyone is the same in every worker and after a restart.


def test_shared_lessons_are_identical_in_two_apps(tmp_path: Path) -> None:
    first = create_app(config_for(tmp_path / "a")).test_client()
    second = create_app(config_for(tmp_path / "b")).test_client()

    for slug in SHARED:
        one = first.get(f"/methods/{slug}", base_url=HOST)
        worked_example.cache_clear()  # kept per process: the second app makes its own
        other = second.get(f"/methods/{slug}", base_url=HOST)
        assert one.data == other.data, slug
        assert one.headers["ETag"] == other.headers["ETag"]


RENDER_IN_A_NEW_PROCESS = """
import sys, tempfile
from pathlib import Path
from methodslab import create_app
from tests.app_config import config_for
from tests.html_text import visible_words
with tempfile.TemporaryDirectory() as folder:
    client = create_app(config_for(Path(folder))).test_client()
    for slug in sys.argv[1:]:
        print(client.get(f"/methods/{slug}", base_url="%s").headers["ETag"])
"""


def test_shared_lessons_have_the_same_etag_in_a_new_process(client: FlaskClient) -> None:
    # Another interpreter: its own hash seed, its own module state, as after a restart.
    ran = subprocess.run(
        [sys.executable, "-c", RENDER_IN_A_NEW_PROCESS % HOST, *SHARED],
        cwd=Path(__file__).parents[1],
        # This checkout's site/ first, as pytest.ini's pythonpath: the venv's .pth may name
        # another checkout's (a shared venv), whose lessons are not the ones tested here.
        env={"PYTHONHASHSEED": "random", "PYTHONPATH": "site"},
        capture_output=True,
        text=True,
        check=True,
    )

    etags = [client.get(f"/methods/{slug}", base_url=HOST).headers["ETag"] for slug in SHARED]
    assert ran.stdout.split() == etags


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_worked_example_masks_what_changes_per_response(client: FlaskClient, method) -> None:
    text = lesson(client, method.slug)

    assert "X-Request-ID: <a new random id for each response>" in text
    assert not re.search(r"X-Request-ID: [0-9a-f]{16}", text)


# B: the curl command and the exchange shown beside it say the same, honestly labelled.


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_curl_asks_for_json_like_the_exchange_shown(client: FlaskClient, method) -> None:
    text = lesson(client, method.slug)

    assert "-H 'Accept: application/json'" in text
    assert "Accept: application/json" in text.split("Example request")[-1]
    assert "This is the exchange that request makes" not in text
    assert "what this server answered to the equivalent request" in text
    assert "Date and Server" in text
    assert "User-Agent: Werkzeug/" in text


# A.2-A.8, B, C, D: the sentences each lesson must say, and the wrong ones it used to say.
LESSONS_SAY_WHAT_IS_TRUE = [
    pytest.param(
        "get",
        ["@bp.get(", 'methods=["GET"]'],
        ["lists no methods"],
        id="get_lesson_describes_the_route_it_shows",
    ),
    pytest.param(
        "get",
        [
            "throws a TypeError",
            "RFC 9110 says the same of content in a GET, a HEAD and a DELETE",
            "a client should not send one unless the server has said",
            "fetch() refuses a body on GET and HEAD but sends one on DELETE",
        ],
        ["will not send it at all", 'Why "No" here, but "May" for DELETE'],
        id="get_lesson_says_fetch_throws_for_a_body_and_why_the_table_splits",
    ),
    pytest.param(
        "head",
        [
            "It should send the same header fields as for GET",
            "it may leave out fields whose value it would only learn",
            "a server may answer HEAD without generating the content at all",
            "here only the transfer is saved",
            "never reads a body after a HEAD response, whatever Content-Length says",
        ],
        ["with the same status and header fields", "Only the transfer is saved"],
        id="head_lesson_says_should_and_may_omit",
    ),
    pytest.param(
        "put",
        [
            "must not carry an ETag or Last-Modified unless the server stored exactly",
            "its PUT responses carry no ETag",
            "changes nothing: same version, update time and ETag",
            "If-None-Match: * creates the note only if none exists yet",
            "curl -i -X PUT -H 'If-None-Match: *'",
        ],
        ["sends the note's ETag"],
        id="put_lesson_teaches_the_validator_rule_and_create_only",
    ),
    pytest.param(
        "patch",
        [
            "every merge patch is idempotent",
            "Every JSON Merge Patch is idempotent by construction",
            '"path": "/tags/-"',
        ],
        ["happens to be idempotent", "One that appended would not be"],
        id="patch_lesson_explains_idempotency_by_format",
    ),
    pytest.param(
        "delete",
        ["often 404 Not Found, and 410 Gone and a second 204 No Content are seen too"],
        ["usually 404"],
        id="delete_lesson_names_the_second_answers_seen",
    ),
    pytest.param(
        "put",
        ["a top-level GET, the browser does send it"],
        ["so other sites' forms and scripts do not get it sent"],
        id="sandbox_explains_what_samesite_lax_lets_through",
    ),
    pytest.param(
        "options",
        [
            "such as FOO / (or, here, TRACE /), gets 501 Not Implemented",
            "gets 405 Method Not Allowed, with Allow",
            "curl -i -X OPTIONS --request-target '*'",
        ],
        [],
        id="options_lesson_teaches_501_and_405",
    ),
    # Sentences an expert read found wrong or misleading, as they now read.
    pytest.param(
        "get",
        ["it asks for the current representation of a resource and asks for no change"],
        ["of a resource and changes nothing"],
        id="get_key_idea_says_it_asks_for_no_change",
    ),
    pytest.param(
        "get",
        [
            "Over HTTPS, both are encrypted, the URL's path and query included: a proxy sees "
            "only the host name it is asked to connect to",
            "the whole URL goes only to pages of the same origin, and another site gets just "
            "the origin, or nothing from HTTPS to HTTP",
        ],
        ["server and proxy logs, and Referer headers"],
        id="get_myth_says_what_proxies_and_referer_really_carry",
    ),
    pytest.param(
        "delete",
        [
            "a client should not send one unless the server has said it accepts one",
            "Not by default (only to a server that says it accepts one)",
        ],
        ["May (no defined meaning)"],
        id="delete_lesson_says_should_not_send_a_body",
    ),
    pytest.param(
        "post",
        ["May (usually; a 201 may have none, a 204 never does)"],
        [],
        id="post_table_says_a_response_may_have_no_content",
    ),
    pytest.param(
        "options",
        [
            "a page of another origin can never send this site's API a preflighted request",
            "Requests that need no preflight still arrive",
            "That is why the site's forms that change something carry a CSRF token",
            "The echo's view does not handle OPTIONS",
            "The CORS lab below has a view that does.",
            "within the browser's own limit",
        ],
        ["so no other origin may use this site's API", "No view on this site handles OPTIONS"],
        id="options_lesson_says_simple_requests_arrive_and_which_view_answers",
    ),
]

# The topics each lesson was missing, where a student meets them, each folded
# under "Going further" (the sentence a test finds there, and its source's number).
FOLDED_TOPICS = [
    pytest.param(
        "get", "The QUERY method, from RFC 10008, carries the query in its body", id="query"
    ),
    pytest.param("get", "answers 206 Partial Content, with Content-Range", id="range"),
    pytest.param("get", "asks again with If-Modified-Since and that date", id="date-conditions"),
    pytest.param("get", "the server names that header in Vary", id="vary"),
    pytest.param("post", "Idempotency-Key: 8e03978e", id="idempotency-keys"),
    pytest.param("post", "A POST that starts a long job can answer 202 Accepted", id="202"),
    pytest.param("post", "Expect: 100-continue and wait a moment", id="100-continue"),
    pytest.param("post", "answers 425 Too Early, and the client sends it again", id="425"),
    pytest.param("put", "428 Precondition Required to a write sent without one", id="428"),
    pytest.param("put", "If-Unmodified-Since with the Last-Modified time", id="unmodified-since"),
    pytest.param("put", "Equal to the request's URL, it means", id="content-location"),
    pytest.param("put", "Prefer: return=minimal for as little as possible", id="prefer"),
    pytest.param("put", "the answer is 202 Accepted: accepted, not yet done", id="202-put"),
    pytest.param(
        "options", "unless the answer lists more in Access-Control-Expose-Headers", id="expose"
    ),
    pytest.param("options", "Access-Control-Allow-Credentials: true and an", id="credentials"),
    pytest.param("options", "in a pseudo-header field, :method", id="h2-h3"),
    pytest.param("options", "in :status, with no reason phrase", id="no-reason-phrase"),
    pytest.param("options", "registered with IANA, in the HTTP Method Registry", id="registry"),
    pytest.param("options", "WebDAV (RFC 4918)", id="webdav"),
]


@pytest.mark.parametrize(("slug", "sentence"), FOLDED_TOPICS)
def test_missing_topics_are_taught_folded_under_going_further(
    client: FlaskClient, slug: str, sentence: str
) -> None:
    page = client.get(f"/methods/{slug}", base_url=HOST).text
    further = page[page.index('id="going-further"') : page.index('<details id="myths">')]

    assert sentence in words(further)
    assert sentence not in " ".join(visible_words(page))


@pytest.mark.parametrize(("slug", "says", "never_says"), LESSONS_SAY_WHAT_IS_TRUE)
def test_lessons_say_what_is_true(
    client: FlaskClient, slug: str, says: list[str], never_says: list[str]
) -> None:
    text = lesson(client, slug)

    assert [sentence for sentence in says if sentence not in text] == []
    assert [sentence for sentence in never_says if sentence in text] == []


# B: GET: safe versus idempotent.


def test_safe_and_idempotent_are_kept_apart(client: FlaskClient) -> None:
    for method in METHODS:
        assert "harmless (idempotent)" not in lesson(client, method.slug)
    text = lesson(client, "get")
    assert "what makes it safe, and why sending it is harmless" in text
    assert "safe implies idempotent, not the reverse" in text


# A.3, A.4, D: PUT.


def test_create_only_put_works_as_taught(client: FlaskClient) -> None:
    first = client.put("/api/notes/new", json={"text": "First!"}, headers={"If-None-Match": "*"})
    again = client.put("/api/notes/new", json={"text": "Again"}, headers={"If-None-Match": "*"})

    assert (first.status_code, again.status_code) == (201, 412)
    assert client.get("/api/notes/new").get_json()["text"] == "First!"


def test_walkthrough_reads_the_whole_note_after_each_step(client: FlaskClient) -> None:
    script = client.get("/static/walkthrough.js").text

    assert "readNote(noteAddress(sent.response" in script
    assert '["ETag", "Last-Modified"]' in script


# A.5, A.6, B, D: PATCH.


def test_patch_lesson_shows_both_formats_side_by_side(client: FlaskClient) -> None:
    page = client.get("/methods/patch", base_url=HOST).text
    text = words(page)

    for heading in ("JSON Merge Patch: the same state twice", "JSON Patch: add to /tags/- twice"):
        assert heading in text
    for button in ("Send the merge patch twice", "Send the JSON Patch twice"):
        assert f"data-run>{button}</button>" in page
    assert 'data-content-type="application/merge-patch+json"' in page
    assert 'data-content-type="application/json-patch+json"' in page
    # Both start from the same state of the same note.
    assert page.count('data-setup-path="/api/notes/todo"') == 2


def test_patch_lesson_says_this_api_does_not_create(client: FlaskClient) -> None:
    text = lesson(client, "patch")

    assert "unlike PUT, PATCH does not create" not in text
    assert "RFC 5789 allows a server to create the resource from a PATCH; this API does not" in (
        text
    )
    assert (
        client.patch(
            "/api/notes/absent", data='{"text": "x"}', content_type="application/merge-patch+json"
        ).status_code
        == 404
    )


def test_patch_myth_says_what_a_merge_patch_means(client: FlaskClient) -> None:
    text = lesson(client, "patch")

    assert "it is not a partial copy" not in text
    assert "does look like a partial copy of the resource, on purpose" in text
    for meaning in ("set to null is deleted", "left out is left alone", "replaced as a whole"):
        assert meaning in text


def test_patch_lesson_lists_its_errors_and_the_lower_case_trap(client: FlaskClient) -> None:
    text = lesson(client, "patch")

    for status in ("415 Unsupported Media Type", "422 Unprocessable Content", "409 Conflict"):
        assert status in text
    assert "412 Precondition Failed" in text and "Accept-Patch" in text
    assert 'method: "patch"' in text
    # What the lesson says the API does.
    assert "Accept-Patch" in client.options("/api/notes/shopping").headers
    assert client.patch("/api/notes/x", json={"text": "y"}).status_code == 415


# C, D: OPTIONS: the preflight, method names, CONNECT and TRACE.


def test_options_lesson_teaches_the_preflight(client: FlaskClient) -> None:
    text = lesson(client, "options")

    for fact in (
        "a POST of JSON, with Content-Type: application/json, is preflighted",
        "Origin: https://app.example",
        "Access-Control-Request-Method: PUT",
        "Access-Control-Request-Headers: content-type",
        "Access-Control-Allow-Methods",
        "never carries cookies or other credentials",
        "Flask's automatic OPTIONS answer carries Allow and no Access-Control-Allow-* field",
        "the preflight cache, for as long as Access-Control-Max-Age says, up to a limit of "
        "the browser's own (2 hours in Chromium, 24 hours in Firefox)",
    ):
        assert fact in text
    assert "Access-Control-Allow-Origin" not in client.options("/api/notes/x").headers


def test_options_lesson_teaches_method_names(client: FlaskClient) -> None:
    text = lesson(client, "options")

    assert "Method names are case-sensitive" in text
    assert 'method: "patch" goes out as patch' in text
    assert "It refuses CONNECT, TRACE and TRACK outright" in text
    assert "RFC 9110 defines eight methods" in text
    for other in UNTAUGHT:
        assert f"{other.name} ({other.spec})" in text
    assert "cross-site tracing" in text and "/echo shows a request back safely" in text


@pytest.mark.parametrize("other", UNTAUGHT, ids=lambda m: m.name)
def test_real_methods_without_a_lesson_say_so(client: FlaskClient, other) -> None:
    response = client.get(f"/methods/{other.slug}")

    assert response.status_code == 404
    text = words(response.text)
    assert f"{other.name} is a real HTTP method, defined in {other.spec}" in text
    assert other.why_not_here in text


def test_a_made_up_method_is_not_called_real(client: FlaskClient) -> None:
    response = client.get("/methods/foo")

    assert response.status_code == 404
    assert "is a real HTTP method" not in response.text
    assert "RFC 9110 also defines CONNECT and TRACE" in words(response.text)


# D: caches, forms, and the code that carries the behaviour.


@pytest.mark.parametrize("slug", ["post", "put", "patch", "delete"])
def test_unsafe_lessons_teach_invalidation(client: FlaskClient, slug: str) -> None:
    text = lesson(client, slug)

    assert f"a cache that passes on a successful {slug.upper()} response throws away" in text


@pytest.mark.parametrize("slug", ["post", "patch"])
def test_cached_post_and_patch_answer_only_get_and_head(client: FlaskClient, slug: str) -> None:
    text = lesson(client, slug)

    assert "only a later GET or HEAD" in text
    assert f"never another {slug.upper()}" in text


def test_post_lesson_teaches_form_encodings(client: FlaskClient) -> None:
    text = lesson(client, "post")

    for fact in (
        "multipart/form-data",
        "request.files",
        "text/plain",
        'formmethod="get"',
        "in nm=Ada+Lovelace but %20 in /success/Ada%20Lovelace",
    ):
        assert fact in text


@pytest.mark.parametrize(
    ("slug", "functions"),
    [
        ("get", ["lesson", "cached_page"]),
        ("post", ["login", "create_note", "note_response"]),
        ("put", ["put_note", "note_response", "precondition"]),
        (
            "patch",
            [
                "patch_note",
                "read_document",
                "merged",
                "patched",
                "advertise_patch_format",
                "note_response",
            ],
        ),
        ("delete", ["delete_note", "precondition"]),
    ],
)
def test_lessons_show_the_helpers_that_carry_the_behaviour(
    client: FlaskClient, slug: str, functions: list[str]
) -> None:
    page = client.get(f"/methods/{slug}").text

    for name in functions:
        assert f'aria-label="Source of {name}"' in page
        assert f"def {name}(" in page


# The lesson templates branch on blocks, not on method names, and say each thing once.


def test_lesson_templates_do_not_branch_on_method_names() -> None:
    for name in ("lesson.html", "_sandbox.html"):
        source = (TEMPLATES / name).read_text()
        assert not re.search(r"method\.name\s*(==|in\b)", source), name
        assert ".word ==" not in source, name


@pytest.mark.parametrize(
    "markup", ['name="_method"', '<dl class="myths">', '<table class="compare"', 'id="try-body"']
)
def test_lesson_markup_is_written_once(markup: str) -> None:
    found = [path.name for path in TEMPLATES.glob("*.html") if markup in path.read_text()]

    assert len(found) == 1, found


def test_safe_is_never_used_loosely_beside_idempotent(client: FlaskClient) -> None:
    # "Safe" is a defined property (RFC 9110 §9.2.1); a retry that does no harm is idempotency.
    for method in METHODS:
        text = lesson(client, method.slug)
        assert "can safely send it again" not in text
        assert "is only safe when" not in text


TRY_IT = re.compile(r'<section aria-labelledby="try-it".*?</section>', re.S)
OVERRIDE_FORM = re.compile(
    r'<form class="override-form" method="post"\s+action="([^"]+)">(.*?)</form>', re.S
)
FIELD = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


@pytest.mark.parametrize(
    ("slug", "outcomes"),
    [
        ("put", ["PUT /api/notes/groceries → 201 Created"]),
        (
            "delete",
            ["PUT /api/notes/scratch → 201 Created", "DELETE /api/notes/scratch → 204 No Content"],
        ),
    ],
)
def test_a_sandbox_try_it_works_without_javascript(
    client: FlaskClient, slug: str, outcomes: list[str]
) -> None:
    """Its forms send the method as an override, 303 back to the panel, which shows the answer."""
    panel = TRY_IT.search(client.get(f"/methods/{slug}").text)
    assert panel is not None
    forms = OVERRIDE_FORM.findall(panel[0])
    assert len(forms) == len(outcomes)
    for (action, form), outcome in zip(forms, outcomes, strict=True):
        fields = {name: html.unescape(value) for name, value in FIELD.findall(form)}
        answer = client.post(action, data=fields)

        assert answer.status_code == 303
        assert answer.headers["Location"] == f"/methods/{slug}#try-it"
        page = client.get(f"/methods/{slug}").text
        shown = TRY_IT.search(page)
        assert shown is not None and outcome in html.unescape(shown[0])
        assert outcome not in html.unescape(page.replace(shown[0], ""))  # nowhere else
