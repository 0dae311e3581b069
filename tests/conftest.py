"""Fixtures for the fast tests: the app, Flask's test client, and a second visitor."""

import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from jinja2 import FileSystemBytecodeCache

from methodslab import Site, create_app
from tests.app_config import config_for
from tests.postgres_server import URL_VARIABLE, empty_database, start_for_the_test_run
from tests.production.server import PROCESS_PROXY, production_server

# Property and schema tests draw the same examples on every run ("ci", the
# default), so `make test` is repeatable; "explore" draws new ones each time:
# `pytest tests --hypothesis-profile=explore`.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Start the throwaway PostgreSQL; share templates.

    Every app this process builds (hundreds) reads each template's compiled code from
    one Jinja bytecode cache instead of compiling it again; Jinja compares the source's
    checksum, so an edited template is compiled anew.
    """
    start_for_the_test_run(config)
    compiled = tempfile.TemporaryDirectory(prefix="http-lab-templates-")
    config.add_cleanup(compiled.cleanup)
    Site.jinja_options = {
        **Site.jinja_options,
        "bytecode_cache": FileSystemBytecodeCache(compiled.name),
    }


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection made: the garbage collector's full passes skip it from now on.

    The modules and the test items live until the run ends; walking them in every full
    pass took about a third of the collector's time in the fast tests.
    """
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Leave the browser suite's output alone: the fast tests open no browser.

    pytest-playwright's own fixture of this name empties test-results/ in every session;
    `make test` runs the fast tests beside the browser suite, whose screenshots are there.
    """


#: Visitors of a module's app (and its generated examples) all come from one address,
#: so the limit on new sandboxes per hour is lifted there.
ONE_ADDRESS_MANY_VISITORS = {"NEW_SANDBOXES_PER_HOUR": 10**6}


def new_notes_database(kind: str, folder: Path, name: str) -> str:
    """Return an empty notes database: a file in ``folder``, or PostgreSQL's ``name``."""
    if kind == "postgresql":
        return empty_database(os.environ[URL_VARIABLE], name)
    return str(folder / "notes.sqlite3")


def shares_the_module_app(request: pytest.FixtureRequest) -> bool:
    """Tell whether a test gets its module's app: marked ``one_app``, and not ``own_app``."""
    node = request.node
    return bool(node.get_closest_marker("one_app")) and not node.get_closest_marker("own_app")


@pytest.fixture
def notes_database(request: pytest.FixtureRequest, worker_id: str) -> str:
    """Return an empty notes database: SQLite, or PostgreSQL when a test is parametrized so.

    In a module marked ``one_app``, the module's database of that kind instead.
    """
    # A notes test runs on both with
    # pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True).
    kind = getattr(request, "param", "sqlite")
    if shares_the_module_app(request):
        return str(request.getfixturevalue("module_notes_database")(kind))
    return new_notes_database(kind, own_folder(request), f"notes_{worker_id}")


def own_folder(request: pytest.FixtureRequest) -> Path:
    """Return the test's tmp_path, made only when asked for.

    A folder costs about a millisecond (a directory and pytest's "current" symlink),
    and the thousand tests on a module's app never use one.
    """
    return Path(request.getfixturevalue("tmp_path"))


@pytest.fixture(scope="module")
def module_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of a module's shared apps (marked ``one_app``) and their notes."""
    return tmp_path_factory.mktemp("module-notes")


@pytest.fixture(scope="module")
def module_notes_database(module_folder: Path, worker_id: str) -> Callable[[str], str]:
    """Return the notes database of each kind for a module marked ``one_app``, emptied once."""
    # A name of its own, so no test's own database is the module app's.
    return cache(partial(new_notes_database, folder=module_folder, name=f"module_{worker_id}"))


@pytest.fixture
def app(
    request: pytest.FixtureRequest, notes_database: str, module_apps: dict[str, Flask]
) -> Flask:
    """Create the site in testing mode, with a database of its own.

    In a module marked ``one_app`` every test gets the module's app on its kind of
    notes database instead (each still with a client of its own: a new visitor),
    unless it is marked ``own_app``.
    Building an app costs about 12 ms, and those modules' hundreds of tests only act
    as visitors would.
    """
    if not shares_the_module_app(request):
        return create_app(config_for(own_folder(request), notes_database))
    if notes_database not in module_apps:
        folder = request.getfixturevalue("module_folder")
        config = config_for(folder, notes_database) | ONE_ADDRESS_MANY_VISITORS
        module_apps[notes_database] = create_app(config)
    return module_apps[notes_database]


@pytest.fixture(scope="module")
def module_apps() -> dict[str, Flask]:
    """Hold the apps of a module marked ``one_app``, by their notes database."""
    return {}


@pytest.fixture(scope="module")
def examples_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Create the site once for a module's generated examples (Hypothesis, Schemathesis).

    Building an app per example would dominate the run.
    """
    folder = tmp_path_factory.mktemp("examples")
    return create_app(config_for(folder) | ONE_ADDRESS_MANY_VISITORS)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client for the site: one visitor, with their own cookies."""
    return app.test_client()


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """Return a second visitor's test client."""
    return app.test_client()


@pytest.fixture(scope="session")
def production_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the file that receives everything the shared production server prints."""
    return tmp_path_factory.mktemp("production") / "server.log"


@pytest.fixture(scope="session")
def production_url(production_log: Path) -> Iterator[str]:
    """Start the production server once per test process; return its URL.

    For the tests that only send it requests (each start costs about 0.8 CPU-seconds:
    granian and two workers importing the site). A test that stops, kills or starves a
    server, or needs other settings, starts its own. A proxy setting in its environment
    must never show as a request header; its log must never show a visitor's words.
    """
    with (
        production_log.open("w") as log,
        production_server(env={"HTTP_PROXY": PROCESS_PROXY}, log=log) as url,
    ):
        yield url
