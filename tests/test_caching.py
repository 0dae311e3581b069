"""Caching and compression: fingerprinted static files, ETags and 304s, Brotli and gzip."""

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
from flask import Flask, Response, template_rendered
from flask.testing import FlaskClient
from jinja2 import Template

from methodslab import create_app
from methodslab.web.caching import STATIC_MAX_AGE, static_fingerprint, vary_on
from methodslab.web.page_cache import ENCODERS
from tests.app_config import config_for

# Visitors only: one app for the module, a client (a new visitor) for each test, but
# for the tests marked own_app, which count what their app memoizes or renders.
pytestmark = pytest.mark.one_app

PAGES = ["/", "/login/post", "/methods/get", "/methods/put", "/get-vs-post", "/success/Ada"]


def static_urls(client: FlaskClient) -> list[str]:
    """Return the icon, stylesheet and script URLs a lesson page links to."""
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', client.get("/methods/put").text)


def test_static_urls_carry_a_content_hash(client: FlaskClient) -> None:
    urls = static_urls(client)

    assert len(urls) == 5  # the icon, the stylesheet; Try it, walkthrough and self-check scripts
    assert all(re.fullmatch(r"/static/[a-z]+\.(svg|css|js)\?v=[0-9a-f]{12}", url) for url in urls)


def test_fingerprinted_files_are_immutable_for_a_year(client: FlaskClient) -> None:
    for url in static_urls(client):
        cache = client.get(url).cache_control
        assert cache.immutable and cache.max_age == STATIC_MAX_AGE
        # "public" would only matter to a request with Authorization (RFC 9111 §5.2.2.9).
        assert not cache.no_cache and not cache.public


def test_static_files_carry_no_field_a_browser_would_not_use(client: FlaskClient) -> None:
    for url in static_urls(client):
        assert "Content-Disposition" not in client.get(url).headers  # inline is the default


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


