"""`make load`'s class phase: STUDENTS answering at once while DASHBOARDS poll.

A class holds at most 200 students: the students are split between CLASSES classes,
and so are the dashboards. Each student joins, loads the GET self-check, and all
answer together (a barrier), ROUNDS times; meanwhile the teacher's dashboards ask
for the live part every POLL_SECONDS with If-None-Match. Prints p99 of both, and
checks from the classes' CSV that every answer acknowledged is counted exactly once.
"""

import csv
import io
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from server import production_server

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
from tests.self_check_forms import Form, forms_on  # noqa: E402

STUDENTS = 300
CLASSES = 2
DASHBOARDS = 20
ROUNDS = 2
POLL_SECONDS = 1.0
#: The whole class answering at once must be answered within this, at the 99th percentile.
ANSWER_P99_GOAL_MS = 5000


def percentile(values: list[float], share: float) -> float:
    """Return the value ``share`` of the way through ``values``, in milliseconds (0 for none)."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def poll_live(session: requests.Session, url: str, etag: str) -> tuple[requests.Response, float]:
    """Ask for a dashboard's live part as its script does, If-None-Match the last ETag.

    Return the answer and how long it took, in seconds.
    """
    began = time.monotonic()
    answer = session.get(url, headers={"If-None-Match": etag} if etag else {}, timeout=60)
    return answer, time.monotonic() - began


def milliseconds(times: list[float]) -> str:
    """Return the median and the 99th percentile of ``times``, in milliseconds."""
    return f"{percentile(times, 0.5):.0f} / {percentile(times, 0.99):.0f} ms"


def class_phase() -> bool:
    """Run the phase, print its numbers and say whether its goal was met."""
    with production_server() as base:
        teacher = requests.Session()
        links, codes = [], []
        for _ in range(CLASSES):
            started = teacher.post(f"{base}/classes", allow_redirects=False, timeout=30)
            links.append(started.headers["Location"].partition("?")[0])
            page = teacher.get(f"{base}{links[-1]}", timeout=30).text
            codes.append(re.search(r'class="class-code">([^<]+)<', page)[1])  # type: ignore[index]
        at_once = threading.Barrier(STUDENTS)
        done = threading.Event()
        answer_times: list[float] = []
        poll_times: list[float] = []
        statuses: dict[int, int] = {}
        acknowledged = [0]
        lock = threading.Lock()

        def student(number: int) -> None:
            session = requests.Session()
            joining = {"code": codes[number % CLASSES], "nickname": f"s{number}"}
            session.post(f"{base}/join", data=joining, timeout=60)
            for _ in range(ROUNDS):
                form: Form = forms_on(
                    session.get(f"{base}/methods/get/self-check", timeout=60).text
                )[0]
                at_once.wait()
                began = time.monotonic()
                sent = session.post(f"{base}{form.action}", data=form.wrong(), timeout=60)
                took = time.monotonic() - began
                with lock:
                    answer_times.append(took)
                    statuses[sent.status_code] = statuses.get(sent.status_code, 0) + 1
                    if sent.status_code == 200:
                        acknowledged[0] += len(form.asked)

        def dashboard(link: str) -> None:
            session = requests.Session()
            etag = ""
            while not done.is_set():
                live, took = poll_live(session, f"{base}{link}/live", etag)
                etag = live.headers.get("ETag", etag)
                with lock:
                    poll_times.append(took)
                done.wait(max(0.0, POLL_SECONDS - took))

        pollers = [
            threading.Thread(target=dashboard, args=(links[n % CLASSES],))
            for n in range(DASHBOARDS)
        ]
        for poller in pollers:
            poller.start()
        with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
            list(pool.map(student, range(STUDENTS)))
        done.set()
        for poller in pollers:
            poller.join()
        exported = [teacher.get(f"{base}{link}/export.csv", timeout=60).text for link in links]
    counted = sum(row[1] == "answer" for text in exported for row in csv.reader(io.StringIO(text)))
    print(
        f"{STUDENTS} students in {CLASSES} classes answering the GET self-check at once, "
        f"{ROUNDS} times, "
        f"{DASHBOARDS} dashboards polling every {POLL_SECONDS:.0f} s"
    )
    print(f"  answers         {len(answer_times)} sent, statuses {statuses}")
    print(f"  answer p50/p99  {milliseconds(answer_times)}")
    print(f"  polls           {len(poll_times)}")
    print(f"  poll p50/p99    {milliseconds(poll_times)}")
    print(f"  counted         {counted} answer rows for {acknowledged[0]} acknowledged answers")
    met = (
        counted == acknowledged[0]
        and statuses == {200: STUDENTS * ROUNDS}
        and percentile(answer_times, 0.99) <= ANSWER_P99_GOAL_MS
    )
    print(
        f"  goal            every answer counted once, p99 under {ANSWER_P99_GOAL_MS} ms: "
        f"{'met' if met else 'NOT MET'}"
    )
    return met
