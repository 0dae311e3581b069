"""Class mode's data: classes, their students, and what each student did, in the notes database.

A class is found two ways: by its join code (students) and by the SHA-256 of its
teacher link's token (the dashboard); the token itself is never stored. Every
change to a class adds one to its version, which the dashboard's ETag carries, so
a poll costs one indexed read while nothing changed. On PostgreSQL each change
takes the class's row lock when it bumps the version, so closing a class waits
for a change under way and the change never lands in a class already gone.
The tables are part of the notes schema (store.py); the idle clean-up deletes
classes past CLASS_DAYS (purge_expired_classes).
"""

import hashlib
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from methodslab.notes.databases import Connection, Database

T = TypeVar("T")

#: Join codes use these letters and digits only: none that reads like another
#: (no 0/O, 1/I/L), so a code read aloud or copied from a board is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
#: A class (and what its students did) is deleted this long after it was started.
CLASS_DAYS = 30
CLASS_SECONDS = CLASS_DAYS * 24 * 3600
#: Most students one class may hold.
MAX_STUDENTS = 200
#: How many classes one client network may start in CREATION_WINDOW_SECONDS.
CLASSES_PER_DAY = 50
CREATION_WINDOW_SECONDS = 24 * 3600
#: How many unknown join codes one client network may try in FAILURE_WINDOW_SECONDS.
FAILED_JOINS_PER_HOUR = 20
FAILURE_WINDOW_SECONDS = 3600
#: Most records kept for one student: a real class session makes a few hundred.
MAX_RECORDS_PER_STUDENT = 2000
#: Longest nickname, in characters.
MAX_NICKNAME_LENGTH = 30
#: What a student's record may be: a tick (visit, pass, challenge) or a choice.
TICKS = ("visit", "pass", "challenge")
CHOICES = ("answer", "prediction")


class ClassError(Exception):
    """A class request refused; ``status`` is the HTTP status, ``retry_after`` seconds (429)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Started:
    """A class just started: its code for students, and the token of its teacher link."""

    code: str
    teacher_token: str


@dataclass(frozen=True)
class Membership:
    """Which class a student joined, and who they are in it (kept in their signed cookie)."""

    class_id: str
    member: str


@dataclass(frozen=True)
class Record:
    """One thing a student did: a tick (TICKS) or a choice (CHOICES), on ``item``."""

    kind: str
    item: str
    choice: str = ""
    first_try: bool = False


@dataclass(frozen=True)
class Choice:
    """One choice a student made: a self-check answer or a prediction."""

    member: str
    kind: str
    item: str
    choice: str
    first_try: bool


@dataclass(frozen=True)
class ClassRecords:
    """Everything a class holds, for its dashboard and its export."""

    class_id: str
    code: str
    version: int
    created: float
    #: (member, nickname), in the order they joined.
    students: list[tuple[str, str]]
    #: (member, kind, item) for every tick.
    ticks: set[tuple[str, str, str]]
    choices: list[Choice]


def teacher_hash(token: str) -> str:
    """Return what the database keeps of a teacher link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def normal_code(typed: str) -> str:
    """Return a code as typed (any case, with spaces or dashes) in its stored form."""
    return "".join(character for character in typed.upper() if character not in " -\t")


