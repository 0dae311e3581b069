"""Find a browser for the suite, ffmpeg for its videos and curl, without Playwright's downloads.

Playwright's own Chromium (and the ffmpeg it records videos with) come from a
download host these machines cannot reach. So: Playwright's Chromium if it is
installed, else the system's; and for videos, Playwright's ffmpeg if installed,
else Debian's ffmpeg linked where Playwright looks for its own.

Headless, the suite prefers Chromium's headless shell, as Playwright itself does:
the same engine without the desktop browser around it, it ran the browser suite on
half the CPU of the full browser in headless mode (217 -> 103 CPU-seconds, 2 cores).

Run as a script (``make browser``), it installs what is missing from Debian's
packages when it runs as root, says what the suite will use, and fails loudly
when there is no browser.
"""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import playwright
from playwright.sync_api import Playwright, sync_playwright

# Debian names the binaries "chromium-headless-shell" and "chromium"; some other
# distributions name the browser "chromium-browser".
HEADLESS_SHELL = "chromium-headless-shell"
SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser")


@dataclass(frozen=True)
class Chromium:
    """A Chromium build the suite can launch."""

    description: str
    # None means Playwright's bundled build, which Playwright finds by itself.
    executable_path: str | None


def find_chromium(playwright: Playwright, headless: bool = True) -> Chromium | None:
    """Return Playwright's bundled Chromium if installed, else the system's, else None.

    Of the system's, the headless shell when running headless (and installed).
    """
    if Path(playwright.chromium.executable_path).exists():
        return Chromium("Playwright's bundled Chromium", None)
    names = ((HEADLESS_SHELL,) if headless else ()) + SYSTEM_CHROMIUM_NAMES
    for name in names:
        path = shutil.which(name)
        if path:
            return Chromium(f"system Chromium at {path}", path)
    return None


def playwright_ffmpeg() -> Path:
    """Return where Playwright looks for the ffmpeg it records videos with."""
    driver = Path(playwright.__file__).parent / "driver" / "package"
    browsers = json.loads((driver / "browsers.json").read_text())["browsers"]
    revision = next(entry["revision"] for entry in browsers if entry["name"] == "ffmpeg")
    cache = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    return Path(cache) / f"ffmpeg-{revision}" / "ffmpeg-linux"


def can_record_video() -> bool:
    """Tell whether Playwright will find an ffmpeg to record videos with."""
    return playwright_ffmpeg().exists()


def apt_install(*packages: str) -> None:
    """Install Debian packages (needs root)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def provision() -> tuple[Chromium | None, bool]:
    """Find (installing, when root) a Chromium and an ffmpeg for videos."""
    can_install = os.geteuid() == 0 and shutil.which("apt-get") is not None
    with sync_playwright() as driver:
        chromium = find_chromium(driver)
    # Playwright's own build or the headless shell is all the suite needs; a full
    # Chromium is only for --headed runs.
    bundled = chromium is not None and chromium.executable_path is None
    shell = chromium is not None and Path(chromium.executable_path or "").name == HEADLESS_SHELL
    missing = [] if bundled or shell else [HEADLESS_SHELL]
    if not can_record_video() and not shutil.which("ffmpeg"):
        missing.append("ffmpeg")
    if not shutil.which("curl"):  # e2e/test_snippets.py runs every curl snippet
        missing.append("curl")
    if missing and can_install:
        print(f"Installing Debian's {' and '.join(missing)} package.", flush=True)
        apt_install(*missing)
        with sync_playwright() as driver:
            chromium = find_chromium(driver)
    if not can_record_video() and shutil.which("ffmpeg"):
        target = playwright_ffmpeg()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(shutil.which("ffmpeg") or "")
    return chromium, can_record_video()


def main() -> int:
    """Provision the browser (and video) and say what the suite will use."""
    chromium, video = provision()
    if chromium is None:
        print(
            "ERROR: no Chromium for the browser suite. Either run "
            "`.venv/bin/playwright install chromium` (needs Playwright's download host) "
            "or install a system Chromium (`sudo apt-get install chromium-headless-shell` "
            "on Debian).",
            file=sys.stderr,
        )
        return 1
    if not shutil.which("curl"):
        print("ERROR: curl is missing (sudo apt-get install curl).", file=sys.stderr)
        return 1
    print(f"Browser for the e2e suite: {chromium.description}")
    print(f"Videos of failed tests: {'on' if video else 'off (no ffmpeg)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
