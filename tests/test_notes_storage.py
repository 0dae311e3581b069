"""Notes storage: survives restarts, keeps every concurrent write, stays bounded."""

import multiprocessing
import sqlite3
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab import create_app, persistent_secret
from methodslab.notes import store as notes_store
from methodslab.notes.store import (
    MAX_NOTES,
    PROTECTED_SECONDS,
    SCHEMA_VERSION,
    UPGRADES,
    NoteStore,
    NoteStoreError,
    Precondition,
)
from tests.app_config import config_for

WRITES_PER_VISITOR = 12
ADDRESS = "192.0.2.1"


def visitor_session(folder: Path, visitor: int, app: Flask | None = None) -> list[str]:
    """Act as one visitor, on ``app`` or else on a fresh instance (as a worker would be)."""
    client = (app or create_app(config_for(folder))).test_client()
    for number in range(WRITES_PER_VISITOR):
        assert (
            client.put(
                f"/api/notes/v{visitor}-n{number}", json={"text": f"{visitor}:{number}"}
            ).status_code
            == 201
        )
    assert (
        client.patch(
            f"/api/notes/v{visitor}-n0",
            data='{"text": "patched"}',
            content_type="application/merge-patch+json",
        ).status_code
        == 200
    )
    assert client.delete(f"/api/notes/v{visitor}-n1").status_code == 204
    assert client.post("/api/notes", json={"text": f"posted by {visitor}"}).status_code == 201
    listing = client.get("/api/notes").get_json()["notes"]
    return [f"{note['id']}={note['text']}" for note in listing]


def expected_notes(visitor: int, listing: list[str]) -> None:
    """Check one visitor's final collection, note by note."""
    expected = [f"v{visitor}-n0=patched"] + [
        f"v{visitor}-n{n}={visitor}:{n}" for n in range(2, WRITES_PER_VISITOR)
    ]
    assert listing[:-1] == expected
    assert listing[-1].endswith(f"=posted by {visitor}")


def test_every_concurrent_visitor_keeps_every_write_threads(tmp_path: Path) -> None:
    # Two app instances sharing one database, as two workers would, each made
    # before the threads start: a server builds its app once, not per thread
    # (and CPython 3.11's ast module is not safe to use from threads at once).
    workers = [create_app(config_for(tmp_path)) for _ in range(2)]
    visitors = range(16)
    with ThreadPoolExecutor(max_workers=16) as pool:
        listings = list(pool.map(lambda v: visitor_session(tmp_path, v, workers[v % 2]), visitors))

    for visitor, listing in zip(visitors, listings, strict=True):
        expected_notes(visitor, listing)


def test_every_concurrent_visitor_keeps_every_write_processes(tmp_path: Path) -> None:
    visitors = range(8)
    with ProcessPoolExecutor(max_workers=4) as pool:
        listings = list(pool.map(visitor_session, [tmp_path] * len(visitors), visitors))

    for visitor, listing in zip(visitors, listings, strict=True):
        expected_notes(visitor, listing)


def test_a_full_sandbox_under_concurrent_writes_keeps_exactly_its_limit(
    tmp_path: Path, client: FlaskClient
) -> None:
    client.put("/api/notes/first", json={"text": "0"})
    cookie = client.get_cookie("sandbox")
    assert cookie is not None
    apps = [create_app(config_for(tmp_path)) for _ in range(2)]

    def write(number: int) -> int:
        same_visitor = apps[number % 2].test_client()
        same_visitor.set_cookie("sandbox", cookie.value)
        if number % 3:
            return same_visitor.put(f"/api/notes/n{number}", json={"text": "x"}).status_code
        return same_visitor.post("/api/notes", json={"text": "x"}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(write, range(2 * MAX_NOTES)))

    assert statuses.count(201) == MAX_NOTES - 1
    assert set(statuses) == {201, 409}
    assert client.get("/api/notes").get_json()["count"] == MAX_NOTES


def test_notes_and_cookies_survive_a_restart(tmp_path: Path) -> None:
    before = create_app(config_for(tmp_path)).test_client()
    before.put("/api/notes/kept", json={"text": "still here"})
    cookie = before.get_cookie("sandbox")
    assert cookie is not None

    after = create_app(config_for(tmp_path)).test_client()
    after.set_cookie("sandbox", cookie.value)

    assert after.get("/api/notes/kept").get_json()["text"] == "still here"


def test_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "secret_key"
    results: list[str] = []
    start = threading.Barrier(8)

    def make() -> None:
        start.wait()
        results.append(persistent_secret(path))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(results)) == 1 and len(results[0]) == 64
    assert persistent_secret(path) == results[0]
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert list(path.parent.iterdir()) == [path]


