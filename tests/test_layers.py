"""The package's layers, read from its source: who may import whom, where app-wide hooks live."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "site" / "methodslab"
# What each layer must never import: plumbing knows no page, lesson or teaching helper;
# the notes API knows no lesson content; teaching helpers draw, and know no page.
FORBIDDEN = {
    "web": ("methodslab.pages", "methodslab.teaching", "methodslab.notes", "methodslab.methods"),
    "notes": ("methodslab.pages", "methodslab.teaching", "methodslab.methods"),
    "teaching": ("methodslab.pages", "methodslab.notes", "methodslab.methods"),
}
FORBIDDEN_NAMES = ("methodslab.self_checks", "methodslab.glossary")
# Blueprint methods that register for the whole app: create_app registers these itself.
APP_WIDE = re.compile(r"\.(app_template_\w+|add_app_template_\w+|after_app_request|"
                      r"before_app_request|teardown_app_request|app_context_processor|"
                      r"app_errorhandler|app_url_\w+)\b")  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    """Return the modules ``path`` imports, names of ``from x import y`` as ``x.y`` too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for module in imported_modules(path):
            banned = FORBIDDEN[layer] + FORBIDDEN_NAMES
            assert not module.startswith(banned), f"{layer}/{path.name} imports {module}"


def test_every_app_wide_hook_and_template_helper_is_registered_in_create_app() -> None:
    for path in sorted(PACKAGE.glob("*/*.py")):
        assert not APP_WIDE.search(path.read_text()), path.relative_to(PACKAGE)


def test_a_site_on_sqlite_never_loads_the_postgresql_driver(tmp_path: Path) -> None:
    # psycopg and libpq are a third of what a worker imports (site/PERFORMANCE.md).
    program = "import sys, methodslab; methodslab.create_app(); print(sorted(sys.modules))"
    settings = {"FLASK_NOTES_DATABASE": str(tmp_path / "notes.sqlite3"), "FLASK_SECRET_KEY": "k"}
    loaded = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, **settings},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "'flask'" in loaded and "psycopg" not in loaded
