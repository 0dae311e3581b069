"""The shared lessons under the production server, whose workers each build their own copy."""

import http.client
from urllib.parse import urlsplit

import pytest

from methodslab.methods import METHODS

SHARED = [f"/methods/{method.slug}" for method in METHODS if method.walkthrough is None]
# Enough fresh connections that every worker answers several of them.
REQUESTS = 30


@pytest.fixture(scope="module")
def server(production_url: str) -> tuple[str, int]:
    """Return the host and port of the shared production server (tests/conftest.py)."""
    address = urlsplit(production_url)
    return address.hostname or "127.0.0.1", address.port or 80


def ask(
    server: tuple[str, int], method: str, path: str, **headers: str
) -> http.client.HTTPResponse:
    """Send one request on a connection of its own, so the workers take turns."""
    connection = http.client.HTTPConnection(*server, timeout=30)
    connection.request(method, path, headers={"Accept-Encoding": "br", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize("path", SHARED)
def test_every_worker_serves_the_same_page(server: tuple[str, int], path: str) -> None:
    etags = {ask(server, "GET", path).headers["ETag"] for _ in range(REQUESTS)}

    assert len(etags) == 1, etags
    (etag,) = etags
    statuses = [ask(server, "GET", path, **{"If-None-Match": etag}).status for _ in range(REQUESTS)]
    assert statuses == [304] * REQUESTS


def test_head_and_get_of_the_head_lesson_agree_on_every_worker(server: tuple[str, int]) -> None:
    # What the HEAD lesson's own comparison fetches: this page, with GET and with HEAD.
    lengths = {
        (method, ask(server, method, "/methods/head").headers["Content-Length"])
        for method in ("GET", "HEAD")
        for _ in range(REQUESTS // 2)
    }

    assert len({length for _, length in lengths}) == 1, lengths
