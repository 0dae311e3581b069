"""`make lighthouse` (tests/production/lighthouse.py) with a stand-in for Lighthouse."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.production import lighthouse

# Writes a report as Lighthouse does: scores, or, for a URL ending in one of FAIL_ON, a
# runtime error and exit status 1. FLAKY_RUNS runs of any page fail first.
FAKE_LIGHTHOUSE = """\
import json, pathlib, sys
url = sys.argv[1]
report = pathlib.Path(next(a for a in sys.argv if a.startswith("--output-path=")).split("=", 1)[1])
runs = report.with_suffix(".runs")
run = int(runs.read_text()) + 1 if runs.exists() else 1
runs.write_text(str(run))
if url.endswith(tuple({fail_on!r})) or run <= {flaky_runs}:
    error = {{"code": "NO_NAVSTART", "message": "No navigationStart event found"}}
    report.write_text(json.dumps({{"runtimeError": error, "categories": {{}}}}))
    sys.exit(1)
names = ("performance", "accessibility", "best-practices", "seo")
report.write_text(json.dumps({{"categories": {{n: {{"score": 1}} for n in names}}}}))
"""


def fake_lighthouse(folder: Path, *, fail_on: tuple[str, ...] = (), flaky_runs: int = 0) -> Path:
    """Write an executable stand-in for Lighthouse into ``folder``."""
    script = folder / "lighthouse"
    source = FAKE_LIGHTHOUSE.format(fail_on=fail_on, flaky_runs=flaky_runs)
    script.write_text(f"#!{sys.executable}\n{source}")
    script.chmod(0o755)
    return script


def test_a_run_lighthouse_broke_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", fake_lighthouse(tmp_path, flaky_runs=2))
    scores = lighthouse.audit_with_retries(
        "http://lab/", tmp_path / "home.json", "mobile", sys.executable
    )
    assert scores == dict.fromkeys(lighthouse.CATEGORIES, 100)


def test_a_page_that_still_fails_is_one_line_among_the_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @contextmanager
    def no_server() -> Iterator[str]:
        yield "http://lab"

    script = fake_lighthouse(tmp_path, fail_on=("/methods/delete",))
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", script)
    monkeypatch.setattr(lighthouse, "production_server", no_server)
    monkeypatch.setattr(lighthouse, "ROOT", tmp_path)
    monkeypatch.setattr(lighthouse, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(sys, "argv", ["lighthouse.py", "home", "lesson-delete", "echo"])
    monkeypatch.setenv("CHROME_PATH", sys.executable)  # any file: the stand-in launches nothing

    assert lighthouse.main() == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines if not line.startswith((" ", "page", "Rep"))] == [
        "home",
        "lesson-delete",
        "echo",
    ]
    (failed,) = [line for line in lines if line.startswith("lesson-delete")]
    assert "not scored, 3 runs: NO_NAVSTART: No navigationStart event found" in failed
    assert lines[-1].endswith("scores below 100: 0; pages not scored: lesson-delete")
    attempts = json.loads((tmp_path / "reports" / "lesson-delete.runs").read_text())
    assert attempts == lighthouse.RETRIES + 1


def test_without_a_browser_it_says_so_once_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", fake_lighthouse(tmp_path))
    monkeypatch.setattr(lighthouse, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(sys, "argv", ["lighthouse.py", "home"])
    monkeypatch.setenv("CHROME_PATH", str(tmp_path / "no-chromium"))

    assert lighthouse.main() == 1
    output = capsys.readouterr()
    assert output.out == ""
    assert output.err == (
        f"No Chromium for Lighthouse at {tmp_path / 'no-chromium'}: run `make browser`, "
        "or set CHROME_PATH to a Chromium or Chrome.\n"
    )
    assert not (tmp_path / "reports").exists()
