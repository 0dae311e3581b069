"""Run the phases of ``make test`` in order and print how long each took.

Usage: ``python tests/phases.py [--limit SECONDS] NAME COMMAND [NAME COMMAND ...]``;
each command runs in the shell. The first phase that fails ends the run with its
status; a total over the limit (``make test``: 90 s) is reported, not failed,
since the neighbours on a shared machine can cause it.
Beside the wall-clock time, each line gives the CPU time the phase used (all
its processes): on a shared machine the wall clock depends on the neighbours.
"""

import os
import subprocess
import sys
import time


def cpu_seconds() -> float:
    """Return the CPU time used so far by this process's finished children."""
    times = os.times()
    return times.children_user + times.children_system


def main(arguments: list[str]) -> int:
    """Run each named phase; print a line per phase and the total."""
    limit = None
    if arguments[:1] == ["--limit"]:
        limit, arguments = float(arguments[1]), arguments[2:]
    phases = list(zip(arguments[::2], arguments[1::2], strict=True))
    lines, status, began = [], 0, time.perf_counter()
    for name, command in phases:
        started, cpu = time.perf_counter(), cpu_seconds()
        status = subprocess.run(command, shell=True, check=False).returncode
        lines.append(
            f"  {name:<6} {time.perf_counter() - started:6.1f} s"
            f"   (CPU {cpu_seconds() - cpu:6.1f} s){'   FAILED' if status else ''}"
        )
        if status:
            break
    total = time.perf_counter() - began
    print("\nTime per phase (set-up not counted):", *lines, sep="\n")
    print(
        f"  {'total':<6} {total:6.1f} s   (CPU {cpu_seconds():6.1f} s; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    if limit is not None and total > limit:
        print(f"  OVER THE LIMIT of {limit:.0f} s (with this load, or a slow test: see above)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
