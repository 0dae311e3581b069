"""Each visitor's notes, safe under many processes and servers writing at once.

The same rules run on SQLite (one machine, the default) and on PostgreSQL (any
number of servers); databases.py and postgresql.py hold the few places where they differ.

Every change runs in a transaction (on SQLite, changes waiting at the same time
share one, each in a savepoint of its own) and first marks its sandbox as touched.
That write makes every other writer of the same sandbox wait until this one
commits (SQLite: one writer at a time in all; PostgreSQL: the sandbox's row
lock), so a check (does the note exist, is the sandbox full, does the ETag
match) and the write it decides on can never be split by another request, and
a failed check writes nothing. Creating a sandbox, which may evict others, and
the idle clean-up wait on one lock of their own, for every server.
"""

import json
import math
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from methodslab.notes.classes import purge_expired_classes
from methodslab.notes.databases import Connection, Database
from methodslab.web.conditions import UNCONDITIONAL, Conditions, Validators

T = TypeVar("T")

#: Most notes one sandbox may hold.
MAX_NOTES = 25
#: Longest note text, in characters.
MAX_TEXT_LENGTH = 500
#: Most tags one note may have.
MAX_TAGS = 10
#: Longest tag, in characters.
MAX_TAG_LENGTH = 30
#: Most sandboxes kept at once; past it a new one evicts the longest-untouched idle one.
MAX_SANDBOXES = 2000
#: A sandbox written to this recently is never evicted to make room for a new one.
PROTECTED_SECONDS = 24 * 3600
#: How many new sandboxes one client network may make per hour, by default.
NEW_SANDBOXES_PER_HOUR = 60
#: The window the per-network count of new sandboxes covers.
CREATION_WINDOW_SECONDS = 3600
#: A sandbox not written to for this long is deleted by the next clean-up.
IDLE_SECONDS = 7 * 24 * 3600
#: How often, at most, a process runs the clean-up (on its next write).
CLEANUP_EVERY_SECONDS = 3600

