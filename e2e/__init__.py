"""The browser suite (pytest-playwright) and its helpers."""
