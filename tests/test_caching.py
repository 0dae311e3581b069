"""Caching and compression: fingerprinted static files, ETags and 304s, Brotli and gzip."""

import gzip
import re

import brotli
import pytest
from flask.testing import FlaskClient

from methodslab.web.caching import STATIC_MAX_AGE

PAGES = ["/", "/login/post", "/methods/get", "/methods/put", "/get-vs-post", "/success/Ada"]


def static_urls(client: FlaskClient) -> list[str]:
    """Return the stylesheet and script URLs a lesson page links to."""
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', client.get("/methods/put").text)


def test_static_urls_carry_a_content_hash(client: FlaskClient) -> None:
    urls = static_urls(client)

    assert len(urls) == 4  # the stylesheet; Try it, walkthrough and self-check scripts
    assert all(re.fullmatch(r"/static/[a-z]+\.(css|js)\?v=[0-9a-f]{12}", url) for url in urls)


def test_fingerprinted_files_are_immutable_for_a_year(client: FlaskClient) -> None:
    for url in static_urls(client):
        cache = client.get(url).cache_control
        assert cache.public and cache.immutable and cache.max_age == STATIC_MAX_AGE
        assert not cache.no_cache


@pytest.mark.parametrize("url", ["/static/style.css", "/static/style.css?v=0123456789ab"])
def test_unfingerprinted_or_stale_urls_are_revalidated(client: FlaskClient, url: str) -> None:
    cache = client.get(url).cache_control

    assert cache.no_cache and not cache.immutable


@pytest.mark.parametrize("path", PAGES)
def test_pages_revalidate_and_get_304_with_no_body(client: FlaskClient, path: str) -> None:
    first = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    again = client.get(
        path, headers={"Accept-Encoding": "br, gzip", "If-None-Match": first.headers["ETag"]}
    )

    assert first.status_code == 200 and first.cache_control.no_cache
    assert first.headers["ETag"].startswith('W/"')
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_changed_page_gets_a_new_etag(client: FlaskClient) -> None:
    before = client.get("/methods/put").headers["ETag"]
    client.put("/api/notes/changed", json={"text": "x"})

    after = client.get("/methods/put", headers={"If-None-Match": before})

    assert after.status_code == 200 and after.headers["ETag"] != before


DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}
# Static files are streamed, and flask-compress streams Brotli but not gzip.
COMPRESSED = [
    *(
        (path, encoding)
        for path in ["/", "/methods/get", "/api/openapi.json"]
        for encoding in DECODERS
    ),
    ("/static/style.css", "br"),
]


@pytest.mark.parametrize(("path", "encoding"), COMPRESSED)
def test_text_is_compressed_when_the_client_accepts_it(
    client: FlaskClient, path: str, encoding: str
) -> None:
    plain = client.get(path).data
    compressed = client.get(path, headers={"Accept-Encoding": encoding})

    assert compressed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert DECODERS[encoding](compressed.data) == plain
    assert len(compressed.data) < len(plain) / 2


def test_nothing_is_compressed_unless_asked(client: FlaskClient) -> None:
    assert "Content-Encoding" not in client.get("/").headers
