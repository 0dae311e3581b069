"""Notes storage on SQLite and PostgreSQL: restarts, concurrent writes, bounds, set-up."""

import multiprocessing
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing
from multiprocessing.synchronize import Barrier
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab import create_app, persistent_secret
from methodslab.notes import databases
from methodslab.notes import store as notes_store
from methodslab.notes.databases import BUSY_WITHIN_SECONDS, GROUP_DELAY_SECONDS, open_database
from methodslab.notes.store import (
    MAX_NOTES,
    PROTECTED_SECONDS,
    SCHEMA_VERSION,
    UPGRADES,
    NoteStore,
    NoteStoreError,
)
from methodslab.pages.cors_lab_store import KEEP_SECONDS, message
from methodslab.web.conditions import UNCONDITIONAL
from tests.app_config import NOTES_DATABASES, config_for

both_stores = pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)

WRITES_PER_VISITOR = 12
ADDRESS = "192.0.2.1"


@pytest.fixture
def config(tmp_path: Path, notes_database: str) -> dict[str, Any]:
    """Return the settings every app of one test shares: one database, as servers would."""
    return config_for(tmp_path, notes_database)


def open_store(notes_database: str | Path, **options: Any) -> NoteStore:
    """Open the store as a server process does when it starts."""
    return NoteStore(open_database(str(notes_database)), **options)


def visitor_session(config: dict[str, Any], visitor: int, app: Flask | None = None) -> list[str]:
    """Act as one visitor, on ``app`` or else on a fresh instance (as a worker would be)."""
    client = (app or create_app(config)).test_client()
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


@both_stores
def test_every_concurrent_visitor_keeps_every_write_threads(config: dict[str, Any]) -> None:
    # Two app instances sharing one database, as two workers would, each made
    # before the threads start: a server builds its app once, not per thread
    # (and CPython 3.11's ast module is not safe to use from threads at once).
    workers = [create_app(config) for _ in range(2)]
    visitors = range(16)
    with ThreadPoolExecutor(max_workers=16) as pool:
        listings = list(pool.map(lambda v: visitor_session(config, v, workers[v % 2]), visitors))

    for visitor, listing in zip(visitors, listings, strict=True):
        expected_notes(visitor, listing)


@both_stores
def test_every_concurrent_visitor_keeps_every_write_processes(config: dict[str, Any]) -> None:
    visitors = range(8)
    with ProcessPoolExecutor(max_workers=4) as pool:
        listings = list(pool.map(visitor_session, [config] * len(visitors), visitors))

    for visitor, listing in zip(visitors, listings, strict=True):
        expected_notes(visitor, listing)


def same_visitor_on_two_apps(
    config: dict[str, Any], client: FlaskClient
) -> Callable[[int], FlaskClient]:
    """Return a maker of clients carrying ``client``'s sandbox, on two app instances by turns.

    The apps are made here, before any thread starts (see above).
    """
    cookie = client.get_cookie("sandbox")
    assert cookie is not None
    apps = [create_app(config) for _ in range(2)]

    def same_visitor(number: int) -> FlaskClient:
        visitor = apps[number % 2].test_client()
        visitor.set_cookie("sandbox", cookie.value)
        return visitor

    return same_visitor


@both_stores
def test_a_full_sandbox_under_concurrent_writes_keeps_exactly_its_limit(
    config: dict[str, Any], client: FlaskClient
) -> None:
    client.put("/api/notes/first", json={"text": "0"})
    visitor_on = same_visitor_on_two_apps(config, client)

    def write(number: int) -> int:
        same_visitor = visitor_on(number)
        if number % 3:
            return same_visitor.put(f"/api/notes/n{number}", json={"text": "x"}).status_code
        return same_visitor.post("/api/notes", json={"text": "x"}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(write, range(2 * MAX_NOTES)))

    assert statuses.count(201) == MAX_NOTES - 1
    assert set(statuses) == {201, 409}
    assert client.get("/api/notes").get_json()["count"] == MAX_NOTES


