"""Where SQLite and PostgreSQL differ for the note store: connecting, locking, schema version.

The rules (caps, versions, preconditions, eviction) live once, in store.py, as SQL
that both databases run as written; a database only says how to connect, how to make
one write wait for another, and where it keeps the schema's version. This module holds
what the store needs of one (``Database``) and SQLite's; PostgreSQL's is in
postgresql.py, which ``open_database`` loads only for a PostgreSQL URL.
"""

import fcntl
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import IO, Any, Generic, Literal, Protocol, TypeVar, cast

T = TypeVar("T")

#: What a driver's error can say of the database itself: its disk is full, or it cannot be
#: written or reached just now. Any other error is a fault, answered 500.
Outage = Literal["full", "unreachable"]


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """A connection that runs the store's SQL, with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...


class Database(Protocol):
    """What the note store needs from a database."""

    #: Column definition (with its comma) that numbers notes in the order they were added.
    insertion_order_column: str
    #: Whether servers on other machines may share it (then they must share the secret key too).
    shared_by_servers: bool
    #: The base class of the errors its driver raises (create_app answers them).
    driver_error: type[Exception]

    def outage(self, error: Exception) -> Outage | None:
        """Say what ``error``, one of its driver's, means of the database, if anything."""
        ...

    def reading(self) -> AbstractContextManager[Connection]:
        """Lend a connection for reads: each statement sees the latest commits."""
        ...

    def writing(self) -> AbstractContextManager[Connection]:
        """Run one transaction: committed when the block ends, rolled back if it raises."""
        ...

    def write(self, change: Callable[[Connection], T]) -> T:
        """Run ``change(db)`` in a write transaction and return its result once committed.

        If it raises, nothing it wrote is kept and the error reaches the caller.
        ``change`` may run in another thread of the process (SQLite groups
        waiting writes), so it must use only its arguments, not Flask's request.
        """
        ...

    def lock(self, db: Connection, name: str) -> None:
        """Hold the lock ``name`` until the transaction ends; writers of the same name wait."""
        ...

    def upgrading(self) -> AbstractContextManager[Connection]:
        """Run a write transaction that no other upgrade overlaps, from its first statement."""
        ...

    def schema_version(self, db: Connection) -> int:
        """Return the version of the schema the database holds (0: none yet)."""
        ...

    def set_schema_version(self, db: Connection, version: int) -> None:
        """Record the schema's version, in the same transaction as the upgrade."""
        ...


#: Under load, a thread about to write a group first waits this long, so that the
#: changes other threads are about to ask for join it (PostgreSQL's commit_delay).
#: With 0.1 to 1 ms the notes PUT gained 5-8% under wrk -c32, and p99 fell from 18 to
#: 15 ms; at 0.2 ms a lone write waits no longer than a tenth of its answer's time.
GROUP_DELAY_SECONDS = 0.0002
#: Writes count as under load when this process wrote a group this recently.
BUSY_WITHIN_SECONDS = 0.01


class _Write(Generic[T]):
    """One change waiting to be written, and once written, what came of it."""

    def __init__(self, change: Callable[[Connection], T]) -> None:
        self.change = change
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None

    def run(self, db: Connection) -> None:
        """Make the change in a savepoint of its own: if it raises, only it is undone."""
        db.execute("SAVEPOINT change")
        try:
            self.result = self.change(db)
        except BaseException as error:  # handed to the thread that asked for the change
            self.error = error
            # A full disk or an I/O error may have made SQLite roll the whole
            # transaction back already (only SQLite groups writes): no savepoint to undo.
            if not cast(sqlite3.Connection, db).in_transaction:
                raise
            db.execute("ROLLBACK TO change")
        db.execute("RELEASE change")

    def outcome(self) -> T:
        """Return the change's result, or raise its error."""
        if self.error is not None:
            raise self.error
        return cast(T, self.result)


# SQLite's primary result codes (the low byte of an extended one) that mean the
# file cannot be written or read now, not that the request was wrong.
SQLITE_UNAVAILABLE = {
    sqlite3.SQLITE_BUSY,  # another writer held it past the 30 s wait
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_READONLY,  # the file or its folder became read-only
    sqlite3.SQLITE_IOERR,  # the disk failed, or its file system went read-only under us
    sqlite3.SQLITE_CANTOPEN,
}


