"""Visitors that keep using the site while it is hurt, and remember what it acknowledged.

Each visitor is a thread with a sandbox of its own, on one kept-alive connection: it
browses, logs in, reads its notes and rewrites a few of them, each write with a
version number one higher. Afterwards every note must hold the last version the
site acknowledged with a 2xx, or a later one whose answer was lost: never an older one.
"""

import http.client
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

#: Notes each visitor rewrites in turn.
NOTES_PER_VISITOR = 5
#: A request unanswered this long counts as hung.
HUNG_SECONDS = 10.0

# Requests that are wrong on purpose, with the statuses a correct site gives them.
HOSTILE = [
    ("GET", "/static/../../etc/passwd", {}, b""),
    ("GET", "/?q=%ZZ", {}, b""),
    ("GET", "/", {"Host": "evil.example"}, b""),
    ("GET", "/", {"X-Long": "x" * 9000}, b""),
    ("BREW", "/", {}, b""),
    ("PUT", "/api/notes/bad", {"Content-Type": "application/json"}, b'{"text": '),
    ("PUT", "/api/notes/big", {"Content-Type": "application/json"}, b"[" * 70_000),
    ("GET", "/api/notes", {"Cookie": "sandbox=forged.forged.forged"}, b""),
]


@dataclass
class Tally:
    """What the visitors saw, counted; thread-safe."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    #: (visitor, note) -> last version acknowledged, and the highest version sent.
    acknowledged: dict[tuple[int, int], int] = field(default_factory=dict)
    sent: dict[tuple[int, int], int] = field(default_factory=dict)
    cookies: dict[int, str] = field(default_factory=dict)
    #: 503s without Retry-After or a problem document: each is a fault of the site.
    bad_outages: int = 0

    def count(self, outcome: str, seconds: float) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            self.latencies.append(seconds)

    def unexpected(self, allowed: set[str]) -> int:
        """Return how many outcomes are not in ``allowed``."""
        return sum(n for outcome, n in self.outcomes.items() if outcome not in allowed)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


class Visitor(threading.Thread):
    """One student using the site until told to stop."""

    def __init__(
        self, base: str, number: int, tally: Tally, stop: threading.Event, hostile_share: float
    ) -> None:
        super().__init__(daemon=True)
        self.address = urlsplit(base).netloc
        self.number = number
        self.tally = tally
        self.stop = stop
        self.hostile_share = hostile_share
        self.version = 0
        self.connection: http.client.HTTPConnection | None = None
        self.random = random.Random(number)

    def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> http.client.HTTPResponse:
        """Send one request on the kept connection (a new one if it was closed)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.address, timeout=HUNG_SECONDS)
        self.connection.request(method, path, body or None, headers)
        response = self.connection.getresponse()
        response.read()
        if response.will_close:
            self.drop_connection()
        return response

    def drop_connection(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def attempt(self, kind: str, method: str, path: str, headers: dict, body: bytes = b""):
        """Send a request, count its outcome (kind and status, or the error); return it."""
        cookie = self.tally.cookies.get(self.number)
        if cookie and "Cookie" not in headers:
            headers = {**headers, "Cookie": f"sandbox={cookie}"}
        started = time.monotonic()
        try:
            response = self.send(method, path, headers, body)
        except (OSError, http.client.HTTPException) as error:
            self.drop_connection()
            self.tally.count(f"{kind} {type(error).__name__}", time.monotonic() - started)
            self.stop.wait(0.05)  # a server that is down is not hammered
            return None
        self.tally.count(f"{kind} {response.status}", time.monotonic() - started)
        if response.status == 503 and not (
            response.getheader("Retry-After")
            and (
                response.getheader("Content-Type", "").startswith("application/problem+json")
                or "json" not in headers.get("Accept", "json")
            )
        ):
            with self.tally.lock:
                self.tally.bad_outages += 1
        return response

    def write_note(self) -> None:
        note = self.random.randrange(NOTES_PER_VISITOR)
        key = (self.number, note)
        self.version += 1
        with self.tally.lock:
            self.tally.sent[key] = self.version
        body = json.dumps({"text": f"visitor {self.number} note {note} v{self.version}"})
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        response = self.attempt(
            "note PUT", "PUT", f"/api/notes/fault-{note}", headers, body.encode()
        )
        if response is None or not 200 <= response.status < 300:
            return
        with self.tally.lock:
            self.tally.acknowledged[key] = max(self.version, self.tally.acknowledged.get(key, 0))
            if self.number not in self.tally.cookies:
                cookie = SimpleCookie(response.getheader("Set-Cookie") or "")
                if "sandbox" in cookie:
                    self.tally.cookies[self.number] = cookie["sandbox"].value

    def run(self) -> None:
        actions: list[Callable[[], object]] = [
            lambda: self.attempt("page", "GET", "/", {}),
            lambda: self.attempt("page", "GET", "/methods/put", {}),
            lambda: self.attempt(
                "login",
                "POST",
                "/login",
                {"Content-Type": "application/x-www-form-urlencoded"},
                b"nm=Ada+Lovelace",
            ),
            lambda: self.attempt("notes GET", "GET", "/api/notes", {"Accept": "application/json"}),
            self.write_note,
            self.write_note,
        ]
        while not self.stop.is_set():
            if self.random.random() < self.hostile_share:
                method, path, headers, body = self.random.choice(HOSTILE)
                self.attempt("hostile", method, path, headers, body)
            else:
                self.random.choice(actions)()
        self.drop_connection()


def run_visitors(
    base: str,
    seconds: float,
    *,
    visitors: int = 16,
    hostile_share: float = 0.0,
    during: Callable[[float], None] | None = None,
    tally: Tally | None = None,
) -> Tally:
    """Let ``visitors`` use the site at ``base`` for ``seconds``; return what they saw.

    ``during(seconds)`` runs meanwhile in this thread (the fault), from the start.
    """
    tally = tally or Tally()
    stop = threading.Event()
    threads = [Visitor(base, number, tally, stop, hostile_share) for number in range(visitors)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if during is not None:
        during(seconds)
    stop.wait(max(0.0, seconds - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join(HUNG_SECONDS + 5)
    return tally


def lost_notes(base: str, tally: Tally) -> list[str]:
    """Read every visitor's notes back; return a line per note older than acknowledged."""
    address = urlsplit(base).netloc
    problems = []
    for visitor, cookie in sorted(tally.cookies.items()):
        connection = http.client.HTTPConnection(address, timeout=HUNG_SECONDS)
        try:
            headers = {"Accept": "application/json", "Cookie": f"sandbox={cookie}"}
            connection.request("GET", "/api/notes", headers=headers)
            notes = json.loads(connection.getresponse().read())["notes"]
        finally:
            connection.close()
        found = {note["id"]: note["text"] for note in notes}
        for (number, note), version in sorted(tally.acknowledged.items()):
            if number != visitor:
                continue
            text = found.get(f"fault-{note}", "")
            prefix = f"visitor {visitor} note {note} v"
            kept = int(text.removeprefix(prefix)) if text.startswith(prefix) else 0
            if not version <= kept <= tally.sent[(number, note)]:
                problems.append(f"visitor {visitor} note {note}: v{kept}, acknowledged v{version}")
    return problems
