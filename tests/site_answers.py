"""Every answer the site gives, in every state a visitor can reach, for the standards tests.

The pages reached by address are the browser suite's (``e2e/site_pages.py``), the URLs of
every kind the CORS tests' (``SITE_URLS``); the states no address reaches (a graded
self-check, a sandbox with notes, progress kept, each error) are made with the fast tests'
own helpers. A recording test client keeps every answer on the way, redirects and API
answers included.
"""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from e2e.site_pages import SITE_PAGES
from methodslab.methods import METHODS
from methodslab.pages.grading import MAX_ANSWERS_BYTES
from methodslab.self_checks import SELF_CHECKS, WARM_UPS
from methodslab.web.request_limits import MAX_HEADER_FIELDS, MAX_REQUEST_LINE_BYTES
from tests.self_check_forms import form_for
from tests.test_cors_lab import PREFLIGHT, SITE_URLS, lab_url
from tests.test_notes import JSON_PATCH, MERGE_PATCH, csrf_token, put
from tests.test_progress import SAME_ORIGIN, start

# What browsers and programs send, compression included: answers are judged as they get them.
BROWSER = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br, zstd",
}
PROGRAM = {"Accept": "application/json", "Accept-Encoding": "gzip, br"}
# Words, as a long address would have (the page shows it, and the HTML checker guesses the
# page's language from its text).
LONG_TARGET = "/search?q=" + "+".join(["what", "does", "this", "page", "say"] * 400)
assert len(LONG_TARGET) > MAX_REQUEST_LINE_BYTES


@dataclass(frozen=True)
class Exchange:
    """One request the site answered, and the answer as the application sent it."""

    method: str
    target: str  # the path and query, as sent
    request_headers: list[tuple[str, str]]
    response: TestResponse
    received: float  # when, by time.time(): httplint compares the Date field with it

    def __str__(self) -> str:
        target = self.target if len(self.target) < 80 else f"{self.target[:60]}…"
        return f"{self.method} {target} -> {self.response.status}"


