"""Start the production server as `make run` does, on a free port.

Used by the load test, the benchmark, and `make test`'s smoke run against a real server:
`python tests/production/server.py pytest e2e --base-url {base_url}`.
"""

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextmanager
def production_server(
    app: Sequence[str] = (), environment: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Run gunicorn with site/gunicorn.conf.py; ``app`` may name another app and its options.

    ``environment`` adds to or overrides the server's (FLASK_NOTES_DATABASE, FLASK_SECRET_KEY).
    """
    # Bind the socket here and hand it to gunicorn (fd://): it is listening
    # before gunicorn starts, so connections simply queue until workers accept.
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    port = listener.getsockname()[1]
    data_folder = tempfile.TemporaryDirectory(prefix="http-lab-load-")
    data = Path(data_folder.name)
    env = {
        **os.environ,
        "FLASK_NOTES_DATABASE": str(data / "notes.sqlite3"),
        "FLASK_SECRET_KEY": os.urandom(16).hex(),
        **(environment or {}),
    }
    command = [
        str(GUNICORN),
        "--config",
        str(ROOT / "site" / "gunicorn.conf.py"),
        "--bind",
        f"fd://{listener.fileno()}",
        *app,
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
        data_folder.cleanup()


def main() -> int:
    """Run a command while the production server is up; "{base_url}" in it is replaced."""
    command = sys.argv[1:]
    if not command:
        sys.exit("usage: server.py COMMAND [ARG...]  ({base_url} in ARGs becomes the URL)")
    with production_server() as base_url:
        print(f"Production server (gunicorn, site/gunicorn.conf.py) at {base_url}", flush=True)
        return subprocess.run([arg.replace("{base_url}", base_url) for arg in command]).returncode


if __name__ == "__main__":
    sys.exit(main())
