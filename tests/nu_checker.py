"""The W3C's Nu Html Checker (vnu): installed into .vnu/, run once over many documents.

Its jar comes from the npm package ``vnu-jar`` (the checker's official build), at the
version pinned here, and runs on the machine's Java (11 or later). Run as a script
(``python -m tests.nu_checker``: ``make html-checker``, a prerequisite of ``make test``
and ``make check``), it installs the jar when missing, and Java and npm from Debian's
packages when root, says what the tests will use, and fails loudly when it cannot.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from e2e.provision import apt_install, npm_install

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR_VERSION = "26.9.27"
FOLDER = ROOT / ".vnu" / VNU_JAR_VERSION
JAR = FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A short run: the JVM's quick compiler only, and one garbage collector thread: the
# site's 81 documents took 2.3 CPU-seconds instead of 6.9 with the defaults. The checker
# needs a thread stack of 512 KB at least (it says so when it overflows one).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


class CheckerMissing(RuntimeError):
    """The checker or Java is not installed; the message says how to install it."""


def validate(paths: list[Path]) -> list[dict[str, Any]]:
    """Check the HTML (and .svg) files ``paths`` in one run; return every message."""
    java = shutil.which("java")
    if java is None or not JAR.exists():
        raise CheckerMissing(
            f"the Nu Html Checker is not installed ({JAR.relative_to(ROOT)}, java on PATH): "
            "run `make html-checker`"
        )
    options = ["--also-check-svg", "--format", "json", "--stdout"]
    command = [java, *JAVA_OPTIONS, "-jar", str(JAR), *options]
    finished = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, check=False
    )
    if finished.returncode not in (0, 1) or not finished.stdout:  # 1: it found something
        raise RuntimeError(f"vnu failed ({finished.returncode}): {finished.stderr}")
    return json.loads(finished.stdout)["messages"]


def install() -> None:
    """Install the pinned vnu-jar with npm; Java and npm from Debian's packages when root."""
    if shutil.which("java") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise CheckerMissing("no java: sudo apt-get install default-jre-headless")
        apt_install("default-jre-headless")
    if not JAR.exists():
        npm_install("vnu-jar", VNU_JAR_VERSION, FOLDER)


def main() -> int:
    """Install what is missing and say what the HTML check will use."""
    try:
        install()
    except (CheckerMissing, OSError, subprocess.CalledProcessError) as problem:
        print(f"ERROR: cannot install the Nu Html Checker: {problem}", file=sys.stderr)
        return 1
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=True)
    print(f"HTML checker: vnu.jar {VNU_JAR_VERSION} on {java.stderr.splitlines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
