"""Run wrk with a Lua script from this folder and return its counters."""

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_wrk(
    url: str,
    script: str,
    *,
    seconds: int,
    connections: int,
    args: Sequence[str] = (),
    prelude: str = "",
) -> dict[str, int]:
    """Drive ``url`` with ``script`` (plus report.lua) and return requests, errors, latency."""
    source = prelude + (HERE / script).read_text() + (HERE / "report.lua").read_text()
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(source)
        lua.flush()
        command = [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            lua.name,
            url,
            "--",
            *args,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if result is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    counts = {key: int(value) for key, value in (pair.split("=") for pair in result[1].split())}
    counts["errors"] = sum(value for key, value in counts.items() if key.startswith("errors_"))
    return counts


def requests_per_second(counts: dict[str, int]) -> float:
    """Return the throughput of a wrk run."""
    return counts["requests"] / (counts["duration_us"] / 1e6)
