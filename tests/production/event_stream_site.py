"""The site with an event stream for the class dashboard, only to measure it (class_dashboards.py).

Served by site/serve.py --app event_stream_site:create_app() --app-dir tests/production.
"""

import time
from collections.abc import Iterator

from flask import Flask, Response, current_app

import methodslab

#: How often an open stream asks the database for the class's version.
CHECK_SECONDS = 0.5
#: How long one stream stays open before the browser would reconnect (EventSource).
STREAM_SECONDS = 60.0


def create_app() -> Flask:
    """Return the site with GET /classes/<token>/events added."""
    app = methodslab.create_app()

    @app.get("/classes/<token>/events")
    def events(token: str) -> Response:
        """Send the class's version each time it changes (text/event-stream)."""
        store = current_app.extensions["classes"]

        def versions() -> Iterator[str]:
            last = None
            until = time.monotonic() + STREAM_SECONDS
            while time.monotonic() < until:
                version = store.version(token)
                if version is None:
                    return
                if version != last:
                    last = version
                    yield f"data: v{version}\n\n"
                time.sleep(CHECK_SECONDS)

        return Response(versions(), mimetype="text/event-stream")

    return app
