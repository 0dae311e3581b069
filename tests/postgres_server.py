"""A throwaway PostgreSQL server from the system's packages, for the tests and the benchmark.

`python tests/postgres_server.py [--durable] COMMAND [ARG...]` runs COMMAND while a server is
up, with "{url}" in its ARGs replaced by the server's URL and NOTES_TEST_POSTGRES set to it,
and stops the server afterwards, whatever happened.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

#: The environment variable that hands the server's URL to test processes.
URL_VARIABLE = "NOTES_TEST_POSTGRES"
SUPERUSER = "postgres"


def server_programs() -> Path:
    """Return the newest /usr/lib/postgresql/<version>/bin, installing Debian's package if root."""
    for attempt in range(2):
        versions = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"),
            key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
        )
        if versions:
            return Path(versions[-1]).parent
        if attempt == 0 and os.geteuid() == 0:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
    raise RuntimeError(
        "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb), and the "
        "PostgreSQL tests need one: sudo apt-get install postgresql"
    )


def as_server_user(command: list[str]) -> list[str]:
    """Run ``command`` as the postgres user when root: initdb and pg_ctl refuse root."""
    return ["runuser", "-u", SUPERUSER, "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL server: its URL, and how to stop and start it again."""

    url: str
    pg_ctl: list[str]
    settings: list[str]
    log: Path

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = " ".join(self.settings)
        started = subprocess.run(
            as_server_user(
                [*self.pg_ctl, "--wait", "--log", str(self.log), "-o", options, "start"]
            ),
            stdout=subprocess.DEVNULL,
        )
        if started.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log.read_text()}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: "fast" ends sessions cleanly, "immediate" as a crash would."""
        subprocess.run(
            as_server_user([*self.pg_ctl, "--mode", mode, "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@contextmanager
def throwaway_postgres(durable: bool = False) -> Iterator[str]:
    """Run a PostgreSQL server in a temporary folder; yield its URL (see postgres_server)."""
    with postgres_server(durable) as server:
        yield server.url


@contextmanager
def postgres_server(durable: bool = False) -> Iterator[PostgresServer]:
    """Run a PostgreSQL server in a temporary folder; yield it; stop it and delete it.

    ``durable=False`` (the tests) turns fsync off; ``durable=True`` (the benchmark) keeps
    PostgreSQL's own crash safety and, like the SQLite store's synchronous=NORMAL, does not
    wait for the disk on each commit (synchronous_commit=off: a crash may lose the last
    moments of commits, never consistency).
    """
    programs = server_programs()
    folder = Path(tempfile.mkdtemp(prefix="http-lab-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER, SUPERUSER)
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    subprocess.run(
        as_server_user(
            [
                *(str(programs / "initdb"), "--pgdata", str(data), "--username", SUPERUSER),
                *("--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"),
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    settings = [
        f"-p {port}",
        "-c listen_addresses=127.0.0.1",
        f"-c unix_socket_directories={folder}",
        "-c synchronous_commit=off",
        "-c max_connections=200",
    ]
    if not durable:
        settings += ["-c fsync=off", "-c full_page_writes=off"]
    server = PostgresServer(
        url=f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres",
        pg_ctl=[str(programs / "pg_ctl"), "--pgdata", str(data)],
        settings=settings,
        log=log,
    )
    try:
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    """Return the URL of database ``name`` on the server at ``server_url``."""
    return server_url.rsplit("/", 1)[0] + "/" + name


# One connection per database and test process, kept: each new connection makes the
# server fork a backend (about 20 ms of CPU), and the notes tests empty a database
# before each of their 136 PostgreSQL tests.
_kept: dict[str, psycopg.Connection[Any]] = {}


def empty_database(server_url: str, name: str) -> str:
    """Make database ``name`` exist and hold nothing; return its URL."""
    url = database_url(server_url, name)
    if url in _kept:
        _drop_everything(_kept[url])
        return url
    with psycopg.connect(server_url, autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _kept[url] = psycopg.connect(url, autocommit=True)
    _drop_everything(_kept[url])
    return url


def _drop_everything(database: psycopg.Connection[Any]) -> None:
    database.execute("DROP SCHEMA public CASCADE")
    database.execute("CREATE SCHEMA public")


def start_for_the_test_run(config: pytest.Config) -> None:
    """Start one server for the run, unless given one; pytest-xdist workers inherit its URL."""
    # pytest_configure runs in the controller before it starts the workers, whose
    # environment is then a copy of this one.
    if URL_VARIABLE in os.environ or hasattr(config, "workerinput"):
        return
    server = ExitStack()
    os.environ[URL_VARIABLE] = server.enter_context(throwaway_postgres())
    config.add_cleanup(server.close)
    # Stopped like Ctrl+C, so pytest ends the run and the server is stopped, not orphaned.
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def main() -> int:
    """Run a command while a throwaway PostgreSQL server is up."""
    command = sys.argv[1:]
    durable = command[:1] == ["--durable"]
    command = command[durable:]
    if not command:
        sys.exit("usage: postgres_server.py [--durable] COMMAND [ARG...]  ({url} becomes the URL)")
    # A SIGTERM (a timeout, a CI step stopped) unwinds like Ctrl+C: the server is stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with throwaway_postgres(durable) as url:
            command = [arg.replace("{url}", url) for arg in command]
            return subprocess.run(command, env={**os.environ, URL_VARIABLE: url}).returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