# A page built once for everyone (web/page_cache.py), and one showing the visitor's notes.
@pytest.mark.parametrize(("path", "shared"), [("/methods/get", True), ("/methods/put", False)])
def test_pages_answer_every_precondition(client: FlaskClient, path: str, shared: bool) -> None:
    page = client.get(path)
    tag = page.headers["ETag"]
    assert tag.startswith('W/"') and bool(page.cache_control.private) != shared

    def status(**headers: str) -> int:
        return client.get(path, headers=headers).status_code

    # RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag matches only "*".
    assert status(**{"If-Match": "*"}) == 200
    assert status(**{"If-Match": tag[2:]}) == 412
    assert status(**{"If-Match": tag}) == 412
    assert status(**{"If-None-Match": tag}) == 304
    assert status(**{"If-None-Match": "*"}) == 304
    # A page has no Last-Modified: both date conditions are ignored (§13.1.3, §13.1.4).
    long_ago = "Thu, 01 Jan 1970 00:00:00 GMT"
    assert status(**{"If-Unmodified-Since": long_ago}) == 200
    assert status(**{"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}) == 200
    refused = client.get(path, headers={"If-Match": '"x"', "Accept": "text/html"})
    assert refused.status == "412 Precondition Failed"
    assert "only If-Match: * matches a page" in refused.text
    assert "Accept" in refused.headers["Vary"]


def test_a_changed_page_gets_a_new_etag(client: FlaskClient) -> None:
    before = client.get("/methods/put").headers["ETag"]
    client.put("/api/notes/changed", json={"text": "x"})

    after = client.get("/methods/put", headers={"If-None-Match": before})

    assert after.status_code == 200 and after.headers["ETag"] != before


DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}
COMPRESSED = [
    (path, encoding)
    for path in ["/", "/methods/get", "/api/openapi.json", "/static/style.css", "/static/http.js"]
    for encoding in DECODERS
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


def counting(encoding: str, calls: list[str]) -> Callable[[bytes], bytes]:
    """Return the encoder for ``encoding``, noting each call in ``calls``."""
    encode = ENCODERS[encoding]

    def counted(data: bytes) -> bytes:
        calls.append(encoding)
        return encode(data)

    return counted


@pytest.mark.own_app
def test_a_static_file_is_compressed_once_per_encoding(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for encoding in DECODERS:
        monkeypatch.setitem(ENCODERS, encoding, counting(encoding, calls))
    plain = client.get("/static/style.css")

    for method in ("GET", "HEAD", "GET"):
        for encoding, decode in DECODERS.items():
            answer = client.open(
                "/static/style.css", method=method, headers={"Accept-Encoding": encoding}
            )
            assert answer.headers["Content-Encoding"] == encoding
            assert answer.headers["ETag"] != plain.headers["ETag"]
            if method == "GET":
                assert decode(answer.data) == plain.data
                assert answer.content_length == len(answer.data)

    assert sorted(calls) == ["br", "gzip"]


@pytest.mark.own_app
def test_requests_cannot_grow_the_static_memos(client: FlaskClient, app: Flask) -> None:
    # Keyed by the file's name, content hash and encoding: no query, port or other path.
    for number in range(20):
        client.get(
            f"/static/style.css?v={number}",
            base_url=f"http://localhost:{8000 + number}",
            headers={"Accept-Encoding": "br"},
        )
        for missing in (f"missing{number}.css", f"../templates/base{number}.html"):
            client.get(f"/static/{missing}?v={number}", headers={"Accept-Encoding": "br"})

    assert list(app.extensions["fingerprints"]) == ["style.css"]
    assert list(app.extensions["compressed_static"]) == [
        ("style.css", app.extensions["fingerprints"]["style.css"], "br")
    ]


#: Other spellings of /static/style.css's path: each names the same file to the filesystem.
OTHER_SPELLINGS = ["./style.css", "style.css/.", "x/../style.css", "./x/../style.css", "style.css/"]


@pytest.mark.own_app
@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_another_spelling_of_a_static_path_is_not_found(
    client: FlaskClient, app: Flask, encoding: str
) -> None:
    for spelling in OTHER_SPELLINGS:
        answer = client.get(f"/static/{spelling}", headers={"Accept-Encoding": encoding})
        assert answer.status_code == 404, spelling

    # Nothing was hashed or compressed for them: the memos hold real files only.
    client.get("/static/style.css", headers={"Accept-Encoding": encoding})
    assert list(app.extensions["fingerprints"]) == ["style.css"]
    assert [name for name, _, _ in app.extensions.get("compressed_static", {})] == (
        [] if encoding == "identity" else ["style.css"]
    )


@pytest.mark.own_app
def test_a_fingerprint_is_only_of_a_static_file(app: Flask) -> None:
    with app.test_request_context():
        assert static_fingerprint("style.css") is not None
        assert static_fingerprint("../app.py") is None
        assert static_fingerprint("../__init__.py") is None
    assert list(app.extensions["fingerprints"]) == ["style.css"]


def test_a_compressed_static_file_revalidates(client: FlaskClient) -> None:
    first = client.get("/static/style.css", headers={"Accept-Encoding": "br"})
    again = client.get(
        "/static/style.css",
        headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]},
    )
    other = client.get(
        "/static/style.css",
        headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]},
    )

    assert again.status_code == 304 and again.data == b""
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "gzip"


def test_the_stylesheet_is_served_without_its_comments(client: FlaskClient) -> None:
    # Its rules are unchanged: the browser suite's layout checks, axe-core and the visual
    # baselines judge the stylesheet as served.
    source = (Path(client.application.static_folder or "") / "style.css").read_bytes()
    plain = client.get("/static/style.css")
    brotli_sent = client.get("/static/style.css", headers={"Accept-Encoding": "br"})
    gzip_sent = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})

    assert b"/*" in source and b"/*" not in plain.data
    assert len(plain.data) < 0.9 * len(source) and plain.content_length == len(plain.data)
    assert brotli.decompress(brotli_sent.data) == gzip.decompress(gzip_sent.data) == plain.data
    with client.application.app_context():  # the URL's fingerprint is the served content's
        assert plain.headers["ETag"] == f'"{static_fingerprint("style.css")}"'
    # A comment marker inside a string would be text, not a comment: the stylesheet has none.
    assert not any(b"/*" in string for string in re.findall(rb'"[^"\n]*"', plain.data))


def test_nothing_is_compressed_unless_asked(client: FlaskClient) -> None:
    assert "Content-Encoding" not in client.get("/").headers


SHARED_PAGES = ["/", "/methods/get", "/methods/head", "/methods/options", "/login/post"]


