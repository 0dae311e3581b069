"""Measure 50 open class dashboards polling the production server, while students answer.

Run: .venv/bin/python tests/production/class_dashboards.py [--seconds 30]. Starts the
site as `make run` does, starts a class, opens DASHBOARDS pollers that ask for the live
part every POLL_SECONDS with If-None-Match (as static/class_dashboard.js does), and has
STUDENTS students answer the GET self-check now and then. Prints the pollers' 304 and
200 counts and latencies, and the server's CPU seconds per poll. A benchmark, not a test.
"""

import argparse
import re
import sys
import threading
import time
from pathlib import Path

import requests

from server import running_server, worker_pids

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
from tests.self_check_forms import forms_on  # noqa: E402

DASHBOARDS = 50
POLL_SECONDS = 3.0
STUDENTS = 10
#: Each student answers about this often.
ANSWER_SECONDS = 10.0


def cpu_seconds(pids: list[int]) -> float:
    """Return the user and system CPU seconds the processes ``pids`` have used."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / 100


def percentile(values: list[float], share: float) -> float:
    """Return the value ``share`` of the way through ``values`` (0 for none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    """Run the measurement and print what it found."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--students", type=int, default=STUDENTS, help="0: a quiet class")
    arguments = parser.parse_args()
    seconds, student_count = arguments.seconds, arguments.students
    with running_server() as server:
        base = server.url
        teacher = requests.Session()
        started = teacher.post(f"{base}/classes", allow_redirects=False, timeout=30)
        link = started.headers["Location"].partition("?")[0]
        page = teacher.get(f"{base}{link}", timeout=30).text
        code = re.search(r'class="class-code">([^<]+)<', page)[1]  # type: ignore[index]
        students = []
        for number in range(student_count):
            student = requests.Session()
            student.post(f"{base}/join", data={"code": code, "nickname": f"s{number}"}, timeout=30)
            students.append(student)
        stop = time.monotonic() + seconds
        lock = threading.Lock()
        latencies: dict[int, list[float]] = {200: [], 304: []}
        answered = [0]

        def poll(offset: float) -> None:
            session = requests.Session()
            etag = ""
            time.sleep(offset)
            while time.monotonic() < stop:
                began = time.monotonic()
                answer = session.get(
                    f"{base}{link}/live",
                    headers={"If-None-Match": etag} if etag else {},
                    timeout=30,
                )
                took = time.monotonic() - began
                etag = answer.headers.get("ETag", etag)
                with lock:
                    latencies.setdefault(answer.status_code, []).append(took)
                time.sleep(max(0.0, POLL_SECONDS - took))

        def answer(student: requests.Session, offset: float) -> None:
            time.sleep(offset)
            while time.monotonic() < stop:
                html = student.get(f"{base}/methods/get/self-check", timeout=30).text
                form = forms_on(html)[0]
                student.post(
                    f"{base}{form.action}",
                    data=form.wrong(),
                    headers={"Accept": "text/html"},
                    allow_redirects=False,
                    timeout=30,
                )
                with lock:
                    answered[0] += 1
                time.sleep(ANSWER_SECONDS)

        threads = [
            threading.Thread(target=poll, args=(POLL_SECONDS * n / DASHBOARDS,))
            for n in range(DASHBOARDS)
        ] + [
            threading.Thread(target=answer, args=(student, ANSWER_SECONDS * n / student_count))
            for n, student in enumerate(students)
        ]
        workers = worker_pids(server.process)
        cpu_before = cpu_seconds(workers)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = cpu_seconds(workers) - cpu_before
    polls = sum(len(times) for times in latencies.values())
    print(
        f"{DASHBOARDS} dashboards polling every {POLL_SECONDS} s for {seconds} s, {answered[0]} "
        f"self-checks answered by {student_count} students meanwhile"
    )
    for status, times in sorted(latencies.items()):
        print(
            f"  {status}: {len(times)} answers, p50 {1000 * percentile(times, 0.5):.1f} ms, "
            f"p99 {1000 * percentile(times, 0.99):.1f} ms"
        )
    print(
        f"  server CPU: {cpu:.2f} s in all (answers included), "
        f"{1000 * cpu / max(1, polls):.2f} ms per poll, {cpu / seconds:.1%} of one core"
    )


if __name__ == "__main__":
    main()
