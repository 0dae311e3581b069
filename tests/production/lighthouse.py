"""Lighthouse on every page of the site, served as `make run` serves it.

Run with `make lighthouse` (`python -m tests.production.lighthouse [slug …]`; it installs
Lighthouse from npm into .lighthouse/, git-ignored). Prints each page's performance,
accessibility, best-practices and SEO scores, or, for a page Lighthouse could not score after
RETRIES more runs, one line saying why; keeps the reports in test-results/lighthouse/; exits 1
unless every page scored 100 in every category. Slow (about 15 s a page), so not part of
`make test`: a report, not a test.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from e2e.provision import find_chromium
from e2e.site_pages import SITE_PAGES
from tests.production.server import production_server

ROOT = Path(__file__).resolve().parents[2]

LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


#: Runs of one page after the first that Lighthouse itself broke (such as NO_NAVSTART, when
#: Chromium reported no navigation start): its errors are often passing ones.
RETRIES = 2


class AuditFailed(Exception):
    """Lighthouse could not score a page (its runtime error, or why it stopped)."""


def chromium_path() -> str | None:
    """Return the Chromium for Lighthouse: CHROME_PATH, else the browser suite's, else None."""
    if os.environ.get("CHROME_PATH"):
        return os.environ["CHROME_PATH"]
    with sync_playwright() as driver:
        chromium = find_chromium(driver)
        if chromium is None:
            return None
        return chromium.executable_path or driver.chromium.executable_path


def audit(url: str, report: Path, form_factor: str, chromium: str) -> dict[str, int]:
    """Run Lighthouse on ``url`` in ``chromium``; return its score per category, 0 to 100."""
    report.unlink(missing_ok=True)
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            f"--preset={form_factor}" if form_factor == "desktop" else "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        stderr=subprocess.PIPE,
        text=True,
    )
    # On a runtime error Lighthouse still writes its report, naming the error, then exits 1.
    result = json.loads(report.read_text()) if report.exists() else {}
    if error := result.get("runtimeError"):
        raise AuditFailed(f"{error.get('code')}: {error.get('message', '').strip()}")
    if run.returncode or not result:
        # The first line says what went wrong; a stack trace follows it.
        first_line = (run.stderr.strip().splitlines() or ["no output"])[0]
        raise AuditFailed(f"Lighthouse exited with status {run.returncode}: {first_line}")
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def audit_with_retries(url: str, report: Path, form_factor: str, chromium: str) -> dict[str, int]:
    """Audit ``url``, running Lighthouse again (RETRIES times at most) when it fails itself."""
    for _ in range(RETRIES):
        try:
            return audit(url, report, form_factor, chromium)
        except AuditFailed as failure:
            print(f"  (Lighthouse failed on {url}, trying again: {failure})", flush=True)
    return audit(url, report, form_factor, chromium)


def main() -> int:
    """Audit every page a visitor reaches by its address alone, with 200, and print scores."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--form-factor", choices=["mobile", "desktop"], default="mobile")
    options.add_argument("slugs", nargs="*", help="only these pages (e2e/site_pages.py slugs)")
    args = options.parse_args()
    # Lighthouse audits only pages that load with 200.
    pages = [page for page in SITE_PAGES if not page.press and page.status == 200]
    if args.slugs:
        pages = [page for page in pages if page.slug in args.slugs]
    chromium = chromium_path()
    if chromium is None or not Path(chromium).exists():
        print(
            f"No Chromium for Lighthouse{f' at {chromium}' if chromium else ''}: run "
            "`make browser`, or set CHROME_PATH to a Chromium or Chrome.",
            file=sys.stderr,
        )
        return 1
    REPORTS.mkdir(parents=True, exist_ok=True)

    print(f"{'page':<24} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  ({args.form_factor})")
    below = 0
    failed = []
    with production_server() as base_url:
        for page in pages:
            report = REPORTS / f"{page.slug}.json"
            try:
                url = base_url + page.path
                scores = audit_with_retries(url, report, args.form_factor, chromium)
            except AuditFailed as failure:
                failed.append(page.slug)
                print(f"{page.slug:<24} not scored, {RETRIES + 1} runs: {failure}", flush=True)
                continue
            below += sum(score < 100 for score in scores.values())
            print(f"{page.slug:<24} " + " ".join(f"{scores[name]:>5}" for name in CATEGORIES))
    print(f"Reports: {REPORTS.relative_to(ROOT)}/; scores below 100: {below}", end="")
    print(f"; pages not scored: {', '.join(failed)}" if failed else "")
    return 1 if below or failed else 0


if __name__ == "__main__":
    sys.exit(main())
