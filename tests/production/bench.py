"""Benchmark: the site against a one-route Flask app, on gunicorn and on the site's server.

Run with `make bench`. Starts the site with site/serve.py exactly as `make run`
does; hello.py, a one-route Flask app, on gunicorn's sync workers (one per core,
plus one) as a user would start it: the yardstick the goals are set against;
and hello.py on the site's own server settings (granian), the ceiling of Flask
there. It drives each endpoint and both hello apps in turn with the same wrk
load and prints requests/s, p50 and p99 latency and errors, with each endpoint's
requests/s as a ratio to each hello and its goal (against gunicorn's). Exits 1
if a goal is missed. A benchmark that prints numbers, not a test.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from run_load import new_sandbox
from server import free_port, production_server, serving
from wrk import requests_per_second, run_wrk

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Endpoint:
    """One request to measure: what wrk sends, over and over."""

    name: str
    method: str
    path: str
    body: str = ""
    content_type: str = ""
    needs_sandbox: bool = False
    # The least share of the hello app's requests/s this endpoint should reach.
    goal: float = 0.8


ENDPOINTS = (
    Endpoint("home page", "GET", "/"),
    Endpoint("lesson", "GET", "/methods/get"),
    Endpoint(
        "login redirect", "POST", "/login", "nm=Ada+Lovelace", "application/x-www-form-urlencoded"
    ),
    Endpoint("echo", "GET", "/echo?lesson=get"),
    Endpoint(
        "notes PUT",
        "PUT",
        "/api/notes/bench",
        '{"text": "Benchmark"}',
        "application/json",
        needs_sandbox=True,
        goal=0.6,  # a durable write to SQLite
    ),
    Endpoint("stylesheet", "GET", "/static/style.css", goal=0.0),
)
HELLO = Endpoint("hello app", "GET", "/")
# The same PUT, on a server whose notes are in the database given by --notes-database:
# held to p99 < 50 ms, a write to a database shared by several servers.
NOTES_PUT_ELSEWHERE = replace(
    next(endpoint for endpoint in ENDPOINTS if endpoint.name == "notes PUT"),
    name="notes PUT, pg",
    goal=0.0,
)


@contextmanager
def hello_on_gunicorn() -> Iterator[str]:
    """Serve hello.py on gunicorn's sync workers, one per core plus one; yield its URL."""
    port = free_port()
    workers = str((os.cpu_count() or 1) + 1)
    command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", workers]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(HERE), "hello:app"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with serving(process, port) as url:
        yield url


@dataclass
class Measured:
    """The runs of one endpoint."""

    endpoint: Endpoint
    rates: list[float]
    p50_ms: list[float]
    p99_ms: list[float]
    errors: int = 0

    def add(self, counts: dict[str, int]) -> None:
        """Record one wrk run."""
        self.rates.append(requests_per_second(counts))
        self.p50_ms.append(counts["p50_us"] / 1000)
        self.p99_ms.append(counts["p99_us"] / 1000)
        self.errors += counts["errors"]


def measure(url: str, endpoint: Endpoint, cookie: str, seconds: int, connections: int) -> dict:
    """Run wrk once against one endpoint."""
    args = [endpoint.method, endpoint.path, endpoint.body, endpoint.content_type, cookie]
    return run_wrk(
        url + endpoint.path, "endpoint.lua", seconds=seconds, connections=connections, args=args
    )


def main() -> int:
    """Run the benchmark and print its table."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    options.add_argument("--rounds", type=int, default=3, help="runs per endpoint")
    options.add_argument("--connections", type=int, default=32)
    options.add_argument(
        "--notes-database",
        help="also run the notes PUT on a server with this FLASK_NOTES_DATABASE "
        "(make bench-postgres gives a throwaway PostgreSQL)",
    )
    args = options.parse_args()

    endpoints = ENDPOINTS + ((NOTES_PUT_ELSEWHERE,) if args.notes_database else ())
    yardsticks = ("gunicorn", "granian")  # hello's servers: the goals', the site's
    hello_runs = {
        (server, endpoint.name): Measured(HELLO, [], [], [])
        for server in yardsticks
        for endpoint in endpoints
    }
    site_runs = {endpoint.name: Measured(endpoint, [], [], []) for endpoint in endpoints}
    hello_app = ["--app", "hello:app", "--app-dir", str(HERE)]
    with ExitStack() as servers:
        site = servers.enter_context(production_server())
        hellos = {
            "gunicorn": servers.enter_context(hello_on_gunicorn()),
            "granian": servers.enter_context(production_server(hello_app)),
        }
        urls = {endpoint.name: site for endpoint in ENDPOINTS}
        if args.notes_database:
            urls[NOTES_PUT_ELSEWHERE.name] = servers.enter_context(
                production_server(env={"FLASK_NOTES_DATABASE": args.notes_database})
            )
        # One sandbox per connection, written in turn: a class of visitors, each with
        # their own notes, rather than every connection writing one visitor's.
        cookies = {
            url: "|".join(f"sandbox={new_sandbox(url)}" for _ in range(args.connections))
            for url in set(urls.values())
        }
        for _ in range(args.rounds):
            for endpoint in endpoints:  # each hello, then the site: the same load, in turn
                for server, hello in hellos.items():
                    hello_runs[server, endpoint.name].add(
                        measure(hello, HELLO, "", args.seconds, args.connections)
                    )
                url = urls[endpoint.name]
                cookie = cookies[url] if endpoint.needs_sandbox else ""
                site_runs[endpoint.name].add(
                    measure(url, endpoint, cookie, args.seconds, args.connections)
                )

    print(
        f"Benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}: site/serve.py as "
        f"`make run`, wrk -t2 -c{args.connections}, {args.rounds} × {args.seconds} s each, "
        "Accept-Encoding: br, gzip"
    )
    print(
        f"{'endpoint':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'hello gunicorn':>15} {'ratio':>6} {'goal':>5} {'hello granian':>14} {'ratio':>6}"
    )
    failed = False
    for name, runs in site_runs.items():
        rate = statistics.median(runs.rates)
        hello = {server: statistics.median(hello_runs[server, name].rates) for server in yardsticks}
        p99 = max(runs.p99_ms)
        missed = runs.errors > 0 or p99 >= 50 or rate / hello["gunicorn"] < runs.endpoint.goal
        failed |= missed
        print(
            f"{name:<16} {rate:>9,.0f} {statistics.median(runs.p50_ms):>8.1f} {p99:>8.1f} "
            f"{runs.errors:>7} {hello['gunicorn']:>15,.0f} {rate / hello['gunicorn']:>6.2f} "
            f"{runs.endpoint.goal or '':>5} {hello['granian']:>14,.0f} "
            f"{rate / hello['granian']:>6.2f}{'  MISSED' if missed else ''}"
        )
    print(
        "Goals: the ratio to hello on gunicorn as listed; p99 < 50 ms; no errors. The last "
        "column, against hello on granian, is the cost of the site over bare Flask."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
