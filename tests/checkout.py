"""Make sure the tests test this checkout's site, not another one installed into the venv."""

from pathlib import Path

import pytest

import methodslab

SITE = Path(__file__).resolve().parents[1] / "site"


def check_site_is_this_checkout() -> None:
    """Stop the run if methodslab is imported from outside this checkout's site/.

    `make` installs the package editable, so the venv imports it from the checkout that
    installed it; a venv shared by several checkouts would test the wrong code silently.
    """
    imported = Path(methodslab.__file__).resolve().parent
    if not imported.is_relative_to(SITE):
        raise pytest.UsageError(
            f"methodslab is imported from {imported}, not from {SITE}: this venv holds "
            "another checkout's site. Install this one: .venv/bin/pip install --no-deps -e ."
        )
