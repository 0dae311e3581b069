"""Fixtures for the fast tests: the app, Flask's test client, and a second visitor."""

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from methodslab import create_app
from tests.app_config import config_for

# Property and schema tests draw the same examples on every run ("ci", the
# default), so `make test` is repeatable; "explore" draws new ones each time:
# `pytest tests --hypothesis-profile=explore`.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile("ci")


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """Create the site in testing mode, with a database of its own."""
    return create_app(config_for(tmp_path))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client for the site: one visitor, with their own cookies."""
    return app.test_client()


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """Return a second visitor's test client."""
    return app.test_client()
