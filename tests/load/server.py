"""Start the production server as `make run` does, on a free port, for load runs."""

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextmanager
def production_server(app: str = "", extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run gunicorn with site/gunicorn.conf.py (serving ``app`` instead, if given)."""
    # Bind the socket here and hand it to gunicorn (fd://): it is listening
    # before gunicorn starts, so connections simply queue until workers accept.
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    port = listener.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="http-lab-load-"))
    env = {
        **os.environ,
        "FLASK_NOTES_DATABASE": str(data / "notes.sqlite3"),
        "FLASK_SECRET_KEY": os.urandom(16).hex(),
        **(extra_env or {}),
    }
    command = [
        str(GUNICORN),
        "--config",
        str(ROOT / "site" / "gunicorn.conf.py"),
        "--bind",
        f"fd://{listener.fileno()}",
        *([app] if app else []),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, pass_fds=[listener.fileno()], stderr=subprocess.DEVNULL
    )
    listener.close()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
