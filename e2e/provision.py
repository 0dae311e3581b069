"""Find a browser for the suite, ffmpeg for its videos and curl, and install axe-core.

Playwright's own Chromium (and the ffmpeg it records videos with) come from a
download host these machines cannot reach. So: Playwright's Chromium if it is
installed, else the system's; and for videos, Playwright's ffmpeg if installed,
else Debian's ffmpeg linked where Playwright looks for its own.

Headless, the suite prefers Chromium's headless shell, as Playwright itself does:
the same engine without the desktop browser around it, it ran the browser suite on
half the CPU of the full browser in headless mode (217 -> 103 CPU-seconds, 2 cores).

axe-core, the accessibility checker the suite runs in each page, comes from npm
(Deque's own build) at the version pinned here, into ``.axe/``.

Run as a script (``make browser``), it installs what is missing from Debian's
packages when it runs as root, says what the suite will use, and fails loudly
when there is no browser or no axe-core.
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

ROOT = Path(__file__).resolve().parents[1]
AXE_CORE_VERSION = "4.14.1"
AXE_CORE_JS = ROOT / ".axe" / AXE_CORE_VERSION / "node_modules" / "axe-core" / "axe.min.js"


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


def npm_install(package: str, version: str, folder: Path) -> None:
    """Install an npm package at a pinned version into ``folder``; npm from Debian when root."""
    if shutil.which("npm") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise FileNotFoundError(f"no npm to install {package}: sudo apt-get install npm")
        apt_install("npm")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent",
         f"{package}@{version}"],
        check=True,
    )  # fmt: skip


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
    if not AXE_CORE_JS.exists():
        try:
            npm_install("axe-core", AXE_CORE_VERSION, AXE_CORE_JS.parents[2])
        except (OSError, subprocess.CalledProcessError) as problem:
            print(f"ERROR: cannot install axe-core: {problem}", file=sys.stderr)
            return 1
    print(f"Browser for the e2e suite: {chromium.description}")
    print(f"Videos of failed tests: {'on' if video else 'off (no ffmpeg)'}")
    print(f"Accessibility checker: axe-core {AXE_CORE_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
