"""Load test: many clients on the production server at once, then check no note was lost.

Run with `make load`. It starts the site as `make run` does, gives each of
SANDBOXES visitors a sandbox, drives the home page, a lesson, the login
redirect and notes PUTs with wrk for a fixed time, then again with
SLOW_CLIENTS connections open that send their headers one line a second,
prints throughput, latency and errors of each phase, then reads every
sandbox back. Exits 1 on any error or any lost or crossed note. A benchmark
that prints numbers, not a test.
"""

import argparse
import http.client
import json
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from server import production_server
from slow_clients import SlowClients
from wrk import requests_per_second, run_wrk

SANDBOXES = 40
NOTES_PER_SANDBOX = 25
SLOW_CLIENTS = 100


def call(base: str, method: str, path: str, body: dict | None = None, cookie: str = ""):
    """Send one request to ``base`` and return the response, read.

    Tried up to three times on a reset connection, as a client would.
    """
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if cookie:
        headers["Cookie"] = f"sandbox={cookie}"
    for attempt in range(3):
        connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
        try:
            connection.request(method, path, json.dumps(body) if body else None, headers)
            response = connection.getresponse()
            response.body = response.read()
            return response
        except ConnectionResetError:
            if attempt == 2:
                raise
        finally:
            connection.close()
    raise AssertionError("unreachable")


def new_sandbox(base: str) -> str:
    """Make a sandbox by writing its first note; return its cookie value."""
    response = call(base, "PUT", "/api/notes/load-0", {"text": "sandbox ? note 0"})
    assert response.status == 201, response.status
    return SimpleCookie(response.getheader("Set-Cookie"))["sandbox"].value


def drive(base: str, cookies: list[str], seconds: int, connections: int) -> dict[str, int]:
    """Drive the mixed workload with wrk and return its counters."""
    cookie_list = ", ".join(json.dumps(cookie) for cookie in cookies)
    prelude = f"sandboxes = {{{cookie_list}}}\nnotes_per_sandbox = {NOTES_PER_SANDBOX}\n"
    return run_wrk(base, "mixed.lua", seconds=seconds, connections=connections, prelude=prelude)


def lost_or_crossed(base: str, cookies: list[str]) -> list[str]:
    """Read every sandbox back; return a line for each note missing or wrong."""
    problems = []
    for box, cookie in enumerate(cookies):
        notes = json.loads(call(base, "GET", "/api/notes", cookie=cookie).body)["notes"]
        found = {note["id"]: note["text"] for note in notes}
        for number in range(NOTES_PER_SANDBOX):
            expected = f"sandbox {box} note {number}"
            if found.get(f"load-{number}") != expected:
                problems.append(f"sandbox {box}: load-{number} is {found.get(f'load-{number}')!r}")
    return problems


def print_phase(title: str, counts: dict[str, int]) -> None:
    """Print one phase's throughput, latency and errors."""
    print(title)
    print(f"  requests        {counts['requests']:,} (home, PUT lesson, login POST, notes PUT)")
    print(f"  requests/s      {requests_per_second(counts):,.1f}")
    print(f"  latency p50     {counts['p50_us'] / 1000:.1f} ms")
    print(f"  latency p99     {counts['p99_us'] / 1000:.1f} ms")
    print(
        f"  errors          {counts['errors']} (connect {counts['errors_connect']}, read "
        f"{counts['errors_read']}, write {counts['errors_write']}, timeout "
        f"{counts['errors_timeout']}, non-2xx/3xx {counts['errors_status']})"
    )


def main() -> int:
    """Run the load test and print its numbers."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=int, default=20, help="length of each phase")
    options.add_argument("--connections", type=int, default=32)
    args = options.parse_args()

    with production_server() as base:
        cookies = [new_sandbox(base) for _ in range(SANDBOXES)]
        alone = drive(base, cookies, args.seconds, args.connections)
        host = urlsplit(base)
        with SlowClients((host.hostname or "127.0.0.1", host.port or 80), SLOW_CLIENTS):
            slowed = drive(base, cookies, args.seconds, args.connections)
        problems = lost_or_crossed(base, cookies)

    print(
        f"Load test: {args.seconds} s per phase, {args.connections} connections, wrk -t2, "
        "site/serve.py as `make run`"
    )
    print_phase("Mixed load", alone)
    print_phase(f"Mixed load with {SLOW_CLIENTS} slow clients (a header line a second)", slowed)
    puts = (alone["requests"] + slowed["requests"]) // 4
    written = SANDBOXES * NOTES_PER_SANDBOX
    if puts < 2 * written:
        print(
            f"  notes           INCONCLUSIVE: {puts} PUTs cannot cover {written} notes; run longer"
        )
        return 1
    print(
        f"Notes kept        {written - len(problems)} of {written} "
        f"({SANDBOXES} sandboxes × {NOTES_PER_SANDBOX}), each rewritten ~{puts // written} times"
    )
    for problem in problems[:10]:
        print(f"    {problem}")
    return 1 if alone["errors"] or slowed["errors"] or problems else 0


if __name__ == "__main__":
    sys.exit(main())
