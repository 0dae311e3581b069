"""What the CORS lab's endpoint received and answered, kept per demo run for its page to show.

A browser never shows a page its preflight: the OPTIONS request and its answer stay
inside the browser (Fetch Standard, "CORS-preflight fetch"). So the server writes
each exchange down, keyed by the run id the page put in the URL, and the page reads
them back. The records live in the notes database (SQLite or PostgreSQL), shared by
every worker process and every server: the preflight and the real request may reach
different processes, or behind a load balancer different machines. They are bounded
in rows and kept for minutes only; the table is part of the notes schema (notes/store.py).
"""

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from methodslab.notes.databases import Connection, Database

#: Most exchanges kept for one run; later ones are not recorded.
MAX_PER_RUN = 20
#: Most exchanges kept in all; past it the oldest go first.
MAX_RECORDS = 2000
#: Records older than this are deleted.
KEEP_SECONDS = 15 * 60
#: Longest header value recorded; longer ones are cut (the lab's own values are short).
MAX_VALUE_LENGTH = 300

Headers = list[tuple[str, str]]


def message(line: str, headers: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Return one side of an exchange: its start line and the header fields worth showing."""
    return {
        "line": line[:MAX_VALUE_LENGTH],
        "headers": [[name, value[:MAX_VALUE_LENGTH]] for name, value in headers],
    }


class ExchangeRecorder:
    """Exchanges of the CORS lab, per run, in the notes database."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock

    def record(self, run: str, request: dict[str, Any], response: dict[str, Any]) -> bool:
        """Keep one exchange of ``run``; return False if the run already has its fill."""
        now = self.clock()
        exchange = json.dumps({"at": now, "request": request, "response": response})

        def keep(db: Connection) -> bool:
            # One recorder at a time, on every server: the counts below stay exact.
            self.database.lock(db, "cors_lab")
            _delete_expired(db, now)
            (count,) = db.execute(
                "SELECT count(*) FROM cors_lab_exchanges WHERE run = ?", (run,)
            ).fetchone()
            if count >= MAX_PER_RUN:
                return False
            db.execute(
                "INSERT INTO cors_lab_exchanges (run, at, exchange) VALUES (?, ?, ?)",
                (run, now, exchange),
            )
            # The oldest past MAX_RECORDS go (none while there are fewer: "< NULL").
            db.execute(
                "DELETE FROM cors_lab_exchanges WHERE rowid < (SELECT rowid FROM "
                "cors_lab_exchanges ORDER BY rowid DESC LIMIT 1 OFFSET ?)",
                (MAX_RECORDS - 1,),
            )
            return True

        return self.database.write(keep)

    def purge_expired(self) -> int:
        """Delete the records past KEEP_SECONDS; return how many (recording does it too)."""
        now = self.clock()

        def purge(db: Connection) -> int:
            self.database.lock(db, "cors_lab")
            return _delete_expired(db, now)

        return self.database.write(purge)

    def exchanges(self, run: str) -> list[dict[str, Any]]:
        """Return ``run``'s exchanges still kept, oldest first."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT exchange FROM cors_lab_exchanges WHERE run = ? AND at >= ? ORDER BY rowid",
                (run, self.clock() - KEEP_SECONDS),
            ).fetchall()
        return [json.loads(exchange) for (exchange,) in rows]


def _delete_expired(db: Connection, now: float) -> int:
    """Delete the records older than KEEP_SECONDS; return how many."""
    return db.execute("DELETE FROM cors_lab_exchanges WHERE at < ?", (now - KEEP_SECONDS,)).rowcount
