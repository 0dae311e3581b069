"""Two production servers, as on two machines, sharing one PostgreSQL and one secret key."""

import os
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from methodslab.notes.store import MAX_NOTES
from tests.postgres_server import URL_VARIABLE, empty_database
from tests.production.server import production_server
from tests.self_check_forms import forms_on


@pytest.fixture(scope="module")
def two_servers(worker_id: str) -> Iterator[tuple[str, str]]:
    """Start two production servers on two ports with one database and one FLASK_SECRET_KEY.

    Once for the module: each test works in a sandbox or a CORS lab run of its own.
    """
    database = empty_database(os.environ[URL_VARIABLE], f"servers_{worker_id}")
    shared = {"FLASK_NOTES_DATABASE": database, "FLASK_SECRET_KEY": os.urandom(16).hex()}
    with production_server(env=shared) as one, production_server(env=shared) as two:
        yield one, two


def as_visitor(cookie: str) -> requests.Session:
    """Return a client that sends only this sandbox cookie, to whichever server it is given."""
    client = requests.Session()
    client.headers["Cookie"] = f"sandbox={cookie}"
    return client


def test_a_sandbox_works_through_either_server(two_servers: tuple[str, str]) -> None:
    one, two = two_servers
    created = requests.put(f"{one}/api/notes/first", json={"text": "made on one"}, timeout=30)
    assert created.status_code == 201
    visitor = as_visitor(created.cookies["sandbox"])

    read = visitor.get(f"{two}/api/notes/first", timeout=30)
    assert read.json()["text"] == "made on one"
    first = read.headers["ETag"]  # "v1-<life>": the version, and this life of the note
    patched = visitor.patch(
        f"{two}/api/notes/first",
        data='{"text": "changed on two"}',
        headers={"Content-Type": "application/merge-patch+json", "If-Match": first},
        timeout=30,
    )
    assert (patched.status_code, patched.headers["ETag"]) == (200, first.replace("v1", "v2", 1))
    stale = visitor.put(
        f"{one}/api/notes/first", json={"text": "x"}, headers={"If-Match": first}, timeout=30
    )
    assert stale.status_code == 412
    assert visitor.get(f"{one}/api/notes/first", timeout=30).json()["text"] == "changed on two"

    # Writes spread over both servers at once: every one is kept, and the cap holds.
    def write(number: int) -> int:
        server = (one, two)[number % 2]
        return visitor.put(
            f"{server}/api/notes/n{number}", json={"text": "x"}, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(2 * MAX_NOTES)))

    assert sorted(statuses) == [201] * (MAX_NOTES - 1) + [409] * (MAX_NOTES + 1)
    for server in (one, two):
        listing = visitor.get(f"{server}/api/notes", timeout=30).json()
        assert listing["count"] == MAX_NOTES
    written = {f"n{n}" for n, status in enumerate(statuses) if status == 201}
    assert {note["id"] for note in listing["notes"]} == written | {"first"}


def test_a_cors_lab_run_is_whole_through_either_server(two_servers: tuple[str, str]) -> None:
    # Behind a load balancer, the preflight and the request it clears may reach
    # different machines; the lab page may ask a third time, anywhere.
    one, two = two_servers
    run = f"{one}/labs/cors/run/{uuid.uuid4()}"
    # The servers' own name for themselves: the lab's partner of 127.0.0.1 is localhost.
    origin = "http://localhost:" + one.rpartition(":")[2]
    preflight = requests.options(
        run,
        headers={"Origin": origin, "Access-Control-Request-Method": "PUT"},
        timeout=30,
    )
    sent = requests.put(run.replace(one, two), json={}, headers={"Origin": origin}, timeout=30)
    assert (preflight.status_code, sent.status_code) == (204, 200)

    for server in (one, two):
        record = requests.get(f"{run.replace(one, server)}/exchanges", timeout=30).json()
        lines = [exchange["request"]["line"].split()[0] for exchange in record["exchanges"]]
        assert lines == ["OPTIONS", "PUT"]


def test_a_class_is_one_class_on_either_server(two_servers: tuple[str, str]) -> None:
    # Students answer on one server; the teacher, behind the balancer, reaches the other.
    one, two = two_servers
    teacher = requests.Session()
    started = teacher.post(f"{two}/classes", allow_redirects=False, timeout=30)
    link = started.headers["Location"].partition("?")[0]
    code = re.search(r'class="class-code">([^<]+)<', teacher.get(f"{two}{link}", timeout=30).text)
    assert code is not None
    live = teacher.get(f"{two}{link}/live", timeout=30)

    def answer(number: int) -> int:
        student = requests.Session()
        joined = student.post(
            f"{one}/join", data={"code": code[1], "nickname": f"s{number}"}, timeout=30
        )
        form = forms_on(student.get(f"{one}/methods/get/self-check", timeout=30).text)[0]
        student.post(f"{one}{form.action}", data=form.wrong(), timeout=30)
        return joined.status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(answer, range(8))) == {200}  # 303, followed to /join

    changed = teacher.get(f"{two}{link}/live", headers={"If-None-Match": live.headers["ETag"]})
    assert changed.status_code == 200 and "8 students in the class" in changed.json()["html"]
    rows = teacher.get(f"{two}{link}/export.csv", timeout=30).text.splitlines()
    answers = [row for row in rows if ",answer," in row]
    assert len(answers) == 8 * len(form_questions(one))
    # Closed through one server: the other refuses the code.
    assert teacher.delete(f"{one}{link}", timeout=30).status_code == 204
    assert requests.post(f"{two}/join", data={"code": code[1]}, timeout=30).status_code == 410


def form_questions(server: str) -> list[str]:
    """Return the questions of one draw of the GET self-check."""
    html = requests.get(f"{server}/methods/get/self-check", timeout=30).text
    return [item.concept for item in forms_on(html)[0].asked]
