"""Each visitor's notes, kept in SQLite and safe under many processes writing at once.

Every change runs in one ``BEGIN IMMEDIATE`` transaction: SQLite lets one
writer in at a time across all processes, so a check (does the note exist,
is the sandbox full, does the ETag match) and the write it decides on can
never be split by another request, and a failed check writes nothing.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

#: Most notes one sandbox may hold.
MAX_NOTES = 25
#: Longest note text, in characters.
MAX_TEXT_LENGTH = 500
#: Most sandboxes kept at once; a new one evicts the longest untouched.
MAX_SANDBOXES = 2000
#: A sandbox not written to for this long is deleted by the next clean-up.
IDLE_SECONDS = 7 * 24 * 3600
#: How often, at most, a process runs the clean-up (on its next write).
CLEANUP_EVERY_SECONDS = 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS sandboxes (
    id TEXT PRIMARY KEY,
    touched REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sandboxes_by_touched ON sandboxes (touched);
CREATE TABLE IF NOT EXISTS notes (
    sandbox TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (sandbox, id)
);
"""


@dataclass(frozen=True)
class Note:
    """One note as stored, with the metadata the API returns."""

    id: str
    text: str
    created: str
    updated: str
    version: int

    @property
    def etag(self) -> str:
        """Return the note's entity tag: it changes whenever the note does."""
        return f'"v{self.version}"'

    def as_json(self) -> dict[str, object]:
        """Return the note as the API shows it."""
        return asdict(self)


class NoteStoreError(Exception):
    """A request the store refused; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Precondition:
    """The conditional headers of a write: If-Match and If-None-Match."""

    # None: no If-Match header; otherwise the tags listed, "*" meaning any.
    if_match: frozenset[str] | None = None
    if_none_match_any: bool = False

    def check(self, current: Note | None) -> None:
        """Refuse the write (412) when the note's state is not the one expected."""
        if self.if_match is not None and (
            current is None or not ({"*", current.etag} & self.if_match)
        ):
            raise NoteStoreError(412, "The note has changed since you read it (If-Match failed).")
        if self.if_none_match_any and current is not None:
            raise NoteStoreError(412, "The note already exists (If-None-Match: * failed).")


class NoteStore:
    """The notes of every sandbox, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._last_cleanup = 0.0
        self._thread_local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        """Open a connection that waits for other writers instead of failing."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
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
    def _writing(self, sandbox: str) -> Iterator[sqlite3.Connection]:
        """Run a write transaction for ``sandbox``, marking it as touched now."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            self._touch(db, sandbox)
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _touch(self, db: sqlite3.Connection, sandbox: str) -> None:
        now = time.time()
        if now - self._last_cleanup > CLEANUP_EVERY_SECONDS:
            self._last_cleanup = now
            db.execute("DELETE FROM sandboxes WHERE touched < ?", (now - IDLE_SECONDS,))
        updated = db.execute("UPDATE sandboxes SET touched = ? WHERE id = ?", (now, sandbox))
        if updated.rowcount == 0:
            db.execute(
                "DELETE FROM sandboxes WHERE id IN "
                "(SELECT id FROM sandboxes ORDER BY touched LIMIT max(0, "
                "(SELECT count(*) FROM sandboxes) - ? + 1))",
                (MAX_SANDBOXES,),
            )
            db.execute("INSERT INTO sandboxes (id, touched) VALUES (?, ?)", (sandbox, now))

    def purge_idle(self, now: float | None = None) -> int:
        """Delete every sandbox idle for longer than allowed; return how many."""
        cutoff = (now or time.time()) - IDLE_SECONDS
        return (
            self._connection()
            .execute("DELETE FROM sandboxes WHERE touched < ?", (cutoff,))
            .rowcount
        )

    def list(self, sandbox: str) -> list[Note]:
        """Return the sandbox's notes, oldest first."""
        rows = self._connection().execute(
            "SELECT id, text, created, updated, version FROM notes "
            "WHERE sandbox = ? ORDER BY rowid",
            (sandbox,),
        )
        return [Note(**row) for row in rows]

    def get(self, sandbox: str, note_id: str) -> Note | None:
        """Return one note, or None."""
        return _find(self._connection(), sandbox, note_id)

    def create(self, sandbox: str, note_id: str, text: str) -> Note | None:
        """Add a note under a new id; return None if the id is taken."""
        with self._writing(sandbox) as db:
            if _find(db, sandbox, note_id) is not None:
                return None
            return _insert(db, sandbox, note_id, text)

    def put(
        self, sandbox: str, note_id: str, text: str, condition: Precondition
    ) -> tuple[Note, bool]:
        """Create or replace a note; return it and whether it was created."""
        with self._writing(sandbox) as db:
            current = _find(db, sandbox, note_id)
            condition.check(current)
            if current is None:
                return _insert(db, sandbox, note_id, text), True
            return _update(db, sandbox, current, text), False

    def patch(
        self, sandbox: str, note_id: str, text: str | None, condition: Precondition
    ) -> Note | None:
        """Change the given fields of a note; return None if there is no such note."""
        with self._writing(sandbox) as db:
            current = _find(db, sandbox, note_id)
            condition.check(current)
            if current is None:
                return None
            return _update(db, sandbox, current, current.text if text is None else text)

    def delete(self, sandbox: str, note_id: str, condition: Precondition) -> bool:
        """Delete a note; return whether there was one."""
        with self._writing(sandbox) as db:
            condition.check(_find(db, sandbox, note_id))
            deleted = db.execute(
                "DELETE FROM notes WHERE sandbox = ? AND id = ?", (sandbox, note_id)
            )
            return deleted.rowcount == 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _find(db: sqlite3.Connection, sandbox: str, note_id: str) -> Note | None:
    row = db.execute(
        "SELECT id, text, created, updated, version FROM notes WHERE sandbox = ? AND id = ?",
        (sandbox, note_id),
    ).fetchone()
    return Note(**row) if row else None


def _insert(db: sqlite3.Connection, sandbox: str, note_id: str, text: str) -> Note:
    (count,) = db.execute("SELECT count(*) FROM notes WHERE sandbox = ?", (sandbox,)).fetchone()
    if count >= MAX_NOTES:
        raise NoteStoreError(
            409, f"Your sandbox already holds {MAX_NOTES} notes, the most it can. Delete one first."
        )
    stamp = _now()
    note = Note(note_id, text, created=stamp, updated=stamp, version=1)
    db.execute(
        "INSERT INTO notes (sandbox, id, text, created, updated, version) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (sandbox, note.id, note.text, note.created, note.updated, note.version),
    )
    return note


def _update(db: sqlite3.Connection, sandbox: str, current: Note, text: str) -> Note:
    note = Note(current.id, text, current.created, updated=_now(), version=current.version + 1)
    db.execute(
        "UPDATE notes SET text = ?, updated = ?, version = ? WHERE sandbox = ? AND id = ?",
        (note.text, note.updated, note.version, sandbox, note.id),
    )
    return note
