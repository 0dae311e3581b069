"""Challenges: met only by answers the server really gave this visitor, never by a near miss."""

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab.notes.challenge_log import MAX_STEPS_PER_SANDBOX, MET, ChallengeLog
from methodslab.pages.challenges import CHALLENGES
from tests.app_config import NOTES_DATABASES

JSON = {"Content-Type": "application/json"}
PREFLIGHT = {
    "Origin": "http://localhost",
    "Access-Control-Request-Method": "PUT",
    "Sec-Fetch-Mode": "cors",
}
RUN = "/labs/cors/run/0123456789abcdef0123"


def start(client: FlaskClient) -> str:
    """Open /challenges, which starts watching this visitor; return the page."""
    return client.get("/challenges").get_data(as_text=True)


def met(client: FlaskClient) -> set[str]:
    """Return the challenges /challenges shows as met."""
    return set(re.findall(r'<li id="([a-z-]+)" class="card challenge met">', start(client)))


def put(client: FlaskClient, note_id: str, text: str, **headers: str) -> int:
    """PUT a note as JSON; return the status."""
    body = f'{{"text": "{text}"}}'
    return client.put(f"/api/notes/{note_id}", data=body, headers=JSON | headers).status_code


@pytest.mark.one_app
def test_the_page_is_the_visitors_own_and_no_cache_keeps_it(client: FlaskClient) -> None:
    response = client.get("/challenges")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    page = response.get_data(as_text=True)
    assert page.count('class="card challenge"') == len(CHALLENGES)
    # The cookie shown makes a terminal the same visitor: a request with it counts here.
    cookie = re.search(r"COOKIE='sandbox=([^']+)'", page)
    assert cookie is not None
    terminal = client.application.test_client()
    terminal.set_cookie("sandbox", cookie.group(1))
    assert terminal.open("/challenges", method="BREW").status_code == 501
    assert met(client) == {"not-implemented"}
    assert "✓ </span>Met: <code>BREW /challenges → 501</code>" in start(client)


@pytest.mark.one_app
def test_requests_before_the_page_or_with_a_forged_cookie_do_not_count(
    client: FlaskClient,
) -> None:
    client.put("/api/notes/early", data='{"text": "x"}', headers=JSON)  # a sandbox, unwatched
    assert client.open("/challenges", method="BREW").status_code == 501
    assert met(client) == set()
    page = start(client)
    cookie = re.search(r"COOKIE='sandbox=([^']+)'", page)
    assert cookie is not None
    forger = client.application.test_client()
    forger.set_cookie("sandbox", cookie.group(1)[:-2] + "xx")  # its signature broken
    assert forger.open("/challenges", method="BREW").status_code == 501
    assert met(client) == set()


@pytest.mark.one_app
def test_watching_adds_nothing_to_the_answers(client: FlaskClient) -> None:
    start(client)
    first_bytes = {"Range": "bytes=0-9"}
    plain = client.application.test_client().get("/static/style.css", headers=first_bytes)
    watched = client.get("/static/style.css", headers=first_bytes)
    assert watched.status_code == plain.status_code == 206
    # Reading the session would have added Vary: Cookie; nor is the cookie sent again.
    assert watched.headers.get("Vary") == plain.headers.get("Vary") == "Accept-Encoding"
    assert "Set-Cookie" not in watched.headers


