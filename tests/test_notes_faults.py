"""The notes when their database fails: a full disk, a read-only file system, PostgreSQL gone.

PostgreSQL restarting for real is make load's "postgres" phase: it needs a server of its own
(restarting the one the run shares would fail other tests' requests), about 1 CPU-second to
set up and start (`tests/postgres_server.py true`), with make test over its budget already;
here its driver's errors are raised.
"""

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.notes.postgresql import PostgreSQLDatabase
from tests.app_config import config_for
from tests.production.small_disk import can_mount, fill, integrity, small_disk, turn_read_only


@pytest.fixture
def disk() -> Iterator[Path]:
    """Mount a small file system of the test's own."""
    if not can_mount():
        pytest.skip("mounting a file system needs root and mkfs.ext4 (e2fsprogs)")
    with small_disk() as mount_point:
        yield mount_point


def notes_of(client: FlaskClient) -> dict[str, str]:
    response = client.get("/api/notes")
    assert response.status_code == 200
    return {note["id"]: note["text"] for note in response.get_json()["notes"]}


def put_note(client: FlaskClient, note_id: str, text: str) -> int:
    return client.put(f"/api/notes/{note_id}", json={"text": text}).status_code


def test_a_full_disk_refuses_writes_with_507_and_keeps_reads(disk: Path) -> None:
    client = create_app(config_for(disk)).test_client()
    assert put_note(client, "kept", "written before the disk filled") == 201
    filler = fill(disk)
    # The write-ahead log may still have room for a few: write until it has none.
    statuses = [put_note(client, "n0", "x" * 500)]
    while statuses[-1] == 201 and len(statuses) < 200:
        statuses.append(put_note(client, f"n{len(statuses)}", "x" * 500))
    assert statuses[-1] == 507, statuses
    response = client.put("/api/notes/late", json={"text": "no room"})
    assert response.status_code == 507
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["status"] == 507
    assert notes_of(client)["kept"] == "written before the disk filled"
    assert len(notes_of(client)) == len(statuses)  # "kept" and each PUT before the 507
    assert client.get("/methods/put").status_code == 200
    filler.unlink()
    assert put_note(client, "late", "room again") == 201
    assert integrity(disk / "notes.sqlite3") == "ok"


def test_a_read_only_file_system_refuses_writes_with_503_and_keeps_reads(
    disk: Path,
) -> None:
    client = create_app(config_for(disk)).test_client()
    assert put_note(client, "kept", "written before the disk failed") == 201
    turn_read_only(disk)
    response = client.put("/api/notes/lost", json={"text": "no disk"})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert notes_of(client) == {"kept": "written before the disk failed"}
    assert client.get("/methods/put").status_code == 200
    assert integrity(disk / "notes.sqlite3") == "ok"


@pytest.mark.parametrize("notes_database", ["postgresql"], indirect=True)
def test_postgresql_out_of_reach_is_503_and_its_other_errors_are_not_hidden(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert put_note(client, "kept", "written before the server went away") == 201

    def gone(*args: object) -> None:
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(PostgreSQLDatabase, "reading", gone)
    response = client.get("/api/notes")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"

    def broken(*args: object) -> None:
        raise psycopg.errors.UndefinedTable("relation does not exist")

    monkeypatch.setattr(PostgreSQLDatabase, "reading", broken)
    with pytest.raises(psycopg.errors.UndefinedTable):  # a 500, propagated in testing mode
        client.get("/api/notes")
    monkeypatch.undo()
    assert notes_of(client) == {"kept": "written before the server went away"}
