"""Load test: many clients on the production server at once, faults, a soak; no note lost.

Run with `make load`. It starts the site as `make run` does, gives each of
SANDBOXES visitors a sandbox, drives the home page, a lesson, the login
redirect and notes PUTs with wrk for a fixed time, then again with
SLOW_CLIENTS connections open that send their headers one line a second,
prints throughput, latency and errors of each phase, then reads every
sandbox back. Then a class of 300 answering at once while 20 dashboards
poll (class_load.py). Then the faults, each under the load of fault_load.py's
visitors: a worker killed, PostgreSQL restarted, the disk full, the disk
turned read-only, SIGTERM, SLOW_UPLOADS bodies sent a byte a second; and a
soak of mixed and hostile traffic (10 minutes unless --soak-seconds says),
with each worker's memory at its start and end. Each phase prints its goal
and whether it was met; the exit status is 1 if any was not. Loads only
127.0.0.1. A benchmark that prints numbers, not a test.
"""

import argparse
import http.client
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

from class_load import class_phase
from fault_load import Tally, lost_notes, run_visitors
from server import production_server, rss_mib, running_server, worker_pids
from slow_clients import SlowClients, SlowUploads
from small_disk import can_mount, fill, integrity, small_disk, turn_read_only
from wrk import requests_per_second, run_wrk

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
from methodslab.notes.postgresql import POOL_WAIT_SECONDS  # noqa: E402
from tests.postgres_server import postgres_server  # noqa: E402

SANDBOXES = 40
NOTES_PER_SANDBOX = 25
SLOW_CLIENTS = 100
SLOW_UPLOADS = 200
SUCCESS = {"200", "201", "204", "303"}
# A connection closed before any answer: a request in flight on a worker that died
# or stopped, or one sent on a kept-alive connection such a worker had held.
CLOSED = {"RemoteDisconnected", "ConnectionResetError", "BrokenPipeError"}
# A worker killed mid-answer also cuts that answer short.
CUT_SHORT = {*CLOSED, "IncompleteRead"}


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


def print_tally(tally: Tally, allowed: set[str]) -> int:
    """Print what the visitors saw; return how many outcomes were not ``allowed``."""
    requests = sum(tally.outcomes.values())
    unexpected = {
        outcome: n
        for outcome, n in sorted(tally.outcomes.items())
        if outcome.rpartition(" ")[2] not in allowed and not is_hostile_refusal(outcome)
    }
    print(f"  requests        {requests:,} by 16 visitors")
    print(
        f"  latency p50     {tally.percentile(0.5) * 1000:.1f} ms, p99 "
        f"{tally.percentile(0.99) * 1000:.1f} ms, max {max(tally.latencies, default=0):.2f} s"
    )
    others = {
        o: n for o, n in sorted(tally.outcomes.items()) if o.rpartition(" ")[2] not in SUCCESS
    }
    print(f"  not 2xx/3xx     {others or 'none'}")
    if tally.bad_outages:
        print(f"  503s without Retry-After or a problem document: {tally.bad_outages}")
    return sum(unexpected.values()) + tally.bad_outages


def is_hostile_refusal(outcome: str) -> bool:
    """Tell whether ``outcome`` is a hostile request's refusal: a 4xx, or 501 for BREW."""
    kind, _, status = outcome.rpartition(" ")
    return kind == "hostile" and status.isdigit() and (400 <= int(status) < 500 or status == "501")


def print_notes(problems: list[str], tally: Tally) -> int:
    acknowledged = len(tally.acknowledged)
    print(f"  notes           {acknowledged - len(problems)} of {acknowledged} acknowledged kept")
    for problem in problems[:10]:
        print(f"    {problem}")
    return len(problems)


def verdict(failures: int, goal: str) -> bool:
    print(f"  goal            {goal}: {'met' if not failures else 'NOT MET'}")
    return not failures


def worker_killed(seconds: float) -> bool:
    """kill -9 each worker in turn under load: the server replaces them, the site answers."""
    print(f"A worker killed (kill -9), then the other, {seconds:.0f} s of 16 visitors")
    with running_server() as server:
        first = worker_pids(server.process)

        def kill_both(length: float) -> None:
            for victim in first:
                time.sleep(length / 3)
                os.kill(victim, signal.SIGKILL)

        tally = run_visitors(server.url, seconds, during=kill_both)
        now = worker_pids(server.process)
        running = server.process.poll() is None and len(now) == 2 and not set(first) & set(now)
        print(f"  workers         {first} -> {now}, server {'running' if running else 'EXITED'}")
        failures = print_tally(tally, SUCCESS | CUT_SHORT)
        cut = sum(n for outcome, n in tally.outcomes.items() if outcome.split()[-1] in CUT_SHORT)
        # Each visitor has one connection: at most one failure per visitor and kill.
        lost = print_notes(lost_notes(server.url, tally), tally)
    return verdict(
        failures + lost + (cut > 2 * 16) + (not running),
        "replaced, at most one failure per connection on the dead worker, no 5xx, none lost",
    )


