"""HTTP Methods Lab: a Flask site that teaches the HTTP methods by using them."""

import io
import os
import secrets
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from flask import Flask, Response, current_app, send_file
from flask.cli import with_appcontext
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from methodslab.methods import METHODS_BY_SLUG, note_text
from methodslab.notes import api as notes
from methodslab.notes import openapi
from methodslab.notes.classes import ClassStore
from methodslab.notes.databases import DEFAULT_POOL_SIZE, open_database
from methodslab.notes.store import NEW_SANDBOXES_PER_HOUR, NoteStore
from methodslab.pages import (
    anatomy,
    builder,
    challenges,
    classes,
    cors_lab,
    echo,
    glossary,
    grading,
    guides,
    home,
    lessons,
    login,
    progress,
    summary,
    teachers,
    your_turn,
)
from methodslab.pages.challenges import init_challenges
from methodslab.pages.cors_lab_store import ExchangeRecorder
from methodslab.pages.names import NameConverter, RestOfPathConverter
from methodslab.web.caching import init_caching, served_file, static_files, static_fingerprint
from methodslab.web.errors import render_database_error, render_http_error, render_server_error
from methodslab.web.json_bounds import ReadableJSONProvider
from methodslab.web.methods_guard import init_methods_guard
from methodslab.web.ranges import init_ranges
from methodslab.web.reason_phrases import with_reason_phrase
from methodslab.web.request_limits import init_request_limits
from methodslab.web.request_log import init_request_log
from methodslab.web.security import init_security
from methodslab.web.sessions import COOKIE_NAME as SESSION_COOKIE
from methodslab.web.sessions import SignedSessionInterface

#: The largest request body the site accepts, in bytes; larger ones get 413.
MAX_REQUEST_BODY_BYTES = 1024 * 1024


