"""Find a Chromium for the browser suite: Playwright's own build, else the system's.

Run as a script (``make browser``) it also installs Debian's ``chromium``
package when neither is present and it runs as root, then says which browser
the suite will use, or fails loudly when there is none.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Playwright, sync_playwright

# Debian names the binary "chromium"; some other distributions "chromium-browser".
SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser")


@dataclass(frozen=True)
class Chromium:
    """A Chromium build the suite can launch."""

    description: str
    # None means Playwright's bundled build, which Playwright finds by itself.
    executable_path: str | None


def find_chromium(playwright: Playwright) -> Chromium | None:
    """Return Playwright's bundled Chromium if installed, else the system's, else None."""
    if Path(playwright.chromium.executable_path).exists():
        return Chromium("Playwright's bundled Chromium", None)
    for name in SYSTEM_CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return Chromium(f"system Chromium at {path}", path)
    return None


def install_debian_chromium() -> None:
    """Install Debian's chromium package (needs root)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def provision() -> Chromium | None:
    """Find a Chromium, installing Debian's package first if root and none is found."""
    with sync_playwright() as playwright:
        chromium = find_chromium(playwright)
        if chromium is None and os.geteuid() == 0 and shutil.which("apt-get"):
            print("No Chromium found: installing Debian's chromium package.", flush=True)
            install_debian_chromium()
            chromium = find_chromium(playwright)
    return chromium


def main() -> int:
    """Provision a browser and say which one the suite will use."""
    chromium = provision()
    if chromium is None:
        print(
            "ERROR: no Chromium for the browser suite. Either run "
            "`.venv/bin/playwright install chromium` (needs Playwright's download host) "
            "or install a system Chromium (`sudo apt-get install chromium` on Debian).",
            file=sys.stderr,
        )
        return 1
    print(f"Browser for the e2e suite: {chromium.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
