"""The notes when their storage fails: a disk full or turned read-only, PostgreSQL restarting."""

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from methodslab import create_app
from methodslab.notes.databases import POOL_WAIT_SECONDS
from tests.app_config import config_for
from tests.postgres_server import postgres_server

# Big enough for ext4's own structures and a few hundred notes, small enough to fill at once.
FILE_SYSTEM_BYTES = 8 * 1024 * 1024


def run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """Mount a small ext4 file system of the test's own (errors=remount-ro, as on servers)."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4"):
        pytest.skip("mounting a file system needs root and mkfs.ext4 (e2fsprogs)")
    image, mount_point = tmp_path / "disk.img", tmp_path / "disk"
    with image.open("wb") as disk:
        disk.truncate(FILE_SYSTEM_BYTES)
    run("mkfs.ext4", "-q", "-F", str(image))
    mount_point.mkdir()
    run("mount", "-o", "loop,errors=remount-ro", str(image), str(mount_point))
    try:
        yield mount_point
    finally:
        run("umount", "--lazy", str(mount_point))


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until its file system has no room left; return the file."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, bytes(65536))
    except OSError as error:
        assert error.errno == 28, error  # ENOSPC
    finally:
        os.close(descriptor)
    return filler


def turn_read_only(mount_point: Path) -> None:
    """Make the kernel remount the file system read-only, as on a disk error (open files too)."""
    device = Path(
        subprocess.check_output(["findmnt", "-no", "SOURCE", str(mount_point)], text=True).strip()
    )
    (Path("/sys/fs/ext4") / device.name / "trigger_fs_error").write_text("test of the notes\n")


def integrity(database: Path) -> str:
    """Return what SQLite's integrity check says of ``database`` ("ok" when intact)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))


def notes_of(client: FlaskClient) -> dict[str, str]:
    response = client.get("/api/notes")
    assert response.status_code == 200
    return {note["id"]: note["text"] for note in response.get_json()["notes"]}


def put_note(client: FlaskClient, note_id: str, text: str) -> int:
    return client.put(f"/api/notes/{note_id}", json={"text": text}).status_code


def test_a_full_disk_refuses_writes_with_507_and_keeps_reads(small_disk: Path) -> None:
    client = create_app(config_for(small_disk)).test_client()
    assert put_note(client, "kept", "written before the disk filled") == 201
    filler = fill(small_disk)
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
    assert integrity(small_disk / "notes.sqlite3") == "ok"


def test_a_read_only_file_system_refuses_writes_with_503_and_keeps_reads(
    small_disk: Path,
) -> None:
    client = create_app(config_for(small_disk)).test_client()
    assert put_note(client, "kept", "written before the disk failed") == 201
    turn_read_only(small_disk)
    response = client.put("/api/notes/lost", json={"text": "no disk"})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert notes_of(client) == {"kept": "written before the disk failed"}
    assert client.get("/methods/put").status_code == 200
    assert integrity(small_disk / "notes.sqlite3") == "ok"


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