def postgres_restart(seconds: float) -> bool:
    """Restart PostgreSQL under load: 503 with Retry-After meanwhile, the pool reconnects."""
    print(f"PostgreSQL stopped for {seconds / 4:.0f} s and started, {seconds:.0f} s of 16 visitors")
    with postgres_server(durable=True) as database:
        env = {"FLASK_NOTES_DATABASE": database.url}
        with running_server(env=env) as server:

            def restart(length: float) -> None:
                time.sleep(length / 3)
                database.stop()
                time.sleep(length / 4)
                database.start()

            tally = run_visitors(server.url, seconds, during=restart)
            failures = print_tally(tally, SUCCESS | {"503"})
            slowest = max(tally.latencies, default=0)
            lost = print_notes(lost_notes(server.url, tally), tally)
    # A request may wait for a pooled connection twice (a read, then a write).
    return verdict(
        failures + lost + (slowest > 2 * POOL_WAIT_SECONDS + 1) + (not count(tally, "503")),
        f"only 2xx/3xx or 503 with Retry-After, none over {2 * POOL_WAIT_SECONDS + 1:.0f} s, "
        "none lost",
    )


def count(tally: Tally, status: str, kinds: tuple[str, ...] = ()) -> int:
    """Return how many answers had ``status``, of requests of ``kinds`` (any when empty)."""
    return sum(
        n
        for outcome, n in tally.outcomes.items()
        if outcome.endswith(f" {status}") and (not kinds or outcome.startswith(kinds))
    )


def disk_full(seconds: float) -> bool:
    """Fill the disk of the SQLite file under load, then free it: writes 507, reads work."""
    print(f"The disk full for {seconds / 2:.0f} s, {seconds:.0f} s of 16 visitors")

    def fill_then_free(disk: Path, length: float) -> None:
        # Filled early: once the write-ahead log has grown to its size, rewriting a
        # note needs no new space, and only new sandboxes and notes would see the disk full.
        time.sleep(length / 10)
        filler = fill(disk)
        time.sleep(length / 2)
        filler.unlink()

    return disk_fault(
        seconds,
        fill_then_free,
        "507",
        "some writes 507, reads 2xx, none lost, PRAGMA integrity_check ok",
    )


def disk_read_only(seconds: float) -> bool:
    """Turn the SQLite file's file system read-only under load: writes 503, reads work."""
    print(f"The disk turned read-only half-way, {seconds:.0f} s of 16 visitors")

    def half_way_read_only(disk: Path, length: float) -> None:
        time.sleep(length / 2)
        turn_read_only(disk)

    return disk_fault(
        seconds,
        half_way_read_only,
        "503",
        "writes then 503, reads 2xx, none lost, PRAGMA integrity_check ok",
    )


def disk_fault(
    seconds: float, fault: Callable[[Path, float], None], refusal: str, goal: str
) -> bool:
    """Run 16 visitors on a small disk while ``fault`` strikes it: writes get ``refusal``."""
    with small_disk() as disk:
        with running_server(env={"FLASK_NOTES_DATABASE": str(disk / "notes.sqlite3")}) as server:
            tally = run_visitors(server.url, seconds, during=lambda length: fault(disk, length))
            failures = print_tally(tally, SUCCESS | {refusal})
            refused = count(tally, refusal, ("note PUT",))
            failures += count(tally, refusal) - refused
            lost = print_notes(lost_notes(server.url, tally), tally)
        intact = integrity(disk / "notes.sqlite3")
        print(f"  integrity       {intact}")
    return verdict(failures + lost + (intact != "ok") + (not refused), goal)


def sigterm(seconds: float) -> bool:
    """SIGTERM under load: requests in flight finish, then connections are refused."""
    print(f"SIGTERM half-way through {seconds:.0f} s of 16 visitors")
    with tempfile.TemporaryDirectory(prefix="http-lab-load-") as folder:
        env = {"FLASK_NOTES_DATABASE": f"{folder}/notes.sqlite3", "FLASK_SECRET_KEY": "load test"}
        with running_server(env=env) as server:
            exit_status: list[int] = []

            def stop(length: float) -> None:
                time.sleep(length / 2)
                server.process.send_signal(signal.SIGTERM)
                exit_status.append(server.process.wait(30))

            tally = run_visitors(server.url, seconds, during=stop)
        print(f"  exit status     {exit_status}")
        failures = print_tally(tally, SUCCESS | CLOSED | {"ConnectionRefusedError"})
        with running_server(env=env) as again:
            lost = print_notes(lost_notes(again.url, tally), tally)
    return verdict(
        failures + lost + (exit_status != [0]),
        "answered in full, closed before answering or refused; exit 0; none lost",
    )


