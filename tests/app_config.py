"""Settings for apps made by the fast tests."""

from pathlib import Path
from typing import Any

#: Both note stores, for pytest.mark.parametrize("notes_database", ..., indirect=True).
NOTES_DATABASES = ["sqlite", "postgresql"]


def config_for(folder: Path, notes_database: str | None = None) -> dict[str, Any]:
    """Return the settings for an app whose data lives in ``folder`` (or ``notes_database``)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "NOTES_DATABASE": notes_database or str(folder / "notes.sqlite3"),
    }