def test_idle_sandboxes_are_purged(tmp_path: Path) -> None:
    store = NoteStore(tmp_path / "notes.sqlite3")
    store.put("old", "a", "x", Precondition(), ADDRESS)
    store.put("fresh", "a", "x", Precondition(), ADDRESS)

    later = time.time() + notes_store.IDLE_SECONDS + 60
    store.put("fresh", "b", "y", Precondition(), ADDRESS)  # touched now, so kept...

    assert store.purge_idle(now=later) == 2  # ...unless the clock says a week has passed
    assert store.list("old") == [] and store.list("fresh") == []


def test_purge_keeps_recent_sandboxes(tmp_path: Path) -> None:
    store = NoteStore(tmp_path / "notes.sqlite3")
    store.put("recent", "a", "x", Precondition(), ADDRESS)

    assert store.purge_idle() == 0
    assert [note.id for note in store.list("recent")] == ["a"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_full_lab_evicts_only_idle_sandboxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 3)
    clock = Clock()
    store = NoteStore(tmp_path / "notes.sqlite3", clock=clock)
    for number, sandbox in enumerate(["s1", "s2", "s3"]):
        store.put(sandbox, "n", sandbox, Precondition(), f"192.0.2.{number}")
    clock.now += PROTECTED_SECONDS + 1
    store.put("s2", "n", "written again", Precondition(), ADDRESS)

    for number, sandbox in enumerate(["s4", "s5"]):
        store.put(sandbox, "n", sandbox, Precondition(), f"198.51.100.{number}")

    assert [s for s in ["s1", "s2", "s3", "s4", "s5"] if store.list(s)] == ["s2", "s4", "s5"]


def test_many_addresses_cannot_push_out_recent_sandboxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 50)
    clock = Clock()
    store = NoteStore(tmp_path / "notes.sqlite3", clock=clock)
    for number in range(10):
        store.put(f"visitor{number}", "n", "mine", Precondition(), f"192.0.2.{number}")
    clock.now += 3600  # an hour later, an attack from many addresses
    refusals: list[NoteStoreError] = []
    for number in range(2_100):
        try:
            store.create(f"attacker{number}", "n", "filler", f"10.{number // 256}.{number % 256}.1")
        except NoteStoreError as error:
            refusals.append(error)

    assert len(refusals) == 2_100 - 40
    assert {error.status for error in refusals} == {503}
    assert {error.retry_after for error in refusals} == {PROTECTED_SECONDS - 3600}
    assert all(store.list(f"visitor{number}") for number in range(10))


def open_and_write(folder: Path, start: Barrier, rounds: int, worker: int) -> None:
    """Open a fresh database together with the other workers, round after round, and write."""
    try:
        for round_number in range(rounds):
            start.wait()
            store = NoteStore(folder / f"{round_number}.sqlite3")
            store.put(f"worker{worker}", "n", "x", Precondition(), f"192.0.2.{worker}")
    except BaseException:
        start.abort()  # the others stop waiting at once
        raise


def test_processes_opening_a_fresh_database_together_all_succeed(tmp_path: Path) -> None:
    # On disk, where each set-up takes long enough for the others to collide with it:
    # the old set-up failed in most runs ("database is locked" from PRAGMA journal_mode).
    workers, rounds = 8, 40
    context = multiprocessing.get_context()
    start = context.Barrier(workers, timeout=30)
    processes = [
        context.Process(target=open_and_write, args=(tmp_path, start, rounds, worker))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()

    assert [process.exitcode for process in processes] == [0] * workers
    for round_number in range(rounds):
        with closing(sqlite3.connect(tmp_path / f"{round_number}.sqlite3")) as db:
            assert db.execute("SELECT count(*) FROM notes").fetchone() == (workers,)
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_database_is_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "notes.sqlite3"
    store = NoteStore(path)
    store.put("s", "n", "private", Precondition(), ADDRESS)

    files = {file.name: stat.S_IMODE(file.stat().st_mode) for file in path.parent.iterdir()}

    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The store keeps its connection open, so the write-ahead log and its index are there.
    names = ("notes.sqlite3", "notes.sqlite3-wal", "notes.sqlite3-shm")
    assert files == dict.fromkeys(names, 0o600)


def test_schema_is_versioned_and_upgraded_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as db:  # a database from before versioning
        for statement in UPGRADES[0]:
            db.execute(statement)
        db.execute("INSERT INTO sandboxes VALUES ('old', ?)", (time.time(),))
        db.execute("INSERT INTO notes VALUES ('old', 'n', 'kept', 'c', 'u', 1)")
        db.commit()

    for _ in range(2):  # the second opening must not run the upgrade again
        store = NoteStore(path)

    assert [note.text for note in store.list("old")] == ["kept"]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    store.put("new", "n", "x", Precondition(), ADDRESS)  # the new table is there


def test_purge_command(tmp_path: Path) -> None:
    app = create_app(config_for(tmp_path))
    app.extensions["notes"].put("recent", "a", "x", Precondition(), ADDRESS)

    result = app.test_cli_runner().invoke(args=["purge-sandboxes"])

    assert result.output == "Deleted 0 idle sandboxes.\n"