@both_stores
def test_concurrent_changes_to_one_note_each_get_their_own_version(
    config: dict[str, Any], client: FlaskClient
) -> None:
    client.put("/api/notes/shared", json={"text": "v1"})
    visitor_on = same_visitor_on_two_apps(config, client)

    def replace(number: int) -> int:
        answer = visitor_on(number).put("/api/notes/shared", json={"text": f"{number}"})
        return answer.get_json()["version"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = list(pool.map(replace, range(24)))

    # Every write read the version the one before it committed: none lost, none repeated.
    assert sorted(versions) == list(range(2, 26))
    assert client.get("/api/notes/shared").get_json()["version"] == 25


@both_stores
def test_a_new_visitors_first_writes_at_once_make_one_sandbox(config: dict[str, Any]) -> None:
    apps = [create_app(config) for _ in range(2)]
    first = apps[0].test_client()
    first.get("/api/notes")  # no sandbox yet: a cookie is only set on the first write
    with apps[0].test_request_context():
        interface: Any = apps[0].session_interface  # Flask's SecureCookieSessionInterface
        cookie_value = interface.get_signing_serializer(apps[0]).dumps({"sandbox": "brand-new"})

    def write(number: int) -> int:
        same_visitor = apps[number % 2].test_client()
        same_visitor.set_cookie("sandbox", cookie_value)
        return same_visitor.put(f"/api/notes/n{number}", json={"text": "x"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(16)))

    assert statuses == [201] * 16
    assert len(apps[1].extensions["notes"].list("brand-new")) == 16


def test_writes_waiting_together_share_a_transaction_and_fail_alone(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "notes.sqlite3"))
    with database.writing() as db:
        db.execute("CREATE TABLE written (name TEXT)")
    first_is_writing, let_first_finish = threading.Event(), threading.Event()
    writers: dict[str, int] = {}

    def first(db: Any) -> None:
        first_is_writing.set()
        assert let_first_finish.wait(30)

    def insert(name: str, then_fail: bool = False) -> Callable[[Any], str]:
        def change(db: Any) -> str:
            writers[name] = threading.get_ident()
            db.execute("INSERT INTO written VALUES (?)", (name,))
            if then_fail:
                raise NoteStoreError(409, f"{name} refused")
            return name

        return change

    with ThreadPoolExecutor(4) as pool:
        holding = pool.submit(database.write, first)
        assert first_is_writing.wait(30)
        # Two more writes arrive while the first holds the transaction: they wait, together.
        refused = pool.submit(database.write, insert("refused", then_fail=True))
        kept = pool.submit(database.write, insert("kept"))
        deadline = time.monotonic() + 30
        while len(database._waiting) < 2 and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.001)  # until both are queued: nothing to be notified by
        let_first_finish.set()

        holding.result()
        assert kept.result() == "kept"
        with pytest.raises(NoteStoreError, match="refused refused"):
            refused.result()

    assert writers["kept"] == writers["refused"]  # one thread wrote both, in one transaction
    with database.reading() as db:
        assert db.execute("SELECT name FROM written").fetchall() == [("kept",)]


def test_only_writes_under_load_wait_for_others_to_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(str(tmp_path / "notes.sqlite3"))
    now = [1000.0]
    slept: list[float] = []
    clock = SimpleNamespace(monotonic=lambda: now[0], sleep=slept.append)
    monkeypatch.setattr(databases, "time", clock)

    database.write(lambda db: None)  # the first write in a while goes at once
    now[0] += BUSY_WITHIN_SECONDS / 2
    database.write(lambda db: None)  # another soon after waits for company
    now[0] += BUSY_WITHIN_SECONDS * 2
    database.write(lambda db: None)  # and once writes are rare again, none does

    assert slept == [GROUP_DELAY_SECONDS]


@both_stores
def test_notes_and_cookies_survive_a_restart(config: dict[str, Any]) -> None:
    before = create_app(config).test_client()
    before.put("/api/notes/kept", json={"text": "still here"})
    cookie = before.get_cookie("sandbox")
    assert cookie is not None

    after = create_app(config).test_client()
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


@both_stores
def test_idle_sandboxes_are_purged(notes_database: str) -> None:
    store = open_store(notes_database)
    store.put("old", "a", "x", UNCONDITIONAL, ADDRESS)
    store.put("fresh", "a", "x", UNCONDITIONAL, ADDRESS)

    later = time.time() + notes_store.IDLE_SECONDS + 60
    store.put("fresh", "b", "y", UNCONDITIONAL, ADDRESS)  # touched now, so kept...

    assert store.purge_idle(now=later) == 2  # ...unless the clock says a week has passed
    assert store.list("old") == [] and store.list("fresh") == []


