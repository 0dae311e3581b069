"""What the CORS lab's endpoint received and answered, kept per demo run for its page to show.

A browser never shows a page its preflight: the OPTIONS request and its answer stay
inside the browser (Fetch Standard, "CORS-preflight fetch"). So the server writes
each exchange down, keyed by the run id the page put in the URL, and the page reads
them back. The records live in a small SQLite file of their own, shared by every
worker process (memory is per process, and the preflight and the real request may
reach different workers), bounded in rows and kept for minutes only.
"""

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

#: Most exchanges kept for one run; later ones are not recorded.
MAX_PER_RUN = 20
#: Most exchanges kept in all; past it the oldest go first.
MAX_RECORDS = 2000
#: Records older than this are deleted.
KEEP_SECONDS = 15 * 60
#: Longest header value recorded; longer ones are cut (the lab's own values are short).
MAX_VALUE_LENGTH = 300

SCHEMA = """CREATE TABLE IF NOT EXISTS exchanges (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    run TEXT NOT NULL,
    at REAL NOT NULL,
    exchange TEXT NOT NULL
)"""
INDEX = "CREATE INDEX IF NOT EXISTS exchanges_by_run ON exchanges (run, number)"

Headers = list[tuple[str, str]]


def message(line: str, headers: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Return one side of an exchange: its start line and the header fields worth showing."""
    return {
        "line": line[:MAX_VALUE_LENGTH],
        "headers": [[name, value[:MAX_VALUE_LENGTH]] for name, value in headers],
    }


class ExchangeRecorder:
    """Exchanges of the CORS lab, per run, in one SQLite file."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._thread_local = threading.local()
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Closed at once: a connection must not outlive a fork into worker processes.
        with closing(self._connect()) as db:
            # Every process runs this; the transaction lets one in at a time, and
            # IF NOT EXISTS makes the later ones do nothing.
            db.execute("BEGIN IMMEDIATE")
            db.execute(SCHEMA)
            db.execute(INDEX)
            db.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        """Open a connection that waits for other writers instead of failing."""
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opened on first use and kept."""
        db = getattr(self._thread_local, "db", None)
        if db is None:
            db = self._thread_local.db = self._connect()
        return db

    def record(self, run: str, request: dict[str, Any], response: dict[str, Any]) -> bool:
        """Keep one exchange of ``run``; return False if the run already has its fill."""
        now = self.clock()
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM exchanges WHERE at < ?", (now - KEEP_SECONDS,))
            (count,) = db.execute("SELECT count(*) FROM exchanges WHERE run = ?", (run,)).fetchone()
            kept = count < MAX_PER_RUN
            if kept:
                exchange = json.dumps({"at": now, "request": request, "response": response})
                db.execute(
                    "INSERT INTO exchanges (run, at, exchange) VALUES (?, ?, ?)",
                    (run, now, exchange),
                )
                db.execute(
                    "DELETE FROM exchanges WHERE number <= (SELECT max(number) FROM exchanges) - ?",
                    (MAX_RECORDS,),
                )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return bool(kept)

    def exchanges(self, run: str) -> list[dict[str, Any]]:
        """Return ``run``'s exchanges still kept, oldest first."""
        rows = self._connection().execute(
            "SELECT exchange FROM exchanges WHERE run = ? AND at >= ? ORDER BY number",
            (run, self.clock() - KEEP_SECONDS),
        )
        return [json.loads(exchange) for (exchange,) in rows]
