"""The CORS lab: its endpoint's answers, its recorder, and the CORS-free rest of the site."""

import base64
import hashlib
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.notes.databases import open_database
from methodslab.notes.store import NoteStore
from methodslab.pages import cors_lab_store
from methodslab.pages.cors_lab_store import ExchangeRecorder, message
from methodslab.web.security import CONTENT_SECURITY_POLICY
from tests.app_config import NOTES_DATABASES, config_for

# The test client's host is "localhost": its partner name is 127.0.0.1.
# Visitors only: one app for the module, a client (a new visitor) for each test, each lab
# run with an id of its own; the tests marked own_app count every record in a database.
pytestmark = pytest.mark.one_app

PARTNER = "http://127.0.0.1"
PREFLIGHT = {
    "Origin": PARTNER,
    "Access-Control-Request-Method": "PUT",
    "Access-Control-Request-Headers": "content-type,x-lab-demo",
}
CORS_FIELDS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials",
    "Access-Control-Max-Age",
    "Access-Control-Expose-Headers",
)


def lab_url() -> str:
    """Return the lab endpoint's URL for a new run."""
    return f"/labs/cors/run/{uuid.uuid4()}"


def cors_fields(headers: object) -> dict[str, str]:
    """Return the Access-Control-* fields of a response's headers."""
    return {name: value for name, value in headers.items() if name.startswith("Access-Control-")}  # type: ignore[attr-defined]


@pytest.mark.parametrize("origin", [PARTNER, "null"])
def test_preflight_from_the_lab_origin_is_allowed_for_ten_minutes(
    client: FlaskClient, origin: str
) -> None:
    response = client.options(lab_url(), headers=PREFLIGHT | {"Origin": origin})

    assert response.status_code == 204
    assert cors_fields(response.headers) == {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "PUT, POST",
        "Access-Control-Allow-Headers": "Content-Type, X-Lab-Demo",
        "Access-Control-Max-Age": "600",
    }
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1:8080", "http://localhost", "*"]
)
def test_any_other_origin_gets_no_cors_field_at_all(client: FlaskClient, origin: str) -> None:
    url = lab_url()
    preflight = client.options(url, headers=PREFLIGHT | {"Origin": origin})
    actual = client.put(url, json={}, headers={"Origin": origin})

    assert cors_fields(preflight.headers) == {}
    assert cors_fields(actual.headers) == {}


def test_the_actual_request_is_allowed_without_credentials(client: FlaskClient) -> None:
    client.set_cookie("sandbox", "a visitor's session")
    response = client.put(lab_url(), json={"text": "hi"}, headers={"Origin": PARTNER})

    assert response.status_code == 200
    assert cors_fields(response.headers) == {"Access-Control-Allow-Origin": PARTNER}


def test_the_server_records_the_preflight_and_the_request_of_one_run(
    client: FlaskClient,
) -> None:
    url = lab_url()
    client.set_cookie("sandbox", "secret session")
    client.options(url, headers=PREFLIGHT)
    client.put(url, data="{}", headers={"Origin": PARTNER, "Content-Type": "application/json"})
    client.options(lab_url(), headers=PREFLIGHT)  # another run, not in this one's record

    exchanges = client.get(f"{url}/exchanges").get_json()["exchanges"]

    assert [exchange["request"]["line"] for exchange in exchanges] == [
        f"OPTIONS {url} HTTP/1.1",
        f"PUT {url} HTTP/1.1",
    ]
    preflight, actual = exchanges
    assert ["Access-Control-Request-Method", "PUT"] in preflight["request"]["headers"]
    assert ["Access-Control-Max-Age", "600"] in preflight["response"]["headers"]
    assert preflight["response"]["line"] == "HTTP/1.1 204 No Content"
    assert ["Content-Type", "application/json"] in actual["request"]["headers"]
    assert "secret session" not in str(exchanges)  # never a cookie