@both_stores
def test_purge_keeps_recent_sandboxes(notes_database: str) -> None:
    store = open_store(notes_database)
    store.put("recent", "a", "x", UNCONDITIONAL, ADDRESS)

    assert store.purge_idle() == 0
    assert [note.id for note in store.list("recent")] == ["a"]


@both_stores
def test_purges_run_from_many_servers_at_once_delete_each_sandbox_once(
    notes_database: str,
) -> None:
    stores = [open_store(notes_database) for _ in range(4)]
    for number in range(40):
        stores[number % 4].put(f"s{number}", "a", "x", UNCONDITIONAL, ADDRESS)
    later = time.time() + notes_store.IDLE_SECONDS + 60

    with ThreadPoolExecutor(max_workers=8) as pool:
        deleted = list(pool.map(lambda n: stores[n % 4].purge_idle(now=later), range(8)))

    assert sum(deleted) == 40
    assert all(store.list(f"s{n}") == [] for n, store in enumerate(stores * 10))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@both_stores
def test_a_full_lab_evicts_only_idle_sandboxes(
    notes_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 3)
    clock = Clock()
    store = open_store(notes_database, clock=clock)
    for number, sandbox in enumerate(["s1", "s2", "s3"]):
        store.put(sandbox, "n", sandbox, UNCONDITIONAL, f"192.0.2.{number}")
    clock.now += PROTECTED_SECONDS + 1
    store.put("s2", "n", "written again", UNCONDITIONAL, ADDRESS)

    for number, sandbox in enumerate(["s4", "s5"]):
        store.put(sandbox, "n", sandbox, UNCONDITIONAL, f"198.51.100.{number}")

    assert [s for s in ["s1", "s2", "s3", "s4", "s5"] if store.list(s)] == ["s2", "s4", "s5"]


@both_stores
def test_many_addresses_cannot_push_out_recent_sandboxes(
    notes_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 50)
    clock = Clock()
    store = open_store(notes_database, clock=clock)
    for number in range(10):
        store.put(f"visitor{number}", "n", "mine", UNCONDITIONAL, f"192.0.2.{number}")
    clock.now += 3600  # an hour later, an attack from many addresses
    refusals: list[NoteStoreError] = []
    # Ten times the lab's size (2,100 in the attack on 2,000; fewer here, as each
    # attempt is a few round trips to PostgreSQL).
    for number in range(500):
        try:
            store.create(f"attacker{number}", "n", "filler", f"10.{number // 256}.{number % 256}.1")
        except NoteStoreError as error:
            refusals.append(error)

    assert len(refusals) == 500 - 40
    assert {error.status for error in refusals} == {503}
    assert {error.retry_after for error in refusals} == {PROTECTED_SECONDS - 3600}
    assert all(store.list(f"visitor{number}") for number in range(10))


@both_stores
def test_sandboxes_created_at_once_stay_within_the_bound(
    notes_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_store, "MAX_SANDBOXES", 5)
    stores = [open_store(notes_database) for _ in range(2)]

    def make(number: int) -> int:
        try:
            stores[number % 2].put(f"s{number}", "n", "x", UNCONDITIONAL, f"192.0.2.{number}")
        except NoteStoreError as error:
            return error.status
        return 201

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(make, range(24)))

    # All in use today, so none evicted: the first five made are kept, the rest refused.
    assert sorted(statuses) == [201] * 5 + [503] * 19
    assert sum(1 for n in range(24) if stores[0].list(f"s{n}")) == 5


def open_and_write(folder: Path, start: Barrier, rounds: int, worker: int) -> None:
    """Open a fresh database together with the other workers, round after round, and write."""
    try:
        for round_number in range(rounds):
            start.wait()
            store = open_store(folder / f"{round_number}.sqlite3")
            store.put(f"worker{worker}", "n", "x", UNCONDITIONAL, f"192.0.2.{worker}")
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
    store = open_store(path)
    store.put("s", "n", "private", UNCONDITIONAL, ADDRESS)

    files = {file.name: stat.S_IMODE(file.stat().st_mode) for file in path.parent.iterdir()}

    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The store keeps its connection open, so the write-ahead log and its index are there,
    # and the lock file its writers queue on.
    names = ("notes.sqlite3", "notes.sqlite3-wal", "notes.sqlite3-shm", "notes.sqlite3.lock")
    assert files == dict.fromkeys(names, 0o600)


