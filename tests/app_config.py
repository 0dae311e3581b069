"""Settings for apps made by the fast tests."""

from pathlib import Path
from typing import Any


def config_for(folder: Path) -> dict[str, Any]:
    """Return the settings for an app whose database lives in ``folder``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "NOTES_DATABASE": str(folder / "notes.sqlite3"),
    }