@pytest.mark.parametrize("path", SHARED_PAGES)
def test_shared_pages_pass_the_sites_hooks(tmp_path: Path, path: str) -> None:
    app = create_app(config_for(tmp_path))

    @app.before_request
    def maintenance() -> tuple[str, int] | None:
        """A hook the site might add later: while on, every request gets 503."""
        return ("Back soon", 503) if app.config.get("MAINTENANCE") else None

    client = app.test_client()
    served = [client.get(path).status_code for _ in range(2)]  # rendered, then from the cache
    app.config["MAINTENANCE"] = True

    assert served == [200, 200]
    assert [client.get(path).status_code for _ in range(2)] == [503, 503]


def renders_of(app: Flask, path: str, requests: Callable[[FlaskClient], None]) -> int:
    """Return how many times ``requests`` made ``app`` render a page's template."""
    rendered: list[str] = []

    def count(sender: Flask, template: Template, **extra: object) -> None:
        rendered.append(template.name or "")

    with template_rendered.connected_to(count, app):
        requests(app.test_client())
    return len(rendered)


@pytest.mark.own_app
def test_a_page_is_rendered_once_whatever_port_the_host_names(app: Flask) -> None:
    def each_port(client: FlaskClient) -> None:
        for port in range(5000, 5050):
            assert (
                client.get("/methods/get", headers={"Host": f"localhost:{port}"}).status_code == 200
            )

    assert renders_of(app, "/methods/get", each_port) == 1
    assert len(app.extensions["pages"]) == 1


@pytest.mark.own_app
@pytest.mark.parametrize(
    "forged",
    [
        # What a server or proxy would have trusted: a script root, the HTTPS scheme.
        {"environ_overrides": {"SCRIPT_NAME": "//evil.example"}},
        {"base_url": "https://localhost"},
        {"headers": {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}},
        {"headers": {"Host": "LOCALHOST:8443", "Cookie": "theme=dark"}},
    ],
)
@pytest.mark.parametrize("path", ["/", "/methods/get", "/methods/head"])
def test_a_shared_page_is_rendered_from_its_canonical_url(
    client: FlaskClient, forged: dict, path: str
) -> None:
    client.get(path, **forged)

    page = client.get(path).text

    assert "evil.example" not in page and "https://localhost" not in page
    assert "8443" not in page
    assert 'href="//' not in page


def test_each_host_name_gets_its_own_curl_command(client: FlaskClient) -> None:
    for host in ("127.0.0.1", "localhost", "127.0.0.1:5000", "localhost:8000"):
        page = client.get("/methods/get", headers={"Host": host}).text
        name = host.partition(":")[0]
        assert f" http://{name}/methods/get</code>" in page  # the curl command


@pytest.mark.parametrize("path", PAGES)
def test_pages_describe_themselves_and_link_the_sites_icon(client: FlaskClient, path: str) -> None:
    page = client.get(path).text

    assert re.search(r'<meta name="description" content="[^"]{50,}">', page)
    icon = re.search(r'<link rel="icon" href="(/static/favicon\.svg\?v=[0-9a-f]{12})"', page)
    assert icon and client.get(icon[1]).mimetype == "image/svg+xml"


def test_the_icon_is_where_browsers_look_unasked(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_answers_too_small_to_compress_still_vary_on_accept_encoding(client: FlaskClient) -> None:
    small = client.put("/api/notes/n", json={"text": "Hi"}, headers={"Accept-Encoding": "br"})

    assert len(small.data) < client.application.config["COMPRESS_MIN_SIZE"]
    assert "Content-Encoding" not in small.headers
    assert "Accept-Encoding" in small.headers["Vary"]


@pytest.mark.parametrize("path", ["/echo", "/api/notes", "/methods/get"])
def test_an_empty_body_is_never_content_coded(client: FlaskClient, path: str) -> None:
    # Flask's automatic OPTIONS answer has an empty body and no Content-Length of its own.
    empty = client.options(path, headers={"Accept-Encoding": "br, gzip"})

    assert empty.status_code == 200 and empty.data == b""
    assert "Content-Encoding" not in empty.headers
    assert empty.headers["Content-Length"] == "0"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, "Cookie"),
        ("Accept-Encoding", "Accept-Encoding, Cookie"),
        ("Accept-Encoding, cookie", "Accept-Encoding, cookie"),
        ("Accept-Encoding,Cookie", "Accept-Encoding,Cookie"),
    ],
)
def test_vary_lists_each_field_once(before: str | None, after: str) -> None:
    response = Response(headers={"Vary": before} if before else {})

    vary_on(response, "Cookie")

    assert response.headers.getlist("Vary") == [after]