def new_code() -> str:
    """Return a random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ClassStore:
    """The classes, in the notes database (SQLite or PostgreSQL)."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock

    def start(self, network: str) -> Started:
        """Start a class for a teacher on ``network``: 429 past CLASSES_PER_DAY."""
        now = self.clock()
        token = secrets.token_urlsafe(32)

        def started(db: Connection) -> Started | ClassError:
            self.database.lock(db, "classes")
            refused = _network_at_limit(
                db,
                "class_creations",
                network,
                now,
                CREATION_WINDOW_SECONDS,
                CLASSES_PER_DAY,
                "Your network has started {count} classes today, the most it may. "
                "Use a class you started, or try again later.",
            )
            if refused:
                return refused
            code = new_code()
            # A code in use, or closed and not yet forgotten (its students get 410), is not reused.
            while db.execute(
                "SELECT 1 FROM classes WHERE code = ? UNION ALL "
                "SELECT 1 FROM closed_class_codes WHERE code = ?",
                (code, code),
            ).fetchone():
                code = new_code()
            db.execute(
                "INSERT INTO classes (id, code, teacher_hash, created, version) "
                "VALUES (?, ?, ?, ?, 1)",
                (secrets.token_urlsafe(12), code, teacher_hash(token), now),
            )
            db.execute("INSERT INTO class_creations (network, at) VALUES (?, ?)", (network, now))
            return Started(code, token)

        return _raised(self.database.write(started))

    def join(self, code: str, nickname: str, network: str) -> Membership:
        """Add a student to the class ``code``: 404 or 410 for no such class, 429 past guessing.

        Every unknown code counts against the network, so codes cannot be found by
        trying them: FAILED_JOINS_PER_HOUR a network, then 429 until the hour is past.
        """
        now = self.clock()

        def joined(db: Connection) -> Membership | ClassError:
            refused = _network_at_limit(
                db,
                "class_join_failures",
                network,
                now,
                FAILURE_WINDOW_SECONDS,
                FAILED_JOINS_PER_HOUR,
                "Your network has tried {count} wrong class codes in the last hour, "
                "the most it may. Check the code with your teacher and try again later.",
            )
            if refused:
                return refused
            # The row lock (PostgreSQL) keeps the count of students exact.
            row = db.execute(
                "UPDATE classes SET version = version + 1 WHERE code = ? AND created > ? "
                "RETURNING id",
                (code, now - CLASS_SECONDS),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO class_join_failures (network, at) VALUES (?, ?)", (network, now)
                )
                return self._no_class(db, code)
            (class_id,) = row
            (students,) = db.execute(
                "SELECT count(*) FROM class_members WHERE class = ?", (class_id,)
            ).fetchone()
            if students >= MAX_STUDENTS:
                return ClassError(
                    409, f"This class is full: it has {MAX_STUDENTS} students, the most it may."
                )
            member = secrets.token_urlsafe(12)
            name = nickname or f"Student {students + 1}"
            db.execute(
                "INSERT INTO class_members (class, member, nickname, joined) VALUES (?, ?, ?, ?)",
                (class_id, member, name, now),
            )
            return Membership(class_id, member)

        # Not raised inside: the failure it counted must be committed.
        return _raised(self.database.write(joined))

    def _no_class(self, db: Connection, code: str) -> ClassError:
        """Return the refusal for a code no class has now: 410 if one had it, else 404."""
        if db.execute("SELECT 1 FROM closed_class_codes WHERE code = ?", (code,)).fetchone():
            return ClassError(
                410, "This class has ended: its teacher closed it, or it is over 30 days old."
            )
        return ClassError(
            404, "No class has this code. Check it with your teacher: it has six characters."
        )

    def leave(self, membership: Membership) -> bool:
        """Remove a student and all they did from their class; return whether they were in it."""

        def left(db: Connection) -> bool:
            removed = db.execute(
                "DELETE FROM class_members WHERE class = ? AND member = ?",
                (membership.class_id, membership.member),
            ).rowcount
            if removed:
                _bump(db, membership.class_id)
            return removed == 1

        return self.database.write(left)

    def record(self, membership: Membership, records: Sequence[Record]) -> bool:
        """Record what a student did, at once; return False if they (or their class) are gone."""
        now = self.clock()

        def recorded(db: Connection) -> bool:
            # First the class's row lock: a close or a clean-up waits, and one under way
            # is waited for, so nothing is written into a class being deleted.
            locked = db.execute(
                "UPDATE classes SET version = version WHERE id = ? AND created > ?",
                (membership.class_id, now - CLASS_SECONDS),
            )
            if locked.rowcount != 1:
                return False
            (kept,) = db.execute(
                "SELECT count(*) FROM class_members m LEFT JOIN class_records r "
                "ON r.class = m.class AND r.member = m.member "
                "WHERE m.class = ? AND m.member = ?",
                (membership.class_id, membership.member),
            ).fetchone()
            if not kept:
                return False  # left the class, or never joined it
            added = 0
            for record in records[: max(0, MAX_RECORDS_PER_STUDENT + 1 - kept)]:
                # A tick is kept once (a unique index); every choice is kept.
                added += db.execute(
                    "INSERT INTO class_records (class, member, kind, item, choice, first_try) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (
                        membership.class_id,
                        membership.member,
                        record.kind,
                        record.item,
                        record.choice,
                        int(record.first_try),
                    ),
                ).rowcount
            if added:  # the dashboard changed: a new version, a new ETag
                _bump(db, membership.class_id)
            return True

        return self.database.write(recorded)

    def version(self, token: str) -> int | None:
        """Return the version of the class whose teacher link has ``token`` (None: no class)."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT version FROM classes WHERE teacher_hash = ? AND created > ?",
                (teacher_hash(token), self.clock() - CLASS_SECONDS),
            ).fetchone()
        return int(row[0]) if row else None

    def records(self, token: str) -> ClassRecords | None:
        """Return everything the class of ``token`` holds, as of one moment (None: no class)."""
        # Read statement by statement: records newer than the version read first
        # only make the next poll fetch the dashboard again.
        with self.database.reading() as db:
            row = db.execute(
                "SELECT id, code, version, created FROM classes "
                "WHERE teacher_hash = ? AND created > ?",
                (teacher_hash(token), self.clock() - CLASS_SECONDS),
            ).fetchone()
            if row is None:
                return None
            class_id, code, version, created = row
            students = db.execute(
                "SELECT member, nickname FROM class_members WHERE class = ? "
                "ORDER BY joined, member",
                (class_id,),
            ).fetchall()
            rows = db.execute(
                "SELECT member, kind, item, choice, first_try FROM class_records "
                "WHERE class = ? ORDER BY rowid",
                (class_id,),
            ).fetchall()
        ticks = {(member, kind, item) for member, kind, item, _, _ in rows if kind in TICKS}
        choices = [
            Choice(member, kind, item, choice, bool(first))
            for member, kind, item, choice, first in rows
            if kind in CHOICES
        ]
        return ClassRecords(
            class_id,
            code,
            int(version),
            float(created),
            [tuple(s) for s in students],
            ticks,
            choices,
        )

    def close(self, token: str) -> bool:
        """Delete the class of ``token`` and all it holds; its code is refused from now (410)."""

        def closed(db: Connection) -> bool:
            row = db.execute(
                "DELETE FROM classes WHERE teacher_hash = ? RETURNING code, created",
                (teacher_hash(token),),
            ).fetchone()
            if row is None:
                return False
            _retire(db, row[0], row[1])
            return True

        return self.database.write(closed)

    def joined(self, membership: Membership) -> tuple[str, str] | None:
        """Return the code and the nickname of a student still in an open class, else None."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT c.code, m.nickname FROM class_members m JOIN classes c ON c.id = m.class "
                "WHERE m.class = ? AND m.member = ? AND c.created > ?",
                (membership.class_id, membership.member, self.clock() - CLASS_SECONDS),
            ).fetchone()
        return (row[0], row[1]) if row else None


