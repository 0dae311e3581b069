"""Have mypy learn the installed libraries' types once, when they are installed.

mypy keeps what it learns of each module in .mypy_cache. The libraries change only when
the requirements do, so `make` runs this right after installing them (as pip byte-compiles
them): it type-checks a program that imports each library our checked code imports, and
nothing of ours. A fresh clone's first `make lint` or `make test` then reads the libraries
from the cache and spends its time on our own code; cold, the libraries are about three
quarters of mypy's work (`rm -rf .mypy_cache; time .venv/bin/mypy`, then with this run first).

`python -m tests.type_cache`
"""

import ast
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"app", "methodslab", "tests", "e2e"}


def checked_files() -> Iterator[Path]:
    """Yield each Python file mypy checks, as pyproject.toml's [tool.mypy] names them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    excluded = [re.compile(pattern) for pattern in config.get("exclude", [])]
    for name in config["files"]:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            relative = file.relative_to(ROOT).as_posix()
            if not any(pattern.search(relative) for pattern in excluded):
                yield file


def library_imports(files: Iterable[Path]) -> list[str]:
    """Return the modules the files import that are neither the standard library's nor ours."""
    modules: set[str] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    return sorted(
        module
        for module in modules
        if module.partition(".")[0] not in sys.stdlib_module_names | OURS
    )


def main() -> int:
    program = "".join(f"import {module}\n" for module in library_imports(checked_files()))
    with tempfile.TemporaryDirectory() as folder:
        imports = Path(folder) / "library_imports.py"
        imports.write_text(program)
        checked = subprocess.run(
            [sys.executable, "-m", "mypy", str(imports)], cwd=ROOT, capture_output=True, text=True
        )
    if checked.returncode != 0:
        print(f"mypy could not read a library's types:\n{checked.stdout}{checked.stderr}")
    return checked.returncode


if __name__ == "__main__":
    sys.exit(main())
