"""Run the phases of ``make test`` and print how long each took.

Usage: ``python tests/phases.py [--limit SECONDS] NAME COMMAND [+] NAME COMMAND ...``;
each command runs in the shell, in order. A ``+`` between two phases runs them at the
same time: the first one's output is kept and printed when both are done, the second's
is shown as it comes (``make test`` type-checks while the fast tests run: each alone
leaves a core idle part of the time). The first phase (or pair) that fails ends the run
with its status; a total over the limit (``make test``: 90 s) is reported, not failed,
since the neighbours on a shared machine can cause it.
Beside the wall-clock time, each line gives the CPU time the phase used (all its
processes): on a shared machine the wall clock depends on the neighbours.
"""

import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from threading import Thread
from typing import IO


@dataclass
class Phase:
    """A named shell command, and what came of running it."""

    name: str
    command: str
    seconds: float = 0.0
    cpu: float = 0.0
    status: int = 0
    beside: str = ""

    def line(self) -> str:
        """Return the phase's line of the table."""
        beside = f"   beside {self.beside}" if self.beside else ""
        failed = "   FAILED" if self.status else ""
        return f"  {self.name:<6} {self.seconds:6.1f} s   (CPU {self.cpu:6.1f} s){beside}{failed}"


def parse(arguments: list[str]) -> list[list[Phase]]:
    """Split NAME COMMAND pairs into groups of phases joined by "+"."""
    groups: list[list[Phase]] = [[]]
    while arguments:
        if arguments[0] == "+":
            arguments = arguments[1:]
        elif groups[-1]:
            groups.append([])
        name, command, *arguments = arguments
        groups[-1].append(Phase(name, command))
    return groups


def run_together(group: list[Phase]) -> None:
    """Run the group's phases at once; print the kept output of all but the last."""
    with ExitStack() as files:
        kept = {phase.name: files.enter_context(tempfile.TemporaryFile()) for phase in group[:-1]}
        waiting = [Thread(target=run, args=(phase, kept.get(phase.name))) for phase in group]
        for thread in waiting:
            thread.start()
        for thread in waiting:
            thread.join()
        for phase in group[:-1]:
            phase.beside = group[-1].name
            kept[phase.name].seek(0)
            print(f"\n{phase.name}:", flush=True)
            sys.stdout.buffer.write(kept[phase.name].read())
            sys.stdout.flush()


def run(phase: Phase, output: IO[bytes] | None) -> None:
    """Run one phase, its output kept in ``output`` if given, and note what it took."""
    started = time.perf_counter()
    stderr = subprocess.STDOUT if output else None
    process = subprocess.Popen(phase.command, shell=True, stdout=output, stderr=stderr)
    # wait4 gives the CPU time of this phase's processes alone, children included.
    _, status, usage = os.wait4(process.pid, 0)
    phase.status = process.returncode = os.waitstatus_to_exitcode(status)
    phase.seconds = time.perf_counter() - started
    phase.cpu = usage.ru_utime + usage.ru_stime


def main(arguments: list[str]) -> int:
    """Run each group of phases; print a line per phase and the total."""
    limit = None
    if arguments[:1] == ["--limit"]:
        limit, arguments = float(arguments[1]), arguments[2:]
    ran: list[Phase] = []
    began = time.perf_counter()
    for group in parse(arguments):
        run_together(group)
        ran += group
        if any(phase.status for phase in group):
            break
    total = time.perf_counter() - began
    print("\nTime per phase (set-up not counted):")
    print(*(phase.line() for phase in ran), sep="\n")
    cpu = sum(phase.cpu for phase in ran)
    print(
        f"  {'total':<6} {total:6.1f} s   (CPU {cpu:6.1f} s; load average {os.getloadavg()[0]:.1f})"
    )
    if limit is not None and total > limit:
        print(f"  OVER THE LIMIT of {limit:.0f} s (with this load, or a slow test: see above)")
    return next((phase.status for phase in ran if phase.status), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
