"""Snippets for five clients from one request: quoted so no value breaks out; the builder's
query is data only."""

import ast
import json
import shlex

import pytest
from flask.testing import FlaskClient

from methodslab.teaching.snippets import SentRequest, curl, fetch, httpie, python_requests, snippets

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

HOSTILE = 'it\'s "x" $(touch /tmp/p) `id` \\ é 😀\nline two </script>'
SENT = SentRequest(
    "PUT",
    "http://lab.test/api/notes/a?q=[1]",
    (("Accept", "application/json"), ("X-Quote", 'it\'s "x" $(id) a=b;c@d:e')),
    HOSTILE,
    "sandbox=abc.def",
)


def test_the_shell_reads_back_every_word_as_written() -> None:
    words = shlex.split(curl(SENT))

    assert words[words.index("--data-raw") + 1] == HOSTILE
    assert 'X-Quote: it\'s "x" $(id) a=b;c@d:e' in words
    assert words[-1] == SENT.url and "--globoff" in words  # [1] is no curl glob
    assert f"--raw={HOSTILE}" in shlex.split(httpie(SENT))


def test_httpie_items_escape_its_separators() -> None:
    words = shlex.split(httpie(SENT))

    assert 'X-Quote:it\'s "x" $(id) a\\=b\\;c\\@d\\:e' in words
    assert "Cookie:sandbox\\=abc.def" in words


def test_python_and_javascript_literals_read_back_as_written() -> None:
    module = ast.parse(python_requests(SENT))
    literals = [node.value for node in ast.walk(module) if isinstance(node, ast.Constant)]
    script = fetch(SENT)
    body_line = next(line for line in script.splitlines() if line.startswith("  body: "))

    assert HOSTILE in literals and "abc.def" in literals
    assert json.loads(body_line.removeprefix("  body: ").removesuffix(",")) == HOSTILE


def test_a_backslash_httpie_cannot_spell_is_said_not_sent() -> None:
    written = snippets(SentRequest("GET", "http://lab.test/", (("X", "a\\=b"),)))

    assert written["httpie"].startswith("# HTTPie cannot")
    assert written["curl"].startswith("curl")


def test_a_builder_link_fills_the_form_and_writes_it_out_escaped(client: FlaskClient) -> None:
    page = client.get(
        "/builder",
        query_string={"method": "PUT", "url": "/echo/x", "header": "X-A: <b>", "body": HOSTILE},
    )

    assert page.status_code == 200
    assert "line two </script>" not in page.text and "<b>" not in page.text
    assert "line two &lt;/script&gt;" in page.text and "X-A: &lt;b&gt;" in page.text
    assert 'value="PUT"' in page.text


@pytest.mark.parametrize(
    "query",
    [
        {"method": "PU T"},
        {"method": 'PUT"><script>'},
        {"method": "PUT", "url": "//evil.example/"},
        {"method": "PUT", "url": "https://evil.example/"},
        {"method": "PUT", "header": "X-A: a\r\nSet-Cookie: b=c"},
        {"method": "PUT", "header": "X-A: é"},
        {"method": "PUT", "header": "Bad Name: a"},
    ],
)
def test_a_builder_link_http_does_not_allow_is_refused(
    client: FlaskClient, query: dict[str, str]
) -> None:
    assert client.get("/builder", query_string=query).status_code == 400


def test_a_sandbox_request_carries_the_cookie_the_visitor_holds(client: FlaskClient) -> None:
    page = client.get("/methods/put").text
    cookie = client.get_cookie("sandbox")

    assert cookie is not None
    assert f"--cookie sandbox={cookie.value}" in page.replace("&#39;", "'")