def test_the_record_is_never_shared_with_another_origin(client: FlaskClient) -> None:
    url = lab_url()
    client.options(url, headers=PREFLIGHT)

    record = client.get(f"{url}/exchanges", headers={"Origin": PARTNER})

    assert cors_fields(record.headers) == {}
    assert record.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("run", ["short", "a" * 65, "not_a_run_id_at_all"])
def test_a_malformed_run_id_is_not_found(client: FlaskClient, run: str) -> None:
    assert client.options(f"/labs/cors/run/{run}", headers=PREFLIGHT).status_code == 404
    assert client.get(f"/labs/cors/run/{run}/exchanges").status_code == 404


def test_other_methods_are_not_allowed_on_the_lab_endpoint(client: FlaskClient) -> None:
    response = client.delete(lab_url(), headers={"Origin": PARTNER})

    assert response.status_code == 405
    assert cors_fields(response.headers) == {}


# Every kind of URL of the site but the lab's: pages, the echo, the API, its schema.
SITE_URLS = [
    "/",
    "/echo",
    "/echo/a/b",
    "/api/notes",
    "/api/notes/shopping",
    "/api/openapi.json",
    "/methods/options",
    "/methods/put",
    "/builder",
    "/login/post",
    "/get-vs-post",
]


@pytest.mark.parametrize("path", SITE_URLS)
@pytest.mark.parametrize("origin", [PARTNER, "null", "https://evil.example"])
def test_the_rest_of_the_site_never_answers_cors(
    client: FlaskClient, path: str, origin: str
) -> None:
    preflight = client.options(path, headers=PREFLIGHT | {"Origin": origin})
    request = client.get(path, headers={"Origin": origin})

    assert cors_fields(preflight.headers) == {}
    assert cors_fields(request.headers) == {}


@pytest.mark.parametrize("path", [path for path in SITE_URLS if path != "/methods/options"])
def test_every_other_page_keeps_the_site_policy(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})

    assert response.headers.getlist("Content-Security-Policy") == [CONTENT_SECURITY_POLICY]


def test_the_options_lesson_may_frame_the_partner_name_only(client: FlaskClient) -> None:
    response = client.get("/methods/options")

    assert response.headers.getlist("Content-Security-Policy") == [
        f"{CONTENT_SECURITY_POLICY}; frame-src 'self' 127.0.0.1"  # in the page's own scheme
    ]
    assert 'data-frame-src="http://127.0.0.1/labs/cors/frame"' in response.text


def test_on_a_host_without_a_partner_the_frame_is_sandboxed(tmp_path: Path) -> None:
    app = create_app(config_for(tmp_path) | {"TRUSTED_HOSTS": ["lab.example.org"]})
    client = app.test_client()
    lesson = client.get("/methods/options", base_url="https://lab.example.org")
    frame = client.get("/labs/cors/frame", base_url="https://lab.example.org")

    assert lesson.headers.getlist("Content-Security-Policy") == [CONTENT_SECURITY_POLICY]
    assert 'data-frame-src="/labs/cors/frame"' in lesson.text
    (policy,) = frame.headers.getlist("Content-Security-Policy")
    assert policy.startswith("sandbox allow-scripts; default-src 'none'; script-src 'sha256-")
    assert "frame-ancestors https://lab.example.org;" in policy
    assert "connect-src https://lab.example.org;" in policy