def test_schema_is_versioned_and_upgraded_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as db:  # a database from before versioning
        for statement in UPGRADES[0]:
            db.execute(statement.format(insertion_order_column=""))
        db.execute("INSERT INTO sandboxes VALUES ('old', ?)", (time.time(),))
        db.execute("INSERT INTO notes VALUES ('old', 'n', 'kept', 'c', 'u', 1)")
        db.commit()

    for _ in range(2):  # the second opening must not run the upgrade again
        store = open_store(path)

    assert [note.text for note in store.list("old")] == ["kept"]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    store.put("new", "n", "x", UNCONDITIONAL, ADDRESS)  # the new table is there
    # A note of before keeps its tag; made again, it has a life no old tag names.
    assert store.get("old", "n").etag == '"v1"'  # type: ignore[union-attr]
    store.delete("old", "n", UNCONDITIONAL)
    remade, _ = store.put("old", "n", "again", UNCONDITIONAL, ADDRESS)
    assert remade.etag.startswith('"v1-') and remade.etag != '"v1"'


def upgrade_when_all_are_ready(notes_database: str, ready: Any) -> tuple[int, int]:
    """Start a store in a process of its own, at the same moment as the others."""
    ready.wait()
    return open_store(notes_database).schema_upgrade


@both_stores
def test_schema_is_set_up_once_by_processes_started_together(notes_database: str) -> None:
    processes = 6
    with multiprocessing.Manager() as manager:
        ready = manager.Barrier(processes)
        with ProcessPoolExecutor(max_workers=processes) as pool:
            upgrades = list(
                pool.map(
                    upgrade_when_all_are_ready, [notes_database] * processes, [ready] * processes
                )
            )

    assert sorted(upgrades) == [(0, SCHEMA_VERSION)] + [(SCHEMA_VERSION, SCHEMA_VERSION)] * (
        processes - 1
    )


@both_stores
def test_upgrade_command(config: dict[str, Any]) -> None:
    app = create_app(config)

    result = app.test_cli_runner().invoke(args=["upgrade-db"])

    latest = SCHEMA_VERSION
    assert result.output == f"Notes database schema: version {latest} (upgraded from version 0).\n"
    again = create_app(config).test_cli_runner().invoke(args=["upgrade-db"])
    assert again.output == f"Notes database schema: version {latest} (already up to date).\n"


@both_stores
def test_purge_command(config: dict[str, Any]) -> None:
    app = create_app(config)
    app.extensions["notes"].put("recent", "a", "x", UNCONDITIONAL, ADDRESS)
    recorder = app.extensions["cors_lab"]
    recorder.clock = lambda: time.time() - KEEP_SECONDS - 1  # a record of long ago
    recorder.record("old-run", message("OPTIONS /x HTTP/1.1", []), message("HTTP/1.1 204", []))
    recorder.clock = time.time

    result = app.test_cli_runner().invoke(args=["purge-sandboxes"])

    assert result.output == "Deleted 0 idle sandboxes and 1 expired CORS lab records.\n"


@pytest.mark.parametrize("notes_database", ["postgresql"], indirect=True)
def test_servers_sharing_postgresql_need_a_shared_secret_key(config: dict[str, Any]) -> None:
    # A key made on one machine would sign cookies the other servers refuse.
    with pytest.raises(RuntimeError, match="FLASK_SECRET_KEY"):
        create_app({**config, "SECRET_KEY": None})


def backend_process(store: NoteStore) -> int:
    """Return the id of the PostgreSQL process serving this process's connection."""
    with store.database.reading() as db:
        return int(db.execute("SELECT pg_backend_pid()").fetchone()[0])


forked_store: list[NoteStore] = []  # handed to a forked child by inheritance, not by pickling


def backend_process_in_child() -> int:
    """Use, in a forked child, the store its parent had opened."""
    return backend_process(forked_store[0])


@pytest.mark.parametrize("notes_database", ["postgresql"], indirect=True)
def test_a_forked_worker_opens_its_own_connections(notes_database: str) -> None:
    store = open_store(notes_database)
    # The pool hands out its connections in turn: a few calls meet each of them.
    parents = {backend_process(store) for _ in range(8)}
    forked_store.append(store)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            childs = pool.submit(backend_process_in_child).result()
    finally:
        forked_store.clear()

    assert childs not in parents  # a connection of its own, not its parent's socket
    # And the child closed none of the parent's: each still answers.
    assert {backend_process(store) for _ in range(8)} <= parents
