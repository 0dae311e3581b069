"""Entry point: `flask --app site/app.py` and the production server find create_app here.

The site itself is the package methodslab beside this file; site/ is a plain folder
because "site" is also a module of Python's standard library.
"""

from methodslab import create_app

__all__ = ["create_app"]
