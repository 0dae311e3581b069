"""`make run`: serve the site with granian, the production server, never the debugger.

granian (a Rust HTTP server for Python WSGI apps) reads every request
asynchronously and calls the app only once the request line and headers are
in, so clients that send their headers slowly cost a socket, not a worker:
site/OPERATIONS.md and site/PERFORMANCE-LOG.md have the measurements that chose it.

    python site/serve.py                      # the site, on HOST:PORT (127.0.0.1:5000)
    python site/serve.py --app hello:app --app-dir tests/production   # another WSGI app
"""

import argparse
import importlib
import io
import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Which app the workers load: "module:name" (an app) or "module:name()" (a factory).
SERVED_APP = "METHODSLAB_SERVED_APP"
# The site: the package methodslab, installed into the environment (pyproject.toml).
SITE = "methodslab:create_app()"

# One worker process per core: granian's own threads read and write the
# sockets, so no extra process is needed to cover one waiting on the network.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
# Python threads per worker that run the app at once. Only one runs Python at a
# time: more measured slower here (p50 under wrk -c32: 1.2-2.4 ms with 4, 3.4-4.5
# with 8, 6.6-24 with 32, on a loaded machine) and multiply SQLite writers.
THREADS = int(os.environ.get("WEB_THREADS", 8))
# Connections a worker serves at once (granian's backpressure, its default of
# backlog / workers with the default backlog of 1024 and two workers).
CONNECTIONS_PER_WORKER = 512
# Threads per worker that wait for request bodies: one per connection, so that
# clients sending a body slowly (a byte a second) can never hold them all. A
# thread waiting for a body waits in granian's Rust code, without Python's lock,
# and only THREADS of them at a time go on to run the app (with_body_read_first).
BODY_THREADS = CONNECTIONS_PER_WORKER
# Bodies up to this size are read whole before the app runs (the site's limit is
# 1 MiB; one byte more shows it a body over it); a longer Content-Length is left
# unread, for the app to refuse with 413 without reading it.
BUFFERED_BODY_BYTES = 1024 * 1024 + 1
# The most bytes of request line and headers granian buffers; more is its own
# 431. It covers the app's limits (web/request_limits.py): a request line of
# 8190 bytes and 50 header fields of 8190 bytes each.
HEAD_BUFFER_BYTES = 8192 + 4096 * 100
# A client has this long to send its request line and headers, then is cut off.
HEAD_READ_TIMEOUT_MS = 30_000

# How long a worker may take to finish its requests when the server stops.
STOP_SECONDS = int(os.environ.get("WEB_STOP_SECONDS", 5))

# A worker whose resident memory reaches this many MiB is replaced: a new one
# starts, then the old one finishes its requests and stops. A backstop against
# memory that grows by a bug: a worker measured 51-55 MiB idle and 66-67 MiB
# after 20,000 requests of `make load`'s mix, so 256 is four times what the
# site needs, and two workers still fit in a small machine's half gigabyte.
WORKER_MAX_RSS_MIB = int(os.environ.get("WEB_WORKER_MAX_RSS_MIB", 256))
# How often granian measures the workers' memory, in seconds (its default is 30).
RSS_SAMPLE_SECONDS = int(os.environ.get("WEB_RSS_SAMPLE_SECONDS", 10))

# CGI names granian sets on every request itself; every other name it copies
# from the process environment into each request's environ (see without_process_environment).
PER_REQUEST_NAMES = {
    "REQUEST_METHOD",
    "PATH_INFO",
    "QUERY_STRING",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "SERVER_SOFTWARE",
    "REMOTE_ADDR",
    "GATEWAY_INTERFACE",
}