def slow_uploads(seconds: float) -> bool:
    """SLOW_UPLOADS bodies a byte a second: other visitors' median under 100 ms, none over 2 s."""
    print(f"{SLOW_UPLOADS} bodies sent a byte a second, {seconds:.0f} s of 16 visitors")
    with running_server() as server:
        host = urlsplit(server.url)
        with SlowUploads((host.hostname or "127.0.0.1", host.port or 80), SLOW_UPLOADS) as slow:
            tally = run_visitors(server.url, seconds)
            cut_off = slow.cut_off
        failures = print_tally(tally, SUCCESS)
        print(f"  slow bodies     {cut_off} cut off by the server")
        median, slowest = tally.percentile(0.5), max(tally.latencies, default=0)
    return verdict(failures + (median > 0.1) + (slowest > 2), "median < 100 ms, max < 2 s")


def soak(seconds: float) -> bool:
    """Mixed traffic with hostile requests: memory, errors, every acknowledged note kept."""
    print(f"Soak: {seconds:.0f} s of 16 visitors, one request in ten hostile")
    with running_server() as server:
        tally = run_visitors(server.url, min(10.0, seconds / 10), hostile_share=0.1)  # warm-up
        start = {pid: rss_mib(pid) for pid in worker_pids(server.process)}
        tally = run_visitors(server.url, seconds, hostile_share=0.1, tally=tally)
        end = {pid: rss_mib(pid) for pid in worker_pids(server.process)}
        for pid in sorted(start.keys() | end.keys()):
            before, now = start.get(pid, 0), end.get(pid, 0)
            print(f"  worker {pid:<8} RSS {before:.1f} MiB at the start, {now:.1f} at the end")
        growth = max(end.get(pid, 0) / start[pid] - 1 for pid in start)
        print(f"  growth          {growth:+.1%} at most")
        failures = print_tally(tally, SUCCESS)
        hostile = sum(n for o, n in tally.outcomes.items() if is_hostile_refusal(o))
        print(f"  hostile refused {hostile:,}")
        lost = print_notes(lost_notes(server.url, tally), tally)
    return verdict(failures + lost + (growth > 0.1), "RSS growth < 10 %, 0 errors, none lost")


def throughput(seconds: int, connections: int) -> bool:
    """wrk's mixed load, alone and beside slow clients; then every sandbox read back."""
    with production_server() as base:
        cookies = [new_sandbox(base) for _ in range(SANDBOXES)]
        alone = drive(base, cookies, seconds, connections)
        host = urlsplit(base)
        with SlowClients((host.hostname or "127.0.0.1", host.port or 80), SLOW_CLIENTS):
            slowed = drive(base, cookies, seconds, connections)
        problems = lost_or_crossed(base, cookies)

    print(
        f"Load test: {seconds} s per phase, {connections} connections, wrk -t2, "
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
        return False
    print(
        f"Notes kept        {written - len(problems)} of {written} "
        f"({SANDBOXES} sandboxes × {NOTES_PER_SANDBOX}), each rewritten ~{puts // written} times"
    )
    for problem in problems[:10]:
        print(f"    {problem}")
    return not (alone["errors"] or slowed["errors"] or problems)


FAULTS: dict[str, Callable[[float], bool]] = {
    "worker": worker_killed,
    "postgres": postgres_restart,
    "disk-full": disk_full,
    "read-only": disk_read_only,
    "sigterm": sigterm,
    "slow-bodies": slow_uploads,
}


def main() -> int:
    """Run the load test, the faults and the soak, and print their numbers."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=int, default=20, help="length of each phase")
    options.add_argument("--connections", type=int, default=32)
    options.add_argument("--soak-seconds", type=int, default=600, help="length of the soak")
    phases = ["throughput", "class", *FAULTS, "soak"]
    options.add_argument(
        "--phases", default=",".join(phases), help=f"which to run, of {','.join(phases)}"
    )
    args = options.parse_args()
    chosen = args.phases.split(",")
    if unknown := set(chosen) - set(phases):
        options.error(f"unknown phases: {', '.join(sorted(unknown))}")
    results = {}
    for phase in chosen:
        if phase in ("disk-full", "read-only") and not can_mount():
            print(f"{phase}: NOT RUN, mounting a small file system needs root and mkfs.ext4")
            results[phase] = False
        elif phase == "throughput":
            results[phase] = throughput(args.seconds, args.connections)
        elif phase == "class":
            results[phase] = class_phase()
        elif phase == "soak":
            results[phase] = soak(args.soak_seconds)
        else:
            results[phase] = FAULTS[phase](args.seconds)
        sys.stdout.flush()
    failed = [phase for phase, passed in results.items() if not passed]
    print(f"Goals not met: {', '.join(failed)}" if failed else "Every goal met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
