"""axe-core, run in the page: the pinned build `make browser` installs, and its verdict worded."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from e2e.provision import AXE_CORE_JS, AXE_CORE_VERSION


class AxeCoreMissing(RuntimeError):
    """axe-core is not installed; the message says how to install it."""


def axe_core_script() -> str:
    """Return axe-core's script, to run in a page before ``accessibility_problem``."""
    if not AXE_CORE_JS.exists():
        raise AxeCoreMissing(
            f"axe-core {AXE_CORE_VERSION} is not installed ({AXE_CORE_JS}): run `make browser`"
        )
    return AXE_CORE_JS.read_text(encoding="utf-8")


def accessibility_problem(page: Page, report: Path, rules: Sequence[str] = ()) -> str:
    """Run axe-core (in the page already), all its rules or those named; word any violation.

    The violations go to ``report`` as JSON as well, when there are any.
    """
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    # Only the violations cross back to Python: the full results (every rule's passes and
    # inapplicable entries) are ten times the size, for nothing this check reads.
    violations = page.evaluate("(options) => axe.run(options).then(r => r.violations)", options)
    if not violations:
        return ""
    report.write_text(json.dumps(violations, indent=2))
    count = len(violations)
    return f"{count} accessibility violations:\n{worded(violations)}\n(full report: {report})"


def worded(violations: list[dict[str, Any]]) -> str:
    """Word axe-core's violations: each rule broken, then each element that breaks it, and why."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            # An element in a frame: the frame's selector, then the element's within it.
            lines.append(f"  {' → '.join(map(str, node['target']))}: {node['html']}")
            lines.extend(f"    {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)