class SQLiteDatabase:
    """One SQLite file, shared by the processes of one machine."""

    # SQLite numbers every row in the order it was added: its implicit rowid.
    insertion_order_column = ""
    shared_by_servers = False
    driver_error: type[Exception] = sqlite3.Error

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_local = threading.local()
        # One transaction at a time in this process (a group's, a clean-up's, an upgrade's);
        # its thread then queues on a lock file for the other processes' writers.
        self._writer = threading.Lock()
        # Changes waiting to be written, and whether a thread is writing a group now.
        self._queue = threading.Condition()
        self._waiting: list[_Write[Any]] = []
        self._writing_group = False
        self._last_group_written = 0.0  # time.monotonic()
        self._lock_file: tuple[int, IO[bytes]] | None = None  # (pid, file) of this process
        if not path.exists():
            self._create()

    def outage(self, error: Exception) -> Outage | None:
        """Say whether ``error`` means a full disk, or a file that cannot be used just now."""
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # its primary result code
        if code == sqlite3.SQLITE_FULL:
            return "full"
        return "unreachable" if code in SQLITE_UNAVAILABLE else None

    def _create(self) -> None:
        """Create the database file once, whoever comes first, in WAL mode."""
        # Readable by this user only (the folder too, when made here); SQLite
        # gives the -wal and -shm files the database file's permissions.
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Made under a name of its own, then linked into place: only the first
        # process's wins. Switching to WAL needs the file to itself, which a
        # fresh draft has, while on a shared file it fails at once with
        # "database is locked". The schema is the store's to add, under its lock.
        descriptor, draft_name = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}."
        )
        os.close(descriptor)
        draft = Path(draft_name)
        try:
            with closing(self._connect(draft)) as db:
                db.execute("PRAGMA journal_mode = WAL")  # kept in the file from now on
            os.link(draft, self.path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()

    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        """Open a connection that waits for other writers instead of failing."""
        db = sqlite3.connect(path or self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        # In WAL mode, NORMAL syncs at checkpoints instead of every commit: a
        # commit survives any crash of the server; a power cut may lose the
        # last moments of writes, never consistency. Fair for a teaching sandbox.
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opened on its first use and kept.

        Opening one per request cost more than the request's queries: closing
        the last connection to the file makes SQLite checkpoint and delete the
        write-ahead log every time.
        """
        db = getattr(self._thread_local, "db", None)
        if db is None:
            db = self._thread_local.db = self._connect()
        return db

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Lend this thread's connection."""
        yield self._connection()

    def _process_lock_file(self) -> IO[bytes]:
        """Return this process's lock file for writers, opened on first use.

        One per process: flock locks belong to an open file, which a forked
        worker would otherwise share with its parent and siblings.
        """
        if self._lock_file is None or self._lock_file[0] != os.getpid():
            opened = os.open(
                self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600
            )
            self._lock_file = (os.getpid(), os.fdopen(opened, "r+b"))
        return self._lock_file[1]

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """Run a ``BEGIN IMMEDIATE`` transaction: one writer at a time, across processes.

        Writers of other processes are waited for on a lock file, where the kernel
        wakes the next one as soon as the lock is free; SQLite's own lock, left to
        itself, polls with sleeps of 1 ms growing to 100 ms, which made a busy
        server's PUTs queue for tens of milliseconds.
        """
        db = self._connection()
        with self._writer:
            lock_file = self._process_lock_file()
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    if db.in_transaction:  # SQLite may have rolled back already (a full disk)
                        db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def write(self, change: Callable[[Connection], T]) -> T:
        """Run ``change`` in a transaction shared with the changes waiting beside it.

        Group commit: while one thread writes, the changes other threads of the
        process ask for wait together, and the next of those threads writes them
        all in one transaction, each in a savepoint, taking every change waiting
        once it holds the locks. Handing the write lock from thread to thread,
        each waiting its turn for Python's lock (the GIL) while holding it, had
        cost more than the writes (site/PERFORMANCE.md).
        """
        write = _Write(change)
        with self._queue:
            self._waiting.append(write)
            while self._writing_group and not write.done:
                self._queue.wait()
            if write.done:  # written by the thread before
                return write.outcome()
            self._writing_group = True
        try:
            self._write_waiting()
        finally:
            with self._queue:
                self._writing_group = False
                self._queue.notify_all()
        return write.outcome()

    def _take_waiting(self) -> list[_Write[Any]]:
        """Return the changes waiting now, leaving none."""
        with self._queue:
            group, self._waiting = self._waiting, []
        return group

    def _write_waiting(self) -> None:
        """Write the changes waiting in one transaction; if it fails, each fails with it."""
        group: list[_Write[Any]] = []
        if time.monotonic() - self._last_group_written < BUSY_WITHIN_SECONDS:
            time.sleep(GROUP_DELAY_SECONDS)  # let the next changes join: see GROUP_DELAY_SECONDS
        try:
            with self.writing() as db:
                # Taken once the locks are held: changes asked for while this
                # thread waited for another process's writers join the group.
                group = self._take_waiting()
                for write in group:
                    write.run(db)
        except BaseException as error:  # nothing was committed, the changes that ran included
            group = group or self._take_waiting()
            for write in group:
                if write.error is None:
                    write.error = error
        finally:
            self._last_group_written = time.monotonic()
            for write in group:
                write.done = True

    def lock(self, db: Connection, name: str) -> None:
        """Do nothing: BEGIN IMMEDIATE already keeps every other writer out."""

    def upgrading(self) -> AbstractContextManager[Connection]:
        """Run a write transaction: BEGIN IMMEDIATE is already exclusive."""
        return self.writing()

    def schema_version(self, db: Connection) -> int:
        """Read the version from the file's header (PRAGMA user_version)."""
        return int(db.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, db: Connection, version: int) -> None:
        """Write the version into the file's header; a PRAGMA takes no parameters."""
        db.execute(f"PRAGMA user_version = {int(version)}")


#: How many connections each worker process may open, unless FLASK_NOTES_POOL_SIZE says.
DEFAULT_POOL_SIZE = 4


def open_database(location: str, pool_size: int = DEFAULT_POOL_SIZE) -> Database:
    """Return the database at ``location``: a postgresql:// URL, or else a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        # Imported here, as SQLAlchemy loads a driver: psycopg and libpq are a third of
        # what a server process imports, and a site on SQLite never needs them.
        from methodslab.notes.postgresql import PostgreSQLDatabase

        return PostgreSQLDatabase(location, pool_size)
    return SQLiteDatabase(Path(location))