@pytest.mark.one_app
@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_a_step_that_cannot_be_written_leaves_the_answer_alone(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(client)
    driver_error = client.application.extensions["notes"].database.driver_error

    def full_disk(*args: object) -> bool:
        raise driver_error("database or disk is full")

    monkeypatch.setattr(ChallengeLog, "record", full_disk)
    response = client.open("/challenges", method="BREW")
    assert response.status_code == 501
    assert "does not implement the method BREW" in response.text
    monkeypatch.undo()
    assert met(client) == set()


@pytest.mark.one_app
def test_a_304_needs_a_validator_that_matched(client: FlaskClient) -> None:
    start(client)
    page = client.get("/methods/get")
    assert client.get("/methods/get", headers={"If-None-Match": 'W/"stale"'}).status_code == 200
    assert met(client) == set()
    etag = page.headers["ETag"]
    assert client.get("/methods/get", headers={"If-None-Match": etag}).status_code == 304
    assert met(client) == {"not-modified"}


@pytest.mark.one_app
def test_a_206_needs_a_range_the_server_served(client: FlaskClient) -> None:
    start(client)
    assert client.get("/methods/get", headers={"Range": "bytes=0-9"}).status_code == 200
    assert client.head("/static/style.css", headers={"Range": "bytes=0-9"}).status_code == 200
    assert client.get("/static/style.css", headers={"Range": "bytes=99999999-"}).status_code == 416
    assert met(client) == set()
    response = client.get("/static/style.css", headers={"Range": "bytes=0-9"})
    assert (response.status_code, response.headers["Content-Range"][:10]) == (206, "bytes 0-9/")
    assert met(client) == {"range"}


@pytest.mark.one_app
def test_allow_comes_from_options_on_a_url_or_a_405(client: FlaskClient) -> None:
    start(client)
    assert client.get("/challenges").status_code == 200
    assert client.open("*", method="OPTIONS").headers["Allow"]  # the server's, not a URL's
    assert client.open("/challenges", method="get").status_code == 501  # no Allow
    assert met(client) == {"not-implemented"}
    allow = client.post("/challenges").headers["Allow"]
    assert set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert met(client) == {"not-implemented", "allowed-methods"}


@pytest.mark.one_app
def test_a_501_needs_a_method_implemented_nowhere(client: FlaskClient) -> None:
    start(client)
    assert client.delete("/challenges").status_code == 405  # DELETE is implemented elsewhere
    assert "not-implemented" not in met(client)
    assert client.open("/challenges", method="Delete").status_code == 501
    assert "not-implemented" in met(client)


@pytest.mark.one_app
def test_a_415_counts_once_the_same_request_is_sent_as_json(client: FlaskClient) -> None:
    start(client)
    assert client.post("/api/notes", data='{"text": "a"}', headers=JSON).status_code == 201
    refused = client.post("/api/notes", data="text=a", content_type="text/plain")
    assert refused.status_code == 415
    assert put(client, "elsewhere", "a") == 201  # fixed, but another request
    assert client.post("/api/notes", data="{", headers=JSON).status_code == 400  # still wrong
    assert met(client) == set()
    assert client.post("/api/notes", data='{"text": "a"}', headers=JSON).status_code == 201
    assert met(client) == {"unsupported-type"}


@pytest.mark.one_app
def test_put_twice_needs_a_create_then_the_same_id_and_body(client: FlaskClient) -> None:
    start(client)
    assert (put(client, "one", "a"), put(client, "one", "b")) == (201, 200)  # another body
    assert put(client, "one", "b") == 200  # the same PUT twice, but neither created it
    assert (put(client, "two", "a"), put(client, "three", "a")) == (201, 201)  # another id
    assert met(client) == set()
    assert put(client, "three", "a") == 200
    assert met(client) == {"put-twice"}


@pytest.mark.one_app
def test_delete_twice_needs_a_204_then_a_404_for_the_same_note(client: FlaskClient) -> None:
    start(client)
    put(client, "gone", "a")
    put(client, "other", "a")
    assert client.delete("/api/notes/never").status_code == 404  # nothing deleted before
    assert client.delete("/api/notes/gone").status_code == 204
    assert client.delete("/api/notes/nothing").status_code == 404  # another note
    assert client.delete("/api/notes/other").status_code == 204
    assert met(client) == set()
    assert client.delete("/api/notes/gone").status_code == 404
    assert met(client) == {"delete-twice"}


@pytest.mark.one_app
def test_a_conditional_update_needs_a_412_from_a_change_then_a_match(
    client: FlaskClient,
) -> None:
    start(client)
    put(client, "n", "first")
    first = client.get("/api/notes/n").headers["ETag"]
    assert put(client, "n", "second", **{"If-Match": first}) == 200  # a match, no 412 before
    assert put(client, "n", "third", **{"If-Match": '"made-up"'}) == 412  # never its tag
    assert put(client, "n", "x", **{"If-None-Match": "*"}) == 412  # another precondition
    now = client.get("/api/notes/n").headers["ETag"]
    assert put(client, "n", "second", **{"If-Match": now}) == 200  # a match after those
    assert met(client) == set()
    assert put(client, "n", "mine", **{"If-Match": first}) == 412  # the note changed since
    assert put(client, "n", "mine") == 200  # written without a precondition
    assert put(client, "n", "any", **{"If-Match": "*"}) == 200  # any version matches *
    put(client, "m", "other")
    other = client.get("/api/notes/m").headers["ETag"]
    assert put(client, "m", "mine", **{"If-Match": other}) == 200  # another note
    assert met(client) == set()
    current = client.get("/api/notes/n").headers["ETag"]
    assert put(client, "n", "mine at last", **{"If-Match": current}) == 200
    assert met(client) == {"conditional-update"}


@pytest.mark.one_app
def test_head_and_post_then_location(client: FlaskClient) -> None:
    start(client)
    put(client, "h", "a")
    assert client.get("/api/notes/h").status_code == 200  # GET, and a note PUT made
    assert client.head("/api/notes/missing").status_code == 404
    posted = client.post("/api/notes", data='{"text": "p"}', headers=JSON)
    assert client.get("/api/notes/h").status_code == 200  # not the note POST made
    assert met(client) == set()
    assert client.head("/api/notes/h").status_code == 200
    assert client.get(posted.headers["Location"]).status_code == 200
    assert met(client) == {"head", "post-location"}


@pytest.mark.one_app
def test_a_preflight_counts_once_the_lab_page_reads_its_run(client: FlaskClient) -> None:
    start(client)
    # OPTIONS without Access-Control-Request-Method is no preflight; a PUT needs none here.
    client.options(f"{RUN}1", headers={"Origin": "http://localhost"})
    client.put(f"{RUN}2", json={}, headers={"Origin": "http://localhost"})
    client.options(f"{RUN}3", headers=PREFLIGHT)  # a preflight, its run never read back
    for run in (1, 2):
        assert client.get(f"{RUN}{run}/exchanges").status_code == 200
    assert "preflight" not in met(client)
    assert client.get(f"{RUN}3/exchanges").status_code == 200
    assert "preflight" in met(client)


@pytest.mark.one_app
def test_the_summary_shows_the_ticks(client: FlaskClient) -> None:
    start(client)
    client.open("/challenges", method="BREW")
    page = client.get("/summary").get_data(as_text=True)
    assert f"1 of {len(CHALLENGES)} <a" in page
    assert "Get a 501 Not Implemented</a>" in page


def log_in(app: Flask, clock: Callable[[], float]) -> ChallengeLog:
    """Return a challenge log on ``app``'s note store, on ``clock``."""
    return ChallengeLog(app.extensions["notes"], clock)


@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_steps_are_ordered_bounded_and_deleted_with_the_sandbox(app: Flask) -> None:
    now = [time.time()]
    log = log_in(app, lambda: now[0])
    assert not log.record("s", "net", "delete-twice", MET, "DELETE → 404", after="deleted:x")
    for number in range(MAX_STEPS_PER_SANDBOX + 5):
        assert log.record("s", "net", "delete-twice", f"deleted:{number}", "DELETE → 204")
    assert not log.record("s", "net", "delete-twice", MET, "DELETE → 404", after="deleted:0")
    assert log.record("s", "net", "delete-twice", MET, "DELETE → 404", after="deleted:44")
    assert not log.record("s", "net", "delete-twice", "deleted:99", "after it was met")
    assert log.met("s") == {"delete-twice": "DELETE → 404"}
    database = app.extensions["notes"].database
    with database.reading() as db:
        (count,) = db.execute("SELECT count(*) FROM challenge_events").fetchone()
    assert count == MAX_STEPS_PER_SANDBOX + 1  # the steps kept, and the one that met it
    now[0] += 8 * 24 * 3600  # idle past IDLE_SECONDS: the sandbox goes, its steps with it
    app.extensions["notes"].purge_idle(now[0])
    assert log.met("s") == {}