class Site(Flask):
    """Flask, with JSON kept in proportion and failures logged once, without the path."""

    json_provider_class = ReadableJSONProvider

    def log_exception(
        self, exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None]
    ) -> None:
        """Log nothing: Flask's line names the path, which can hold a visitor's name."""

    def send_static_file(self, filename: str) -> Response:
        """Send a static file named as it is listed; any other spelling of its path is 404."""
        if filename not in static_files():
            raise NotFound()
        # As the site serves it (web/caching.py, served_file: a stylesheet without its
        # comments), validated by the content hash its URL carries.
        served = served_file(filename)
        response = send_file(
            io.BytesIO(served.content),
            download_name=filename,
            etag=static_fingerprint(filename) or False,
            last_modified=served.modified,
            max_age=self.get_send_file_max_age(filename),
        )
        # Werkzeug sends "Content-Disposition: inline; filename=...": inline is what a
        # response without the field gets anyway (RFC 6266 §4.2), so it only adds bytes
        # to every file a page loads (e2e/test_every_page.py holds pages to a budget).
        del response.headers["Content-Disposition"]
        return response


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the site."""
    # What the site writes (its databases, their -wal and -shm files, the secret key) is
    # for the user it runs as only, files it will write later included: 0600 and 0700.
    os.umask(0o077)
    app = Site(__name__, instance_relative_config=True)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BODY_BYTES,
        # Flask's own 500 KB cap on a form field would refuse bodies under the
        # documented limit; the body limit already bounds what a form can hold.
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BODY_BYTES,
        # A SQLite file, or postgresql://user@host:port/dbname for several servers.
        NOTES_DATABASE=os.path.join(app.instance_path, "notes.sqlite3"),
        # PostgreSQL only: most connections each worker process opens.
        NOTES_POOL_SIZE=DEFAULT_POOL_SIZE,
        # Names of this site that frame each other in the CORS lab (both in TRUSTED_HOSTS).
        CORS_LAB_HOST_PAIRS=[["127.0.0.1", "localhost"]],
        # The visitor's sandbox lives in Flask's signed session cookie.
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        # Set FLASK_SESSION_COOKIE_SECURE=true when served over HTTPS.
        SESSION_COOKIE_SECURE=False,
        # Requests for any other host get 400; FLASK_TRUSTED_HOSTS='["lab.example.org"]'.
        TRUSTED_HOSTS=["localhost", "127.0.0.1", "[::1]"],
        # Behind N reverse proxies, FLASK_PROXY_FIX_HOPS=N trusts their X-Forwarded-* headers.
        PROXY_FIX_HOPS=0,
        # New sandboxes one client network (an IPv4 address, an IPv6 /64) may make per hour.
        NEW_SANDBOXES_PER_HOUR=NEW_SANDBOXES_PER_HOUR,
    )
    # FLASK_SECRET_KEY, FLASK_NOTES_DATABASE, … in the environment override the above.
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    # The lessons a notes form may send the visitor back to; the notes know no lessons.
    app.config["NOTES_FORM_LESSONS"] = frozenset(METHODS_BY_SLUG)
    notes_database = open_database(app.config["NOTES_DATABASE"], app.config["NOTES_POOL_SIZE"])
    if not app.config.get("SECRET_KEY"):
        if notes_database.shared_by_servers:
            # A key made on this machine would sign cookies that no other server accepts.
            raise RuntimeError(
                "With the notes in PostgreSQL, set FLASK_SECRET_KEY to the same secret on every "
                "server; python3 -c 'import secrets; print(secrets.token_hex())' makes one."
            )
        app.config["SECRET_KEY"] = persistent_secret(Path(app.instance_path) / "secret_key")
    # JSON is for students to read: keep keys in the order written, indented.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.compact = False  # type: ignore[attr-defined]

    app.session_interface = SignedSessionInterface()
    app.extensions["notes"] = NoteStore(notes_database, app.config["NEW_SANDBOXES_PER_HOUR"])
    # In the notes database, whose schema the store has just brought up to date.
    app.extensions["cors_lab"] = ExchangeRecorder(notes_database)
    app.extensions["classes"] = ClassStore(notes_database)  # pages/classes.py
    # Every request, shared pages included, passes these hooks: no layer answers
    # around Flask, so a hook added later (a rate limit, maintenance) holds everywhere.
    # Every app-wide hook, template global and filter is registered here; a blueprint
    # keeps only the hooks for its own URLs. Flask runs after_request hooks last first.
    # Registered first, so it runs after every other after_request hook, on every answer.
    app.after_request(with_reason_phrase)
    init_request_log(app)  # first, so that every other hook's refusals are logged too
    # Next, so that it sees each answer as it leaves: a 304 or a 412 made by a later hook too.
    init_challenges(app)
    init_request_limits(app)
    init_security(app)
    init_caching(app)  # compression, cache headers; shared pages: web/page_cache.py
    init_methods_guard(app)
    init_ranges(app)  # only Range fields RFC 9110 lets the static files' views answer
    # Registered after the plumbing's hooks, so it runs before them: the security
    # headers keep the frame policy it sets, and caching tags the finished page.
    app.after_request(cors_lab.allow_the_lab_frame)
    # What templates call, on whichever page they are included.
    for template_global in (
        progress.lesson_path,
        grading.self_check_for,
        grading.warm_up_for,
        grading.self_check_url,
        grading.hint_url,
        grading.hint_page_name,
        grading.questions_for,
        summary.concept_page,
        classes.in_class,
        classes.class_limits,
        challenges.lesson_challenges,
        challenges.challenge_ticks,
    ):
        app.add_template_global(template_global)
    app.add_template_global(cors_lab.frame_url, "cors_lab_frame_url")
    app.add_template_global(your_turn.conditions, "your_turn_conditions")
    app.add_template_global(your_turn.methods, "your_turn_methods")
    app.add_template_global(your_turn.lesson_default, "your_turn_default")
    app.add_template_filter(glossary.glossary_links)
    app.add_template_filter(note_text)  # the text a sandbox Try it form fills in
    # Registered before the blueprints, whose rules use it.
    app.url_map.converters["name"] = NameConverter
    app.url_map.converters["rest"] = RestOfPathConverter
    for blueprint in (
        home.bp,
        login.bp,
        anatomy.bp,
        glossary.bp,
        lessons.bp,
        guides.bp,
        echo.bp,
        notes.bp,
        openapi.bp,
        cors_lab.bp,
        builder.bp,
        challenges.bp,
        progress.bp,
        grading.bp,
        summary.bp,
        teachers.bp,
        your_turn.bp,
        classes.bp,
    ):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(InternalServerError, render_server_error)
    # A database that is full, read-only or restarting: 503 or 507, not a 500.
    app.register_error_handler(
        notes_database.driver_error, partial(render_database_error, outage=notes_database.outage)
    )
    app.cli.add_command(purge_sandboxes)
    app.cli.add_command(upgrade_database)
    return app


def persistent_secret(path: Path) -> str:
    """Return the secret key kept in ``path``, creating it once for every process."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # for this user only
        # mkstemp: a unique name per caller, readable by this user only.
        descriptor, draft_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        draft = Path(draft_name)
        with os.fdopen(descriptor, "w") as draft_file:
            draft_file.write(secrets.token_hex(32))
        try:
            # A link appears complete or not at all, and only the first worker's wins.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


@click.command("purge-sandboxes")
@with_appcontext
def purge_sandboxes() -> None:
    """Delete sandboxes idle for a week, classes over 30 days old, the CORS lab's old records."""
    count = current_app.extensions["notes"].purge_idle()  # expired classes with them
    records = current_app.extensions["cors_lab"].purge_expired()
    click.echo(f"Deleted {count} idle sandboxes and {records} expired CORS lab records.")


@click.command("upgrade-db")
@with_appcontext
def upgrade_database() -> None:
    """Create the notes tables, or bring their schema up to date."""
    # The upgrade itself ran in create_app, as it does whenever a server starts:
    # this command is the same step, run once ahead of starting new servers.
    before, after = current_app.extensions["notes"].schema_upgrade
    change = f"upgraded from version {before}" if before != after else "already up to date"
    click.echo(f"Notes database schema: version {after} ({change}).")