def purge_expired_classes(db: Connection, now: float) -> int:
    """Delete classes past CLASS_SECONDS and old rate-limit records; return how many classes."""
    db.execute("DELETE FROM class_creations WHERE at < ?", (now - CREATION_WINDOW_SECONDS,))
    db.execute("DELETE FROM class_join_failures WHERE at < ?", (now - FAILURE_WINDOW_SECONDS,))
    # A closed code is remembered (410) until the class would have expired anyway.
    db.execute("DELETE FROM closed_class_codes WHERE until < ?", (now,))
    expired = db.execute(
        "DELETE FROM classes WHERE created < ? RETURNING code", (now - CLASS_SECONDS,)
    ).fetchall()
    for (code,) in expired:
        # Students who come back after it expired read that it ended, for a while longer.
        _retire(db, code, now)
    return len(expired)


def _retire(db: Connection, code: str, created: float) -> None:
    """Remember that ``code`` was a class now gone, until CLASS_SECONDS after ``created``."""
    db.execute(
        "INSERT INTO closed_class_codes (code, until) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (code, created + CLASS_SECONDS),
    )


def _bump(db: Connection, class_id: str) -> None:
    """Add one to the class's version: its dashboard changed."""
    db.execute("UPDATE classes SET version = version + 1 WHERE id = ?", (class_id,))


def _raised(outcome: T | ClassError) -> T:
    """Raise a refusal returned from a write (so that what it wrote is kept), else return."""
    if isinstance(outcome, ClassError):
        raise outcome
    return outcome


def _network_at_limit(
    db: Connection,
    table: str,
    network: str,
    now: float,
    window: float,
    most: int,
    message: str,
) -> ClassError | None:
    """Return a 429 when ``network`` has ``most`` rows in ``table`` within ``window`` seconds.

    ``table`` is one of the module's own (network, at) tables, never a visitor's word;
    ``message`` may name the ``{count}``. Retry-After: when the oldest row leaves the window.
    """
    count, first = db.execute(
        f"SELECT count(*), min(at) FROM {table} WHERE network = ? AND at > ?",
        (network, now - window),
    ).fetchone()
    if count < most:
        return None
    return ClassError(
        429, message.format(count=count), retry_after=_seconds_until(first + window, now)
    )


def _seconds_until(moment: float, now: float) -> int:
    """Return the whole seconds from ``now`` to ``moment``, at least 1."""
    return max(1, int(moment - now) + 1)