class RecordingClient(FlaskClient):
    """A test client that keeps every exchange it makes, each redirect it follows too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exchanges: list[Exchange] = []

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        """Send the request, following redirects if asked, and keep each exchange."""
        response = super().open(*args, **kwargs)
        received = time.time()
        for answer in [*response.history, response]:
            request = answer.request
            target = request.full_path if request.query_string else request.path
            headers = list(request.headers.items())
            self.exchanges.append(Exchange(request.method, target, headers, answer, received))
        return response


def every_exchange(app: Flask) -> list[Exchange]:
    """Visit every page, state, asset and API answer of ``app``; return what came back."""
    app.test_client_class = RecordingClient
    visits = (
        visit_pages,
        visit_personal_states,
        visit_errors,
        visit_assets,
        visit_api,
        visit_class,
    )
    clients: list[RecordingClient] = []
    for visit in visits:  # each as a new visitor, with no cookie yet
        client = app.test_client()
        assert isinstance(client, RecordingClient)
        visit(client)
        clients.append(client)
    return [exchange for client in clients for exchange in client.exchanges]


def visit_pages(client: FlaskClient) -> None:
    """Open every page a visitor reaches by address, as a browser and (errors) as a program."""
    for path in dict.fromkeys(page.path for page in SITE_PAGES):
        client.get(path, headers=BROWSER)
    for path in SITE_URLS:
        client.get(path, headers=PROGRAM)
        client.head(path, headers=BROWSER)
    client.get("/teachers", headers=BROWSER)
    client.get("/labs/cors/frame", headers=BROWSER)
    for check in (*SELF_CHECKS, *WARM_UPS):  # a self-check's page before any answer
        client.get(check_url(check.key), headers=BROWSER)
    for version in ("a", "b"):  # the printed quiz and its answer key
        client.get(f"/teachers/quiz/{version}", headers=BROWSER)
        client.get(f"/teachers/quiz/{version}/answers", headers=BROWSER)
    # The welcome page after each login form (Post/Redirect/Get), and a page revalidated.
    client.post("/login", data={"nm": "Ada Lovelace"}, headers=BROWSER, follow_redirects=True)
    client.get("/login?nm=Grace", headers=BROWSER, follow_redirects=True)
    home = client.get("/", headers=BROWSER)
    client.get("/", headers={**BROWSER, "If-None-Match": home.headers["ETag"]})


def visit_personal_states(client: FlaskClient) -> None:
    """Make the pages a visitor sees alone: progress kept, self-checks graded, notes kept."""
    start(client)
    for check in (*SELF_CHECKS, *WARM_UPS):
        url = check_url(check.key)
        # Each on the questions the page shows now (read uncompressed, as the test reads it).
        read = {"Accept": BROWSER["Accept"]}
        for answer in ("right", "wrong"):
            form = form_for(client.get(url, headers=read).text, url)
            fields = form.right() if answer == "right" else form.wrong()
            client.post(url, data=fields, headers=BROWSER, follow_redirects=True)
        form = form_for(client.get(url, headers=read).text, url)
        client.post(url, data=form.right(), headers=PROGRAM)  # shown in place
    put(client, "shopping", "Milk, eggs")
    token = csrf_token(client)
    fields = {"_method": "PATCH", "_csrf": token, "lesson": "patch", "text": "Bread"}
    client.post("/api/notes/shopping", data=fields, headers=BROWSER, follow_redirects=True)
    # A Try it panel's form without JavaScript: its outcome flashed in the panel.
    fields = {"_method": "PUT", "_csrf": token, "lesson": "put", "back": "try-it", "text": "Milk"}
    client.post("/api/notes/groceries", data=fields, headers=BROWSER, follow_redirects=True)
    for method in METHODS:
        client.get(f"/methods/{method.slug}", headers=BROWSER)
    # Your turn: a note created, then a condition that fails (412), each explained.
    for fields in ({"text": "Mine", "tags": "a, b"}, {"condition": "If-None-Match"}):
        turn = {"_method": "PUT", "_csrf": token, "note_id": "mine", "condition_value": "*"}
        client.post(
            "/methods/put/your-turn", data=turn | fields, headers=BROWSER, follow_redirects=True
        )
    filled = "method=PUT&url=/api/notes/mine&header=Accept:+application/json&body=%7B%7D"
    client.get(f"/builder?{filled}", headers=BROWSER)

    # The challenges and the summary with challenges met (a 405, then a 501).
    client.get("/challenges", headers=BROWSER)
    client.post("/challenges", headers=BROWSER)
    client.open("/challenges", method="BREW", headers=BROWSER)
    client.get("/challenges", headers=BROWSER)
    client.get("/summary", headers=BROWSER)
    client.get("/progress/reset?lesson=get", headers=BROWSER)  # asks first
    client.post("/progress/reset", data={"lesson": "get"}, headers=SAME_ORIGIN)


def visit_class(client: FlaskClient) -> None:
    """Start a class, join it, answer and predict in it, read its dashboard, export it, close it."""
    read = {"Accept": BROWSER["Accept"]}  # uncompressed, to read the code off the page
    teacher = client.post("/classes", headers=read, follow_redirects=True)
    link = teacher.request.path
    code = teacher.text.split('class="class-code">', 1)[1].split("<", 1)[0]
    client.get(f"/join/{code.replace('-', '')}", headers=BROWSER)
    client.post("/join", data={"code": code, "nickname": "Ada <&>"}, headers=BROWSER)
    client.get("/join", headers=BROWSER)
    url = check_url("get")
    form = form_for(client.get(url, headers=read).text, url)
    client.post(url, data=form.wrong(), headers=BROWSER, follow_redirects=True)
    prediction = {"lesson": "put", "prediction": "try", "choice": 0}
    client.post("/class/predictions", json=prediction, headers=PROGRAM)
    client.get(link, headers=BROWSER)
    live = client.get(f"{link}/live", headers=BROWSER)
    client.get(f"{link}/live", headers={**BROWSER, "If-None-Match": live.headers["ETag"]})
    client.get(f"{link}/export.csv", headers=BROWSER)
    client.post("/join", data={"code": "ZZZZZZ"}, headers=BROWSER)  # 404, with the form
    client.post(link, data={"_method": "DELETE"}, headers=BROWSER, follow_redirects=True)
    client.post("/join", data={"code": code}, headers=BROWSER)  # 410


def visit_errors(client: FlaskClient) -> None:
    """Provoke each error the site explains, as a browser and as a program."""
    for headers in (BROWSER, PROGRAM):
        client.get("/login?nm=+++", headers=headers)  # 400
        client.get("/bad%zzescape", headers=headers)  # 400
        forged = {"_method": "DELETE", "_csrf": "guess"}
        client.post("/api/notes/n", data=forged, headers=headers)  # 403
        client.get("/no/such/page", headers=headers)  # 404
        client.post("/", headers={**headers, "Referer": "http://localhost/get-vs-post"})  # 405
        client.patch("/api/notes", headers=headers)  # 405
        big = {"answers": "x" * (MAX_ANSWERS_BYTES + 1)}
        client.post(check_url("get"), data=big, headers=headers)  # 413
        client.get(LONG_TARGET, headers=headers)  # 414
        client.put("/api/notes/n", data="x", content_type="text/plain", headers=headers)  # 415
        client.put("/api/notes/n", json={"tags": []}, headers=headers)  # 422
        many = {f"X-Field-{number}": "1" for number in range(MAX_HEADER_FIELDS + 1)}
        client.get("/", headers={**headers, **many})  # 431
        client.open("/", method="TRACE", headers=headers)  # known, implemented on no URL
        client.open("/", method="BREW", headers=headers)  # 501


def visit_assets(client: FlaskClient) -> None:
    """Fetch every static file by the fingerprinted URL pages link to, and by its bare one."""
    app = client.application
    with app.test_request_context():
        files = sorted(path.name for path in Path(app.static_folder or "").iterdir())
        urls = [url_for("static", filename=name) for name in files]
    for url in urls:
        client.get(url, headers=BROWSER)
        client.get(url.partition("?")[0], headers=BROWSER)
    client.get("/favicon.ico", headers=BROWSER)
    statuses = "status=201&status=200&notes=1&notes=1"
    client.get(f"/methods/put/walkthrough.svg?{statuses}", headers=BROWSER)


def visit_api(client: FlaskClient) -> None:
    """Use the notes API, the echo, the builder and the CORS lab as the lessons do."""
    put(client, "n", "Milk")
    put(client, "n", "Milk and eggs")
    note = client.get("/api/notes/n", headers=PROGRAM)
    client.get("/api/notes/n", headers={**PROGRAM, "If-None-Match": note.headers["ETag"]})
    client.patch("/api/notes/n", data='{"text": "Bread"}', content_type=MERGE_PATCH)
    operations = '[{"op": "add", "path": "/tags/-", "value": "home"}]'
    client.patch("/api/notes/n", data=operations, content_type=JSON_PATCH)
    client.put("/api/notes/n", json={"text": "x"}, headers={"If-Match": '"stale"'})  # 412
    client.post("/api/notes", json={"text": "Posted"}, headers=PROGRAM)
    client.options("/api/notes/n", headers=PROGRAM)
    client.delete("/api/notes/n", headers=PROGRAM)
    client.delete("/api/notes/n", headers=PROGRAM)  # 404
    client.delete("/api/notes", headers=PROGRAM)
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"):
        client.open("/echo/notes/1?colour=blue", method=method, data="a=1", headers=PROGRAM)
    client.post("/echo/form", data={"name": "Ada"}, headers=BROWSER)
    for method in ("GET", "POST"):
        fields = {"method": method, "path": "/echo/a?b=c", "message": "hi"}
        client.post("/builder/send", data=fields, headers=BROWSER)
    run = lab_url()
    client.options(run, headers=PREFLIGHT)
    client.put(run, json={"demo": True}, headers={"Origin": PREFLIGHT["Origin"]})
    client.get(f"{run}/exchanges", headers=PROGRAM)


def check_url(key: str) -> str:
    """Return the address of self-check ``key`` (a lesson's slug, the guide's, or a warm-up)."""
    if key.endswith("-warm-up"):
        return f"/methods/{key.removesuffix('-warm-up')}/warm-up"
    return "/get-vs-post/self-check" if key == "get-vs-post" else f"/methods/{key}/self-check"
