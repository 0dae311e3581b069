"""The field's own tools judge every answer: REDbot's httplint, and the W3C's Nu Html Checker.

Every page, in every state, every asset and API answer (``tests/site_answers.py``): none
may draw a warning or an error from httplint, and no HTML document or SVG picture any
message from vnu.
"""

import gzip
import time
from pathlib import Path

import brotli
import pytest
from werkzeug.http import http_date

from methodslab import create_app
from tests.app_config import config_for
from tests.http_lint import lint_problems
from tests.nu_checker import validate
from tests.site_answers import Exchange, every_exchange

DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}
CHECKED_TYPES = {"text/html": ".html", "image/svg+xml": ".svg"}
# Markup the site once had (a <pre> named by aria-label), checked beside the site's pages: proof
# that the checker ran and reports what it should.
CANARY = """<!doctype html><html lang="en"><title>Canary</title>
<pre tabindex="0" aria-label="A named listing"><code>GET / HTTP/1.1</code></pre>"""
CANARY_ERROR = "The “aria-label” attribute must not be specified on any “pre” element"


@pytest.fixture(scope="module")
def exchanges(tmp_path_factory: pytest.TempPathFactory) -> list[Exchange]:
    """Return every exchange with a new site: its pages, states, assets and API."""
    return every_exchange(create_app(config_for(tmp_path_factory.mktemp("standards"))))


def test_every_answer_passes_httplint(exchanges: list[Exchange]) -> None:
    problems = []
    for exchange in exchanges:
        answer = exchange.response
        headers = list(answer.headers.items())
        if "Date" not in answer.headers:  # the production server (granian) adds one
            headers.append(("Date", http_date(exchange.received)))
        reason = answer.status.partition(" ")[2]
        body = b"" if exchange.method == "HEAD" else answer.get_data()
        problems += lint_problems(
            exchange.method, exchange.target, exchange.request_headers,
            answer.status_code, reason, headers, body, exchange.received,
        )  # fmt: skip

    assert len(exchanges) > 150
    assert not problems, "\n".join(problems)


def test_httplint_finds_what_issue_21_found() -> None:
    headers = [
        ("Content-Type", "text/css"),
        ("Content-Length", "0"),
        ("Date", http_date()),
        ("Cache-Control", "public, max-age=31536000, immutable"),
    ]

    problems = lint_problems(
        "GET", "/static/style.css?v=1", [], 200, "OK", headers, b"", time.time()
    )

    assert problems == [
        "GET /static/style.css?v=1 -> 200: WARNING: "
        "Cache-Control: public is probably not necessary."
    ]


def test_every_page_is_valid_html(exchanges: list[Exchange], tmp_path: Path) -> None:
    # Each document once (its content, and the extension the checker reads its type from),
    # with an exchange that brought it: the pages, and the SVG pictures.
    documents: dict[tuple[bytes, str], Exchange] = {}
    for exchange in exchanges:
        answer = exchange.response
        extension = CHECKED_TYPES.get(answer.mimetype or "")
        if extension and exchange.method != "HEAD":
            encoding = answer.headers.get("Content-Encoding")
            content = DECODERS[encoding](answer.data) if encoding else answer.data
            if content:  # an empty body (OPTIONS, 204) is no document
                documents.setdefault((content, extension), exchange)
    files = {}  # each file's name, and the exchange its document came from
    for number, ((content, extension), exchange) in enumerate(documents.items()):
        (tmp_path / f"{number}{extension}").write_bytes(content)
        files[f"{number}{extension}"] = str(exchange)
    (tmp_path / "canary.html").write_text(CANARY)

    messages = validate([tmp_path / name for name in [*files, "canary.html"]])

    found = {name: [m for m in messages if m["url"].endswith(f"/{name}")] for name in files}
    canary = [m["message"] for m in messages if m["url"].endswith("/canary.html")]
    assert len(canary) == 1 and canary[0].startswith(CANARY_ERROR)
    assert len(files) > 60 and any(name.endswith(".svg") for name in files)
    problems = [
        f"{files[name]}, line {m.get('lastLine')}: {m['type']} {m.get('subType', '')}: "
        f"{m['message']} {m.get('extract', '')!r}"
        for name, listed in found.items()
        for m in listed
    ]
    assert not problems, "\n".join(problems)
