"""Each visitor's notes, safe under many processes and servers writing at once.

The same rules run on SQLite (one machine, the default) and on PostgreSQL (any
number of servers); databases.py holds the few places where the two differ.

Every change runs in one transaction that first marks its sandbox as touched.
That write makes every other writer of the same sandbox wait until this one
commits (SQLite: one writer at a time in all; PostgreSQL: the sandbox's row
lock), so a check (does the note exist, is the sandbox full, does the ETag
match) and the write it decides on can never be split by another request, and
a failed check writes nothing. Creating a sandbox, which may evict others, and
the idle clean-up wait on one lock of their own, for every server.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from methodslab.notes.databases import Connection, Database

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

#: The schema, one step per version: a database at version N runs the steps after
#: the N-th. SQL that SQLite and PostgreSQL both take; {insertion_order_column} is
#: the one difference (databases.py). Add a step to change the schema; never edit one.
SCHEMA_STEPS = [
    """
CREATE TABLE IF NOT EXISTS sandboxes (
    id TEXT PRIMARY KEY,
    touched DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS sandboxes_by_touched ON sandboxes (touched);
CREATE TABLE IF NOT EXISTS notes (
    {insertion_order_column}
    sandbox TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (sandbox, id)
);
""",
]


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
    """The notes of every sandbox, in one database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # Per process, only to space the clean-ups out: running one is safe anywhere, any time.
        self._last_cleanup = 0.0
        #: The schema versions (before, after) of this process's last upgrade_schema.
        self.schema_upgrade: tuple[int, int] | None = None

    def upgrade_schema(self) -> tuple[int, int]:
        """Bring the schema up to date, once however many processes try; return (before, after)."""
        self.schema_upgrade = self._upgrade_schema()
        return self.schema_upgrade

    def _upgrade_schema(self) -> tuple[int, int]:
        latest = len(SCHEMA_STEPS)
        with self.database.reading() as db:
            found = self.database.schema_version(db)
        if found == latest:  # the usual case: no lock needed
            return found, found
        with self.database.upgrading() as db:
            found = self.database.schema_version(db)  # another process may have upgraded
            if found > latest:
                raise RuntimeError(
                    f"The notes database is at schema version {found}, newer than this "
                    f"code's {latest}: run the newer code."
                )
            for step in SCHEMA_STEPS[found:]:
                script = step.format(insertion_order_column=self.database.insertion_order_column)
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
            self.database.set_schema_version(db, latest)
        return found, latest

    @contextmanager
    def _writing(self, sandbox: str) -> Iterator[Connection]:
        """Run a write transaction for ``sandbox``, marking it as touched now."""
        now = time.time()
        if now - self._last_cleanup > CLEANUP_EVERY_SECONDS:
            self._last_cleanup = now
            self.purge_idle(now)
        with self.database.writing() as db:
            self._touch(db, sandbox, now)
            yield db

    def _touch(self, db: Connection, sandbox: str, now: float) -> None:
        """Mark the sandbox as used now, creating it (and evicting the oldest) if new."""
        # First, so that other writers of this sandbox wait for this transaction.
        if _mark_touched(db, sandbox, now):
            return
        self.database.lock(db, "sandboxes")
        if _mark_touched(db, sandbox, now):  # created meanwhile by a request on another server
            return
        (count,) = db.execute("SELECT count(*) FROM sandboxes").fetchone()
        if count >= MAX_SANDBOXES:
            db.execute(
                "DELETE FROM sandboxes WHERE id IN "
                "(SELECT id FROM sandboxes ORDER BY touched LIMIT ?)",
                (count - MAX_SANDBOXES + 1,),
            )
        db.execute("INSERT INTO sandboxes (id, touched) VALUES (?, ?)", (sandbox, now))

    def purge_idle(self, now: float | None = None) -> int:
        """Delete every sandbox idle for longer than allowed; return how many."""
        cutoff = (now or time.time()) - IDLE_SECONDS
        with self.database.writing() as db:
            # One clean-up at a time, and none while a sandbox is being created.
            self.database.lock(db, "sandboxes")
            return db.execute("DELETE FROM sandboxes WHERE touched < ?", (cutoff,)).rowcount

    def list(self, sandbox: str) -> list[Note]:
        """Return the sandbox's notes, oldest first."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT id, text, created, updated, version FROM notes "
                "WHERE sandbox = ? ORDER BY rowid",
                (sandbox,),
            ).fetchall()
        return [Note(*row) for row in rows]

    def get(self, sandbox: str, note_id: str) -> Note | None:
        """Return one note, or None."""
        with self.database.reading() as db:
            return _find(db, sandbox, note_id)

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


def _mark_touched(db: Connection, sandbox: str, now: float) -> bool:
    """Mark an existing sandbox as used now; return False if there is no such sandbox."""
    updated = db.execute("UPDATE sandboxes SET touched = ? WHERE id = ?", (now, sandbox))
    return updated.rowcount == 1


def _find(db: Connection, sandbox: str, note_id: str) -> Note | None:
    row = db.execute(
        "SELECT id, text, created, updated, version FROM notes WHERE sandbox = ? AND id = ?",
        (sandbox, note_id),
    ).fetchone()
    return Note(*row) if row else None


def _insert(db: Connection, sandbox: str, note_id: str, text: str) -> Note:
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


def _update(db: Connection, sandbox: str, current: Note, text: str) -> Note:
    note = Note(current.id, text, current.created, updated=_now(), version=current.version + 1)
    db.execute(
        "UPDATE notes SET text = ?, updated = ?, version = ? WHERE sandbox = ? AND id = ?",
        (note.text, note.updated, note.version, sandbox, note.id),
    )
    return note
