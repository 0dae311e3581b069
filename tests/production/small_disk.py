"""A small ext4 file system to fill or to break: the disk faults of the notes' SQLite file."""

import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

# Big enough for ext4's own structures and a few hundred notes, small enough to fill at once.
FILE_SYSTEM_BYTES = 8 * 1024 * 1024


def can_mount() -> bool:
    """Tell whether this process may make and mount a file system (root, with e2fsprogs)."""
    return os.geteuid() == 0 and shutil.which("mkfs.ext4") is not None


def run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def small_disk() -> Iterator[Path]:
    """Mount a small ext4 file system that turns read-only on an error, as servers' do."""
    with tempfile.TemporaryDirectory(prefix="http-lab-disk-") as folder:
        image, mount_point = Path(folder) / "disk.img", Path(folder) / "disk"
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
        if error.errno != errno.ENOSPC:
            raise
    finally:
        os.close(descriptor)
    return filler


def turn_read_only(mount_point: Path) -> None:
    """Make the kernel remount the file system read-only, as on a disk error (open files too)."""
    source = subprocess.check_output(["findmnt", "-no", "SOURCE", str(mount_point)], text=True)
    (Path("/sys/fs/ext4") / Path(source.strip()).name / "trigger_fs_error").write_text(
        "a test of the notes\n"
    )


def integrity(database: Path) -> str:
    """Return what SQLite's integrity check says of ``database`` ("ok" when intact)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