def test_the_frame_uses_the_sites_font_in_a_style_its_policy_allows(client: FlaskClient) -> None:
    frame = client.get("/labs/cors/frame")
    stylesheet = client.get("/static/style.css").text

    (policy,) = frame.headers.getlist("Content-Security-Policy")
    (style,) = re.findall(r"<style>(.*?)</style>", frame.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in policy
    # The font family of the site's body text, word for word.
    site_font = re.search(r"body \{[^}]*font: [^ ]+ ([^;]+);", stylesheet)
    assert site_font is not None
    assert f"font: 1rem/1.5 {site_font[1]};" in style


def test_the_frame_may_be_framed_by_the_lab_page_only(client: FlaskClient) -> None:
    frame = client.get("/labs/cors/frame")

    (policy,) = frame.headers.getlist("Content-Security-Policy")
    assert "sandbox" not in policy  # another origin already: its other name
    assert f"frame-ancestors {PARTNER};" in policy
    assert "connect-src 127.0.0.1;" in policy  # in the frame's own scheme
    assert "frame-ancestors 'none'" not in policy
    assert frame.headers["X-Content-Type-Options"] == "nosniff"  # the other headers stay


def recorder_in(notes_database: str, clock: Callable[[], float] = time.time) -> ExchangeRecorder:
    """Return a recorder keeping its records in the notes database ``notes_database``."""
    # The store brings the schema up to date, the recorder's table included.
    return ExchangeRecorder(NoteStore(open_database(notes_database)).database, clock=clock)


@pytest.mark.own_app
@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_records_are_bounded_per_run(notes_database: str) -> None:
    recorder = recorder_in(notes_database)
    seen = message("OPTIONS /x HTTP/1.1", [])

    kept = [recorder.record("run", seen, seen) for _ in range(cors_lab_store.MAX_PER_RUN + 1)]

    assert kept[-1] is False and all(kept[:-1])
    assert len(recorder.exchanges("run")) == cors_lab_store.MAX_PER_RUN


@pytest.mark.own_app
@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_records_are_bounded_in_all_the_oldest_going_first(
    notes_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cors_lab_store, "MAX_RECORDS", 5)
    recorder = recorder_in(notes_database)
    seen = message("OPTIONS /x HTTP/1.1", [])

    for run in ("old", "old", "old", "new", "new", "new"):
        recorder.record(run, seen, seen)

    assert len(recorder.exchanges("old")) == 2
    assert len(recorder.exchanges("new")) == 3


def test_records_expire(tmp_path: Path) -> None:
    now = [1000.0]
    recorder = recorder_in(str(tmp_path / "notes.sqlite3"), clock=lambda: now[0])
    seen = message("PUT /x HTTP/1.1", [("Origin", "null")])
    recorder.record("run", seen, seen)

    now[0] += cors_lab_store.KEEP_SECONDS + 1

    assert recorder.exchanges("run") == []


def test_a_long_value_is_cut() -> None:
    shown = message("PUT /x HTTP/1.1", [("X-Lab-Demo", "x" * 10_000)])

    assert len(shown["headers"][0][1]) == cors_lab_store.MAX_VALUE_LENGTH


@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_apps_sharing_a_database_share_the_record(
    app: Flask, tmp_path: Path, notes_database: str
) -> None:
    # Two worker processes, or two servers: each its own app and folder, one database.
    other_worker = create_app(config_for(tmp_path / "other", notes_database))
    url = lab_url()

    app.test_client().options(url, headers=PREFLIGHT)
    other_worker.test_client().put(url, json={}, headers={"Origin": PARTNER})

    for worker in (app, other_worker):
        exchanges = worker.test_client().get(f"{url}/exchanges").get_json()["exchanges"]
        assert [exchange["request"]["line"].split()[0] for exchange in exchanges] == [
            "OPTIONS",
            "PUT",
        ]


def test_the_record_comes_drawn_from_what_the_server_saw(client: FlaskClient) -> None:
    url = lab_url()
    client.options(url, headers=PREFLIGHT)
    client.put(url, data="{}", headers={"Origin": PARTNER, "Content-Type": "application/json"})

    diagram = client.get(f"{url}/exchanges").get_json()["diagram"]

    svg = ElementTree.fromstring(diagram)  # well-formed, so the page can parse it as SVG
    labels = " ".join(svg.itertext())
    for drawn in (f"OPTIONS {url}", "204 No Content", f"PUT {url}", "200 OK"):
        assert drawn in labels
    assert f"Origin: {PARTNER}" in labels
    assert "Access-Control-Max-Age: 600" in labels
    assert "2 requests reached the server, 1 of them preflights." in labels
