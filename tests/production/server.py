"""Start the production server as `make run` does, on a free port.

Used by the load test, the benchmark, the production-server tests and the browser suite
(e2e/conftest.py); as a script it runs a command against one:
`python tests/production/server.py pytest e2e -m smoke --base-url {base_url}`.
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "site" / "serve.py"
STARTUP_SECONDS = 60
#: Set in the environment of the tests' shared server (tests/conftest.py, production_url):
#: no request may show it as a header.
PROCESS_PROXY = "http://process-environment.example:3128"


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, port: int) -> None:
    """Return once the server answers HTTP on ``port``; fail if it exits or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)  # polling for a process we cannot be notified about
        finally:
            connection.close()
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS} s")


@dataclass
class RunningServer:
    """A production server started for a test: where it answers, its process and its data."""

    url: str
    process: subprocess.Popen
    data: Path


@contextmanager
def running_server(
    app: Sequence[str] = (), *, env: dict[str, str] | None = None, log: IO | None = None
) -> Iterator[RunningServer]:
    """Run site/serve.py as `make run` does; ``app`` may name another app (serve.py options).

    ``env`` adds environment variables; ``log`` receives what the server writes on stdout and
    stderr, unbuffered (else it is discarded).
    """
    port = free_port()
    data_folder = tempfile.TemporaryDirectory(prefix="http-lab-load-")
    data = Path(data_folder.name)
    server_env = {
        **os.environ,
        "FLASK_NOTES_DATABASE": str(data / "notes.sqlite3"),
        "FLASK_SECRET_KEY": os.urandom(16).hex(),
        # A test server stops within a second (serve.py waits 5 s by default for the
        # requests in flight): the tests' own connections would otherwise hold each
        # stop for the full grace. A test of the stop itself sets its own.
        "WEB_STOP_SECONDS": "1",
        **(env or {}),
    }
    if log is not None:
        server_env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, str(SERVE), "--host", "127.0.0.1", "--port", str(port), *app]
    output = log or subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=output, stderr=output)
    try:
        with serving(process, port) as url:
            yield RunningServer(url, process, data)
    finally:
        data_folder.cleanup()


@contextmanager
def production_server(
    app: Sequence[str] = (), *, env: dict[str, str] | None = None, log: IO | None = None
) -> Iterator[str]:
    """Run site/serve.py as `make run` does and yield its URL (see running_server)."""
    with running_server(app, env=env, log=log) as server:
        yield server.url


def worker_pids(server: subprocess.Popen) -> list[int]:
    """Return the process ids of the server's workers (its child processes), oldest first."""
    children = []
    for task in Path(f"/proc/{server.pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            children += [int(pid) for pid in (task / "children").read_text().split()]
    started = {}
    for pid in children:
        # A worker replaced as it was listed is gone from /proc: no worker any more.
        with contextlib.suppress(FileNotFoundError):
            started[pid] = started_at(pid)
    return sorted(started, key=started.__getitem__)


def started_at(pid: int) -> int:
    """Return when process ``pid`` started, in clock ticks since boot (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[19])


def rss_mib(pid: int) -> float:
    """Return the resident memory of process ``pid`` in MiB (/proc/PID/status, VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for process {pid}")


@contextmanager
def serving(process: subprocess.Popen, port: int) -> Iterator[str]:
    """Yield the URL of a server just started on ``port`` once it answers; then stop it."""
    try:
        wait_until_serving(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    """Run a command while the production server is up; "{base_url}" in it is replaced."""
    command = sys.argv[1:]
    if not command:
        sys.exit("usage: server.py COMMAND [ARG...]  ({base_url} in ARGs becomes the URL)")
    with production_server() as base_url:
        print(f"Production server (granian, site/serve.py) at {base_url}", flush=True)
        return subprocess.run([arg.replace("{base_url}", base_url) for arg in command]).returncode


if __name__ == "__main__":
    sys.exit(main())
