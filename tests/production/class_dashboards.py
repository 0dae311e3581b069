"""Measure 50 open class dashboards on the production server, polling or streaming.

Run: .venv/bin/python tests/production/class_dashboards.py [--mode poll|stream]
[--seconds 30] [--students 10]. Starts the site as `make run` does, starts a class and
opens DASHBOARDS dashboards: with --mode poll each asks for the live part every
POLL_SECONDS with If-None-Match (as static/class_dashboard.js does); with --mode stream
each holds an event stream open (event_stream_site.py, a variant of the site made only
for this) and fetches the live part when told of a change. Meanwhile STUDENTS students
answer the GET self-check now and then. Prints the dashboards' answers and latencies, the
students' answer latency, and the server's CPU seconds. A benchmark, not a test.
"""

import argparse
import re
import sys
import threading
import time
from pathlib import Path

import requests

from class_load import percentile, poll_live
from server import running_server, worker_pids

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
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


def main() -> None:
    """Run the measurement and print what it found."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--students", type=int, default=STUDENTS, help="0: a quiet class")
    parser.add_argument("--mode", choices=["poll", "stream"], default="poll")
    arguments = parser.parse_args()
    seconds, student_count = arguments.seconds, arguments.students
    app = ["--app", "event_stream_site:create_app()", "--app-dir", str(HERE)]
    with running_server(app if arguments.mode == "stream" else ()) as server:
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
        answer_times: list[float] = []
        streams_opened = [0]

        def poll(offset: float) -> None:
            session = requests.Session()
            etag = ""
            time.sleep(offset)
            while time.monotonic() < stop:
                answer, took = poll_live(session, f"{base}{link}/live", etag)
                etag = answer.headers.get("ETag", etag)
                with lock:
                    latencies.setdefault(answer.status_code, []).append(took)
                time.sleep(max(0.0, POLL_SECONDS - took))

        def answer(student: requests.Session, offset: float) -> None:
            time.sleep(offset)
            while time.monotonic() < stop:
                html = student.get(f"{base}/methods/get/self-check", timeout=30).text
                form = forms_on(html)[0]
                began = time.monotonic()
                student.post(
                    f"{base}{form.action}",
                    data=form.wrong(),
                    headers={"Accept": "text/html"},
                    allow_redirects=False,
                    timeout=30,
                )
                with lock:
                    answer_times.append(time.monotonic() - began)
                    answered[0] += 1
                time.sleep(ANSWER_SECONDS)

        def stream(offset: float) -> None:
            session = requests.Session()
            time.sleep(offset)
            try:
                with session.get(
                    f"{base}{link}/events", stream=True, timeout=(5, seconds + 5)
                ) as events:
                    with lock:
                        streams_opened[0] += 1
                    for line in events.iter_lines():
                        if time.monotonic() > stop:
                            return
                        if line.startswith(b"data:"):
                            began = time.monotonic()
                            live = session.get(f"{base}{link}/live", timeout=30)
                            with lock:
                                latencies.setdefault(live.status_code, []).append(
                                    time.monotonic() - began
                                )
            except requests.RequestException as error:
                with lock:
                    latencies.setdefault(type(error).__name__, []).append(0.0)  # type: ignore[call-overload]

        dashboard = poll if arguments.mode == "poll" else stream
        threads = [
            threading.Thread(target=dashboard, args=(POLL_SECONDS * n / DASHBOARDS,))
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
    if arguments.mode == "stream":
        print(f"{streams_opened[0]} of {DASHBOARDS} event streams opened")
    print(
        f"{DASHBOARDS} dashboards polling every {POLL_SECONDS} s for {seconds} s, {answered[0]} "
        f"self-checks answered by {student_count} students meanwhile"
    )
    print(
        f"  students' answers: p50 {percentile(answer_times, 0.5):.1f} ms, "
        f"p99 {percentile(answer_times, 0.99):.1f} ms"
    )
    for status, times in sorted(latencies.items(), key=str):
        print(
            f"  {status}: {len(times)} answers, p50 {percentile(times, 0.5):.1f} ms, "
            f"p99 {percentile(times, 0.99):.1f} ms"
        )
    print(
        f"  server CPU: {cpu:.2f} s in all (answers included), "
        f"{1000 * cpu / max(1, polls):.2f} ms per poll, {cpu / seconds:.1%} of one core"
    )


if __name__ == "__main__":
    main()