def without_process_environment(app: "WSGIApplication") -> "WSGIApplication":
    """Wrap ``app`` so that its environ holds the request, not the server's environment.

    granian starts each environ from a copy of os.environ: FLASK_SECRET_KEY
    would sit in every request, and a variable such as HTTP_PROXY would read
    as a "Proxy" header no client sent (the "httpoxy" confusion).
    """
    process = {name: value for name, value in os.environ.items() if name not in PER_REQUEST_NAMES}

    def served(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        for name, value in process.items():
            # A header the client really sent overrides the copy; keep that one.
            if environ.get(name) == value:
                del environ[name]
        return app(environ, start_response)

    return served


def with_body_read_first(app: "WSGIApplication", threads: int) -> "WSGIApplication":
    """Wrap ``app`` so that a request's body is all in before the app runs, ``threads`` at a time.

    granian calls the app as soon as the head is in and hands it the body as a
    stream: a client sending its body slowly held one of the few app threads
    for as long as it liked, and 16 such clients held the site. Here the body is
    read first, on one of BODY_THREADS threads that wait without Python's lock,
    and only then does the request take one of ``threads`` places to run the app.
    """
    places = threading.BoundedSemaphore(threads)

    def served(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        # A body without Content-Length (chunked) is refused by the app with 411 unread.
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and 0 < int(length) <= BUFFERED_BODY_BYTES:
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(int(length)))
        with places:
            return app(environ, start_response)

    return served


def imported(target: str) -> tuple[ModuleType, str]:
    """Import the module of ``target`` ("module:app"); return it and the name after the colon."""
    module_name, _, name = target.partition(":")
    return importlib.import_module(module_name), name


def load_app() -> Callable[..., Iterable[bytes]]:
    """Import the app named in SERVED_APP (calling it if it is a factory) and wrap it."""
    module, name = imported(os.environ.get(SERVED_APP, SITE))
    factory = name.endswith("()")
    found = getattr(module, name.removesuffix("()"))
    return with_body_read_first(without_process_environment(found() if factory else found), THREADS)


def main() -> None:
    """Start granian with the site's settings."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--app", default=SITE, help="module:app or module:factory()")
    options.add_argument("--app-dir", type=Path, help="a folder to import another app from")
    options.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    options.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    args = options.parse_args()

    # Imported here: the workers import this module too, to find load_app.
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    os.environ[SERVED_APP] = args.app
    if args.app_dir:
        # The workers inherit this import path.
        sys.path.insert(0, str(args.app_dir))
    # The app's module (Flask, the site) is imported once, here, before granian forks
    # the workers: each worker then starts with it loaded instead of importing it again,
    # and a replaced worker serves sooner. Only imported: each worker still builds its
    # own app, with its own database connections.
    imported(args.app)
    Granian(
        "serve:load_app",
        factory=True,
        interface=Interfaces.WSGI,
        address=args.host,
        port=args.port,
        workers=WORKERS,
        blocking_threads=BODY_THREADS,
        # Connections a worker serves at once: it counts connections still sending
        # their head, so a small one would let slow clients shut everyone out.
        backpressure=CONNECTIONS_PER_WORKER,
        # HTTP/1.1 only: no cleartext HTTP/2, whose header limits are granian's alone.
        http=HTTPModes.http1,
        http1_settings=HTTP1Settings(
            header_read_timeout=HEAD_READ_TIMEOUT_MS, max_buffer_size=HEAD_BUFFER_BYTES
        ),
        websockets=False,
        # A worker that has not stopped this long after being asked is killed:
        # without this, one connection granian refused can keep it up forever.
        workers_kill_timeout=STOP_SECONDS,
        # A worker that dies (killed, out of memory, a crash in native code) is
        # replaced at once; without this the server stops, and the site with it.
        # (granian still exits if the new one dies within 5.5 s: a crash loop.)
        respawn_failed_workers=True,
        workers_max_rss=WORKER_MAX_RSS_MIB,
        rss_sample_interval=RSS_SAMPLE_SECONDS,
        # The app logs one JSON line per request (web/request_log.py) without
        # the path, which holds visitors' names; an access log would print it.
        log_access=False,
        log_level="info",
    ).serve()


if __name__ == "__main__":
    main()