#: The schema, one upgrade step per version: a database at version n runs the
#: steps after the n-th, once, in one transaction. SQL that SQLite and PostgreSQL
#: both take, {insertion_order_column} aside (databases.py). Version 1 is the
#: schema of before versioning, hence its IF NOT EXISTS. Add steps; never edit one.
UPGRADES: tuple[tuple[str, ...], ...] = (
    (
        # DOUBLE PRECISION: PostgreSQL's REAL has too few digits for a time in seconds.
        """CREATE TABLE IF NOT EXISTS sandboxes (
            id TEXT PRIMARY KEY,
            touched DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS sandboxes_by_touched ON sandboxes (touched)",
        """CREATE TABLE IF NOT EXISTS notes (
            {insertion_order_column}
            sandbox TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (sandbox, id)
        )""",
    ),
    (
        # Who made each sandbox of the last hour, for the per-network limit.
        "CREATE TABLE sandbox_creations (network TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX sandbox_creations_by_network ON sandbox_creations (network, at)",
    ),
    (
        # A note's tags, as JSON text: a short list always read and written whole.
        "ALTER TABLE notes ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'",
    ),
    (
        # The CORS lab's records (pages/cors_lab_store.py): here so that every server
        # sees every exchange of a run; until now a SQLite file on each machine.
        """CREATE TABLE cors_lab_exchanges (
            {insertion_order_column}
            run TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL,
            exchange TEXT NOT NULL
        )""",
        "CREATE INDEX cors_lab_exchanges_by_run ON cors_lab_exchanges (run, at)",
        "CREATE INDEX cors_lab_exchanges_by_at ON cors_lab_exchanges (at)",
    ),
    (
        # A random name for each life of a note, in its ETag: a note deleted and made
        # again under the same id starts at version 1 again, but never with an ETag
        # it had before. Notes of before keep their "v<n>" tags, which no new life has.
        "ALTER TABLE notes ADD COLUMN life TEXT NOT NULL DEFAULT ''",
    ),
    (
        # Class mode (notes/classes.py): a class, found by its join code or by the
        # SHA-256 of its teacher link's token; its students; what each one did.
        """CREATE TABLE classes (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            teacher_hash TEXT NOT NULL UNIQUE,
            created DOUBLE PRECISION NOT NULL,
            version INTEGER NOT NULL
        )""",
        "CREATE INDEX classes_by_created ON classes (created)",
        """CREATE TABLE class_members (
            class TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
            member TEXT NOT NULL,
            nickname TEXT NOT NULL,
            joined DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (class, member)
        )""",
        """CREATE TABLE class_records (
            {insertion_order_column}
            class TEXT NOT NULL,
            member TEXT NOT NULL,
            kind TEXT NOT NULL,
            item TEXT NOT NULL,
            choice TEXT NOT NULL,
            first_try INTEGER NOT NULL,
            FOREIGN KEY (class, member) REFERENCES class_members (class, member)
                ON DELETE CASCADE
        )""",
        "CREATE INDEX class_records_by_member ON class_records (class, member)",
        # A tick (a lesson visited, a self-check passed, a challenge done) counts once.
        "CREATE UNIQUE INDEX class_ticks ON class_records (class, member, kind, item) "
        "WHERE kind IN ('visit', 'pass', 'challenge')",
        # Codes of classes closed or expired, refused with 410 until they would have expired.
        "CREATE TABLE closed_class_codes (code TEXT PRIMARY KEY, until DOUBLE PRECISION NOT NULL)",
        # Per client network: classes started (a day's limit), unknown codes tried (an hour's).
        "CREATE TABLE class_creations (network TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX class_creations_by_network ON class_creations (network, at)",
        "CREATE TABLE class_join_failures (network TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX class_join_failures_by_network ON class_join_failures (network, at)",
    ),
    (
        # What the server saw each visitor do towards the challenges (notes/challenge_log.py):
        # deleted with the sandbox, bounded per sandbox there.
        """CREATE TABLE challenge_events (
            {insertion_order_column}
            sandbox TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
            challenge TEXT NOT NULL,
            step TEXT NOT NULL,
            detail TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX challenge_events_by_sandbox ON challenge_events (sandbox, challenge)",
    ),
)
SCHEMA_VERSION = len(UPGRADES)


@dataclass(frozen=True)
class Note:
    """One note as stored, with the metadata the API returns."""

    id: str
    text: str
    created: str
    updated: str
    version: int
    tags: tuple[str, ...] = ()
    #: A random name for this life of the note, from its creation to its deletion.
    life: str = ""

    @property
    def opaque_tag(self) -> str:
        """Return the entity tag without its quotes: the version, and the life it is of."""
        # Unique for the life of the URL (RFC 9110 §8.8.3): a version number alone
        # would come back when the note is deleted and made again, and a client
        # holding the old tag would pass If-Match and overwrite another note.
        return f"v{self.version}-{self.life}" if self.life else f"v{self.version}"

    @property
    def etag(self) -> str:
        """Return the note's entity tag, as ETag sends it: it changes whenever the note does."""
        return f'"{self.opaque_tag}"'

    @property
    def last_modified(self) -> datetime:
        """Return when the note last changed, to the second, as Last-Modified says it."""
        return datetime.fromisoformat(self.updated).replace(microsecond=0)

    @property
    def validators(self) -> Validators:
        """Return what preconditions compare the note by (RFC 9110 §8.8)."""
        return Validators(self.opaque_tag, last_modified=self.last_modified)

    @property
    def content(self) -> "Content":
        """Return what a client may change: the text and the tags."""
        return Content(self.text, self.tags)

    def as_json(self) -> dict[str, object]:
        """Return the note as the API shows it."""
        return {
            "id": self.id,
            "text": self.text,
            "tags": list(self.tags),
            "created": self.created,
            "updated": self.updated,
            "version": self.version,
        }


@dataclass(frozen=True)
class Content:
    """The part of a note a client writes; the store adds the metadata."""

    text: str
    tags: tuple[str, ...] = ()


class NoteStoreError(Exception):
    """A request the store refused; ``status`` is the HTTP status that says why.

    ``retry_after``, in seconds, says when asking again may succeed (429, 503).
    """

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


#: Why a write was refused, by the precondition that failed.
FAILED_PRECONDITIONS = {
    "If-Match": "The note is not the version you named (If-Match failed): it has changed "
    "since you read it, or was deleted, or made again.",
    "If-Unmodified-Since": "The note has changed since the date you gave "
    "(If-Unmodified-Since failed).",
    "If-None-Match": "The note is still the version you named (If-None-Match failed).",
}


def check_preconditions(condition: Conditions, current: Note | None) -> None:
    """Refuse a write (412) when a precondition fails for the note as it is now."""
    if condition is UNCONDITIONAL:  # the usual write: nothing to compare
        return
    failure = condition.failure(current.validators if current else None)
    if failure is None:
        return
    if failure.star:
        raise NoteStoreError(412, "The note already exists (If-None-Match: * failed).")
    raise NoteStoreError(412, FAILED_PRECONDITIONS[failure.field])


class NoteStore:
    """The notes of every sandbox, in one database."""

    def __init__(
        self,
        database: Database,
        new_sandboxes_per_hour: int = NEW_SANDBOXES_PER_HOUR,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.new_sandboxes_per_hour = new_sandboxes_per_hour
        self.clock = clock
        # Per process, only to space the clean-ups out: running one is safe anywhere, any time.
        self._last_cleanup = 0.0
        #: The schema versions this process found and left: (before, after).
        self.schema_upgrade = self._upgrade_schema()

    def _upgrade_schema(self) -> tuple[int, int]:
        """Run the upgrade steps the database has not had, once however many processes try."""
        with self.database.reading() as db:
            found = self.database.schema_version(db)
        if found == SCHEMA_VERSION:  # the usual case: no lock needed
            return found, found
        with self.database.upgrading() as db:
            found = self.database.schema_version(db)  # another process may have upgraded
            if found > SCHEMA_VERSION:
                raise RuntimeError(
                    f"The notes database is at schema version {found}, newer than this "
                    f"code's {SCHEMA_VERSION}: run the newer code."
                )
            for statements in UPGRADES[found:]:
                for statement in statements:
                    db.execute(
                        statement.format(
                            insertion_order_column=self.database.insertion_order_column
                        )
                    )
            self.database.set_schema_version(db, SCHEMA_VERSION)
        return found, SCHEMA_VERSION

    def _write(self, sandbox: str, new_for: str | None, change: Callable[[Connection], T]) -> T:
        """Run ``change`` in a write transaction for ``sandbox``, marking it as touched now.

        A sandbox not yet stored is made only when ``new_for`` names the client
        network asking, within that network's hourly allowance.
        """
        now = self.clock()
        if now - self._last_cleanup > CLEANUP_EVERY_SECONDS:
            self._last_cleanup = now
            self.purge_idle(now)

        def touched_then_changed(db: Connection) -> T:
            self._touch(db, sandbox, new_for, now)
            return change(db)

        return self.database.write(touched_then_changed)

    def _touch(self, db: Connection, sandbox: str, new_for: str | None, now: float) -> None:
        """Mark the sandbox as used now, making it first if it is new and ``new_for`` allows."""
        # First, so that other writers of this sandbox wait for this transaction.
        if _mark_touched(db, sandbox, now) or new_for is None:
            return
        self.database.lock(db, "sandboxes")
        if _mark_touched(db, sandbox, now):  # made meanwhile, by a request to another server
            return
        self._make_room(db, new_for, now)
        db.execute("INSERT INTO sandboxes (id, touched) VALUES (?, ?)", (sandbox, now))
        db.execute("INSERT INTO sandbox_creations (network, at) VALUES (?, ?)", (new_for, now))

    def _make_room(self, db: Connection, network: str, now: float) -> None:
        """Let ``network`` add a sandbox, evicting an idle one if full; else refuse (429, 503)."""
        made, first = db.execute(
            "SELECT count(*), min(at) FROM sandbox_creations WHERE network = ? AND at > ?",
            (network, now - CREATION_WINDOW_SECONDS),
        ).fetchone()
        if made >= self.new_sandboxes_per_hour:
            raise NoteStoreError(
                429,
                f"Your network has made {made} new sandboxes in the last hour, the most it "
                "may. Send the sandbox cookie you already have (curl: -c lab.cookies -b "
                "lab.cookies), or try again later.",
                retry_after=_seconds_until(first + CREATION_WINDOW_SECONDS, now),
            )
        (count,) = db.execute("SELECT count(*) FROM sandboxes").fetchone()
        if count < MAX_SANDBOXES:
            return
        # Only sandboxes nobody has written to lately: no one can push out
        # another visitor's current work by making sandboxes of their own. The
        # outer "touched < ?" is checked again on a row another server writes to
        # meanwhile (PostgreSQL rechecks a waited-for row), so that one stays.
        protected_since = now - PROTECTED_SECONDS
        evicted = db.execute(
            "DELETE FROM sandboxes WHERE touched < ? AND id IN (SELECT id FROM sandboxes "
            "WHERE touched < ? ORDER BY touched LIMIT ?)",
            (protected_since, protected_since, count - MAX_SANDBOXES + 1),
        ).rowcount
        if count - evicted >= MAX_SANDBOXES:
            (oldest,) = db.execute("SELECT min(touched) FROM sandboxes").fetchone()
            raise NoteStoreError(
                503,
                f"The lab holds {MAX_SANDBOXES} sandboxes, all in use today, so it cannot "
                "make a new one now. Try again later.",
                retry_after=_seconds_until(oldest + PROTECTED_SECONDS, now),
            )

    def write_in_sandbox(self, sandbox: str, network: str, change: Callable[[Connection], T]) -> T:
        """Run ``change`` in a write transaction for ``sandbox``, made if new for ``network``."""
        return self._write(sandbox, network, change)

    def purge_idle(self, now: float | None = None) -> int:
        """Delete idle sandboxes, expired classes, old rate records; return how many sandboxes."""
        now = now or self.clock()
        with self.database.writing() as db:
            # One clean-up at a time, from any server, and none while a sandbox is made.
            self.database.lock(db, "sandboxes")
            db.execute(
                "DELETE FROM sandbox_creations WHERE at < ?", (now - CREATION_WINDOW_SECONDS,)
            )
            purge_expired_classes(db, now)
            return db.execute(
                "DELETE FROM sandboxes WHERE touched < ?", (now - IDLE_SECONDS,)
            ).rowcount

    def list(self, sandbox: str) -> list[Note]:
        """Return the sandbox's notes, oldest first."""
        with self.database.reading() as db:
            rows = db.execute(
                f"SELECT {NOTE_COLUMNS} FROM notes WHERE sandbox = ? ORDER BY rowid", (sandbox,)
            ).fetchall()
        return [_note(row) for row in rows]

    def get(self, sandbox: str, note_id: str) -> Note | None:
        """Return one note, or None."""
        with self.database.reading() as db:
            return _find(db, sandbox, note_id)

    def create(
        self, sandbox: str, note_id: str, text: str, network: str, tags: tuple[str, ...] = ()
    ) -> Note | None:
        """Add a note under a new id; return None if the id is taken.

        ``network`` is the client network asking, which pays for a new sandbox.
        """

        def add(db: Connection) -> Note | None:
            if _find(db, sandbox, note_id) is not None:
                return None
            return _insert(db, sandbox, note_id, Content(text, tags))

        return self._write(sandbox, network, add)

    def put(
        self,
        sandbox: str,
        note_id: str,
        text: str,
        condition: Conditions,
        network: str,
        tags: tuple[str, ...] = (),
    ) -> tuple[Note, bool]:
        """Create or replace a note; return it and whether it was created."""

        def create_or_replace(db: Connection) -> tuple[Note, bool]:
            current = _find(db, sandbox, note_id)
            check_preconditions(condition, current)
            if current is None:
                return _insert(db, sandbox, note_id, Content(text, tags)), True
            return _update(db, sandbox, current, Content(text, tags)), False

        return self._write(sandbox, network, create_or_replace)

    def patch(
        self,
        sandbox: str,
        note_id: str,
        change: Callable[[Note], Content],
        condition: Conditions,
    ) -> Note | None:
        """Write ``change(note)`` over the note; return None if there is no such note.

        ``change`` runs inside the transaction, on the note as it is now, and
        may raise to refuse: then nothing is written. Without a note the answer
        is 404 whatever the preconditions say (RFC 9110 §13.2.1).
        """

        def patched(db: Connection) -> Note | None:
            current = _find(db, sandbox, note_id)
            if current is None:
                return None
            check_preconditions(condition, current)
            return _update(db, sandbox, current, change(current))

        return self._write(sandbox, None, patched)

    def delete(self, sandbox: str, note_id: str, condition: Conditions) -> bool:
        """Delete a note; return whether there was one (if not, preconditions are ignored)."""

        def deleted(db: Connection) -> bool:
            current = _find(db, sandbox, note_id)
            if current is None:
                return False  # 404, not 412 (RFC 9110 §13.2.1)
            check_preconditions(condition, current)
            cursor = db.execute(
                "DELETE FROM notes WHERE sandbox = ? AND id = ?", (sandbox, note_id)
            )
            return cursor.rowcount == 1

        return self._write(sandbox, None, deleted)

    def clear(self, sandbox: str) -> int:
        """Delete every note in the sandbox, keeping the sandbox; return how many."""

        def emptied(db: Connection) -> int:
            return db.execute("DELETE FROM notes WHERE sandbox = ?", (sandbox,)).rowcount

        return self._write(sandbox, None, emptied)


def _seconds_until(moment: float, now: float) -> int:
    """Return the whole seconds from ``now`` to ``moment``, at least 1."""
    return max(1, math.ceil(moment - now))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _mark_touched(db: Connection, sandbox: str, now: float) -> bool:
    """Mark an existing sandbox as used now; return False if there is no such sandbox."""
    updated = db.execute("UPDATE sandboxes SET touched = ? WHERE id = ?", (now, sandbox))
    return updated.rowcount == 1


NOTE_COLUMNS = "id, text, created, updated, version, tags, life"


def _note(row: Sequence[Any]) -> Note:
    """Return the note a row of NOTE_COLUMNS holds."""
    note_id, text, created, updated, version, tags, life = row
    return Note(
        note_id,
        text,
        created,
        updated,
        version,
        tuple(map(unicode_text, json.loads(tags))),
        life,
    )


def unicode_text(text: str) -> str:
    """Return ``text`` with any lone surrogate replaced by U+FFFD (Unicode §3.9).

    Tags are stored as JSON, which can spell half a UTF-16 pair ("\\ud800"), and notes
    stored before such tags were refused may hold one: no page could be encoded with it.
    """
    if text.isascii():
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _find(db: Connection, sandbox: str, note_id: str) -> Note | None:
    row = db.execute(
        f"SELECT {NOTE_COLUMNS} FROM notes WHERE sandbox = ? AND id = ?", (sandbox, note_id)
    ).fetchone()
    return _note(row) if row else None


def _insert(db: Connection, sandbox: str, note_id: str, content: Content) -> Note:
    (count,) = db.execute("SELECT count(*) FROM notes WHERE sandbox = ?", (sandbox,)).fetchone()
    if count >= MAX_NOTES:
        raise NoteStoreError(
            409, f"Your sandbox already holds {MAX_NOTES} notes, the most it can. Delete one first."
        )
    stamp = _now()
    # 48 random bits: the same id made again gets the same life once in 2**48 times.
    life = secrets.token_hex(6)
    note = Note(note_id, content.text, stamp, stamp, version=1, tags=content.tags, life=life)
    db.execute(
        "INSERT INTO notes (sandbox, id, text, tags, created, updated, version, life) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (sandbox, note.id, note.text, json.dumps(note.tags), note.created, note.updated, 1, life),
    )
    return note


def _update(db: Connection, sandbox: str, current: Note, content: Content) -> Note:
    # Writing the content a note already has changes nothing, not even its version
    # (so its ETag): a PUT sent twice leaves it exactly as after one (RFC 9110 §9.2.2),
    # and so does a merge patch (RFC 7396 §2 gives final values).
    if content == current.content:
        return current
    note = Note(
        current.id,
        content.text,
        current.created,
        updated=_now(),
        version=current.version + 1,
        tags=content.tags,
        life=current.life,
    )
    db.execute(
        "UPDATE notes SET text = ?, tags = ?, updated = ?, version = ? "
        "WHERE sandbox = ? AND id = ?",
        (note.text, json.dumps(note.tags), note.updated, note.version, sandbox, note.id),
    )
    return note
