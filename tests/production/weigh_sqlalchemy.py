"""Notes PUT throughput: the site's database layer (group commit) vs SQLAlchemy Core.

Both run NoteStore.put's very statements on a fresh SQLite file (WAL, synchronous=NORMAL,
BEGIN IMMEDIATE); SQLAlchemy Core runs one transaction per PUT, as it does unless a
group commit is written on top of it. THREADS threads (the first argument, 8 by default),
each PUTs into its own sandbox. SQLAlchemy is not a dependency; to weigh it again:

    .venv/bin/pip install --target /tmp/weigh sqlalchemy==2.1.9
    PYTHONPATH=site:/tmp/weigh .venv/bin/python tests/production/weigh_sqlalchemy.py 8
"""

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event

from methodslab.notes.databases import SQLiteDatabase
from methodslab.notes.store import NoteStore
from methodslab.web.conditions import UNCONDITIONAL

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
PUTS_PER_THREAD = 400


class CoreConnection:
    def __init__(self, connection: sqlalchemy.Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        return self.connection.exec_driver_sql(sql, tuple(parameters))


class CoreDatabase:
    insertion_order_column = ""
    shared_by_servers = False

    def __init__(self, path: Path) -> None:
        self.engine = sqlalchemy.create_engine(
            f"sqlite:///{path}", connect_args={"timeout": 30}, pool_size=THREADS
        )

        @event.listens_for(self.engine, "connect")
        def connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's recipe: BEGIN ourselves
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = NORMAL")
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(self.engine, "begin")
        def begin(connection: sqlalchemy.Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @contextmanager
    def reading(self) -> Iterator[CoreConnection]:
        with self.engine.connect() as connection:
            yield CoreConnection(connection)

    @contextmanager
    def writing(self) -> Iterator[CoreConnection]:
        with self.engine.begin() as connection:
            yield CoreConnection(connection)

    def write(self, change: Callable[[CoreConnection], Any]) -> Any:
        with self.writing() as db:
            return change(db)

    def lock(self, db: Any, name: str) -> None:
        pass

    upgrading = writing

    def schema_version(self, db: CoreConnection) -> int:
        return int(db.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, db: CoreConnection, version: int) -> None:
        db.execute(f"PRAGMA user_version = {int(version)}")


def puts_per_second(make: Callable[[Path], Any]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = NoteStore(make(Path(folder) / "notes.sqlite3"), new_sandboxes_per_hour=10**6)
        start = threading.Barrier(THREADS + 1)

        def client(number: int) -> None:
            start.wait()
            for put in range(PUTS_PER_THREAD):
                store.put(f"sandbox{number}", f"n{put % 5}", f"text {put}", UNCONDITIONAL, "net")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        return THREADS * PUTS_PER_THREAD / (time.perf_counter() - began)


def report(name: str, rates: list[float]) -> None:
    """Print one contender's median and every run's rate."""
    runs = sorted(round(rate) for rate in rates)
    print(f"  {name:<24} median {statistics.median(rates):7.0f}  {runs}")


ours, core = [], []
for _ in range(5):
    ours.append(puts_per_second(SQLiteDatabase))
    core.append(puts_per_second(CoreDatabase))
print(f"{THREADS} threads, {THREADS * PUTS_PER_THREAD} PUTs a run, 5 runs each, PUT/s")
report("ours (group commit)", ours)
report(f"SQLAlchemy {sqlalchemy.__version__} Core", core)
