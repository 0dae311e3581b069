"""The notes when their storage fails: a disk full or turned read-only, PostgreSQL restarting."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.notes.databases import POOL_WAIT_SECONDS
from tests.app_config import config_for
from tests.postgres_server import postgres_server
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
    statuses = [put_note(client, f"n{number}", "x" * 500) for number in range(200)]
    refused = [status for status in statuses if status != 201]
    assert refused and set(refused) == {507}, statuses
    response = client.put("/api/notes/late", json={"text": "no room"})
    assert response.status_code == 507
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["status"] == 507
    written = statuses.index(507)
    assert notes_of(client)["kept"] == "written before the disk filled"
    assert len(notes_of(client)) == 1 + written
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


def test_a_postgresql_restart_answers_503_meanwhile_and_the_pool_reconnects(
    tmp_path: Path,
) -> None:
    with postgres_server() as server:
        app = create_app(config_for(tmp_path, server.url))
        client = app.test_client()
        assert put_note(client, "kept", "written before the restart") == 201
        server.stop()
        started = time.monotonic()
        response = client.put("/api/notes/lost", json={"text": "while it is down"})
        assert time.monotonic() - started < POOL_WAIT_SECONDS + 2  # answered, not hung
        assert response.status_code == 503
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
        assert client.get("/api/notes").status_code == 503
        # A page that needs no notes is served all along.
        assert app.test_client().get("/methods/put").status_code == 200
        server.start()
        # The pool reconnects by itself: the first requests may still find it waiting.
        deadline = time.monotonic() + 20
        statuses = [put_note(client, "after", "written after the restart")]
        while statuses[-1] != 201 and time.monotonic() < deadline:
            statuses.append(put_note(client, "after", "written after the restart"))
        assert set(statuses) <= {503, 201} and statuses[-1] == 201, statuses
        assert notes_of(client) == {
            "kept": "written before the restart",
            "after": "written after the restart",
        }
