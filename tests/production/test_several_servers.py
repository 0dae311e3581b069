"""Two production servers, as on two machines, sharing one PostgreSQL and one secret key."""

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from methodslab.notes.store import MAX_NOTES
from tests.postgres_server import URL_VARIABLE, empty_database
from tests.production.server import production_server


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
