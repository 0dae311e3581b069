"""Lighthouse on every page of the site, served as `make run` serves it.

Run with `make lighthouse` (it installs Lighthouse from npm into .lighthouse/, git-ignored).
Prints each page's performance, accessibility, best-practices and SEO scores, keeps the
reports in test-results/lighthouse/, and exits 1 unless every score is 100. Slow (about
15 s a page), so not part of `make test`: a report, not a test.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from e2e.site_pages import SITE_PAGES  # noqa: E402
from tests.production.server import production_server  # noqa: E402

LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def audit(url: str, report: Path, form_factor: str) -> dict[str, int]:
    """Run Lighthouse on ``url``; return its score per category, 0 to 100."""
    subprocess.run(
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
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


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
    REPORTS.mkdir(parents=True, exist_ok=True)

    print(f"{'page':<24} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  ({args.form_factor})")
    below = 0
    with production_server() as base_url:
        for page in pages:
            scores = audit(base_url + page.path, REPORTS / f"{page.slug}.json", args.form_factor)
            below += sum(score < 100 for score in scores.values())
            print(f"{page.slug:<24} " + " ".join(f"{scores[name]:>5}" for name in CATEGORIES))
    print(f"Reports: {REPORTS.relative_to(ROOT)}/; scores below 100: {below}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
