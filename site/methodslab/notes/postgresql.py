"""The note store's PostgreSQL database: a connection pool per process, shared by servers.

Loaded only for a ``postgresql://`` location (``databases.open_database``).
"""

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from methodslab.notes.databases import DEFAULT_POOL_SIZE, Connection, Cursor, Outage, T

#: How long a request waits for a pooled connection (the server is down or restarting,
#: or every connection is busy) before it gets 503: long enough for a busy moment
#: (3 s timed out 16 threads on one pool of 4 with the machine's load average at 18),
#: short enough that an outage is answered, not hung.
POOL_WAIT_SECONDS = 5.0
#: How long the pool retries a lost connection, with growing pauses (1 s, 2 s, …), before
#: it gives up until a request asks again: kept short so that the pool is back within
#: seconds of the server, not after a pause of a minute grown through a long outage.
RECONNECT_SECONDS = 5.0
#: How long one connection attempt may take (libpq's connect_timeout, whole seconds).
CONNECT_TIMEOUT_SECONDS = 2

# One pool per database URL and process: app instances in one process share it,
# and a process forked from one that had opened a pool (a gunicorn worker, a
# test's process pool) opens its own instead of using the parent's sockets.
_pools: dict[str, ConnectionPool] = {}
_pools_pid = os.getpid()
_pools_lock = threading.Lock()
# A forked child keeps its parent's pools referenced and untouched: letting them
# be collected would close sockets the parent is still using.
_inherited_pools: list[ConnectionPool] = []


def _pool(url: str, size: int) -> ConnectionPool:
    """Return this process's pool for ``url``, opening it on first use."""
    global _pools_pid
    with _pools_lock:
        if _pools_pid != os.getpid():
            _inherited_pools.extend(_pools.values())
            _pools.clear()
            _pools_pid = os.getpid()
        if url not in _pools:
            # One connection stays open; more open only while requests overlap.
            _pools[url] = ConnectionPool(
                url,
                min_size=1,
                max_size=size,
                kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
                timeout=POOL_WAIT_SECONDS,
                reconnect_timeout=RECONNECT_SECONDS,
                # Each connection lent is checked first (an empty query): after the
                # server restarts, the pool's old connections are dead, and each
                # would otherwise fail one request before the pool noticed.
                check=ConnectionPool.check_connection,
                open=True,
            )
        return _pools[url]


@lru_cache(maxsize=256)
def _with_format_placeholders(sql: str) -> str:
    """Turn the store's ``?`` placeholders into psycopg's ``%s``."""
    return sql.replace("?", "%s")


class _PostgreSQLConnection:
    """A psycopg connection that takes the store's ``?`` placeholders."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[object] = (), /) -> Cursor:
        return self._connection.execute(_with_format_placeholders(sql), parameters)


class PostgreSQLDatabase:
    """One PostgreSQL database, shared by any number of servers."""

    # Rows have no order of their own in PostgreSQL: an identity column gives one.
    insertion_order_column = "rowid BIGINT GENERATED ALWAYS AS IDENTITY,"
    shared_by_servers = True
    driver_error: type[Exception] = psycopg.Error

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = url
        self.pool_size = pool_size

    def outage(self, error: Exception) -> Outage | None:
        """Say whether ``error`` means the server cannot be reached just now.

        OperationalError covers a lost or refused connection, a server shutting down
        (AdminShutdown) and the pool's timeout (PoolTimeout).
        """
        return "unreachable" if isinstance(error, psycopg.OperationalError) else None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Lend a pooled connection in autocommit mode."""
        with _pool(self.url, self.pool_size).connection() as connection:
            yield _PostgreSQLConnection(connection)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """Run a READ COMMITTED transaction on a pooled connection.

        Writers of one sandbox wait for each other on its row, which the store
        updates first (a row lock held until commit); each later statement then
        sees what the one before had committed.
        """
        pool = _pool(self.url, self.pool_size)
        with pool.connection() as connection, connection.transaction():
            yield _PostgreSQLConnection(connection)

    def write(self, change: Callable[[Connection], T]) -> T:
        """Run ``change`` in a transaction of its own: PostgreSQL runs writers side by side."""
        with self.writing() as db:
            return change(db)

    def lock(self, db: Connection, name: str) -> None:
        """Take a transaction-level advisory lock, the same for every server."""
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (_lock_name(name),))

    @contextmanager
    def upgrading(self) -> Iterator[Connection]:
        """Hold a session advisory lock around the whole transaction.

        Taken inside the transaction, the lock would come too late: the
        transaction began before the previous upgrade committed, so its view of
        the tables (the catalog cache) might not show that upgrade's tables.
        """
        name = _lock_name("schema")
        with _pool(self.url, self.pool_size).connection() as connection:
            connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
            try:
                with connection.transaction():
                    yield _PostgreSQLConnection(connection)
            finally:
                connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))

    def schema_version(self, db: Connection) -> int:
        """Read the version from the schema_version table (0 when it does not exist yet)."""
        if db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return 0
        row = db.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def set_schema_version(self, db: Connection, version: int) -> None:
        """Keep the version in a one-row table."""
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))


def _lock_name(name: str) -> str:
    return f"methodslab.notes.{name}"
