"""The home page and the error pages."""

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import methodslab
from tests.html_text import texts_of

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_home_links_to_both_login_variants(client: FlaskClient) -> None:
    response = client.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert texts_of(html, "h1") == ["HTTP Methods Lab"]
    assert 'href="/login/post"' in html
    assert 'href="/login/get"' in html


def test_unknown_page_is_a_styled_404(client: FlaskClient) -> None:
    response = client.get("/no/such/<page>", headers={"Accept": BROWSER_ACCEPT})

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert texts_of(html, "h1") == ["404 Not Found"]
    assert "/no/such/&lt;page&gt;" in html
    assert 'href="/"' in html


def test_unknown_page_is_json_for_programs(client: FlaskClient) -> None:
    response = client.get("/no/such/page", headers={"Accept": "*/*"})

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "Not Found"


def page_text(client: FlaskClient, path: str) -> str:
    """Return the page at ``path`` as one line of HTML, whitespace runs made single spaces."""
    response = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_home_says_where_each_method_and_column_comes_from(client: FlaskClient) -> None:
    html = page_text(client, "/")

    assert "six of the eight that RFC 9110 defines, and PATCH, which RFC 5789 adds" in html
    assert "the forms column from the HTML Standard" in html
    assert "CONNECT" in html and "TRACE" in html
    assert "properties RFC 9110 gives each" not in html


def test_teachers_page_names_the_three_tutorial_lines_it_corrects(client: FlaskClient) -> None:
    html = page_text(client, "/teachers")

    sentence = html[html.index("gets three of them partly wrong") :].split("</p>")[0]
    for method in ("get", "post", "put"):
        assert f'<a href="/methods/{method}">{method.upper()}</a>' in sentence


@pytest.mark.parametrize("term", ["safe", "idempotent", "cacheable"])
def test_home_defines_each_property_and_links_its_column(client: FlaskClient, term: str) -> None:
    html = page_text(client, "/")

    assert f'<dt id="{term}"><dfn>{term.capitalize()}</dfn></dt>' in html
    assert f'<th scope="col"><a href="#{term}">{term.capitalize()}</a></th>' in html


def test_home_definitions_say_what_the_rfc_says(client: FlaskClient) -> None:
    html = page_text(client, "/")

    assert "Every safe method is also idempotent" in html  # RFC 9110 §9.2.2
    assert "resend an idempotent request by itself when the connection fails" in html
    assert "A property of the <em>response</em>" in html  # §9.2.3


def test_teachers_page_gives_both_sides_of_the_debugger(client: FlaskClient) -> None:
    html = page_text(client, "/teachers")

    assert "asks for a PIN" in html
    assert "listens only on the same machine" in html
    assert "never run it in production" in html
    assert "lets anyone who can reach it run Python" not in html


def test_get_vs_post_puts_safety_first_and_sensitivity_second(client: FlaskClient) -> None:
    html = page_text(client, "/get-vs-post")

    assert "not on how secret the data is" not in html
    assert "depends first on what the form asks the server to do, and second on how" in html
    assert "That is the second reason for choosing, after safety." in html


def test_get_vs_post_states_the_home_pages_allow_header(client: FlaskClient) -> None:
    html = page_text(client, "/get-vs-post")
    allow = client.post("/").headers["Allow"]

    assert "accepts GET only" not in html
    assert set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "The home page accepts GET, and HEAD and OPTIONS" in html


@pytest.mark.parametrize(
    "status",
    [
        "301 Moved Permanently",
        "302 Found",
        "303 See Other",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ],
)
def test_get_vs_post_lists_each_redirect_code(client: FlaskClient, status: str) -> None:
    html = page_text(client, "/get-vs-post")

    assert f'<th scope="row"><code>{status}</code></th>' in html


def test_get_vs_post_says_why_303_and_what_307_would_do(client: FlaskClient) -> None:
    html = page_text(client, "/get-vs-post")

    assert "The login uses 303 because" in html
    assert "With 307, the browser would send the POST again" in html
    assert "<code>405 Method Not Allowed</code> instead of a welcome" in html


def test_get_vs_post_teaches_url_length(client: FlaskClient) -> None:
    html = page_text(client, "/get-vs-post")

    assert "URLs of at least 8000 octets" in html  # RFC 9110 §4.1
    assert "<code>414 URI Too Long</code>" in html  # §15.5.15


def test_echo_page_says_what_curl_sends(client: FlaskClient) -> None:
    html = page_text(client, "/echo")

    assert "or curl's default" not in html
    assert "curl, whose default <code>Accept: */*</code> takes any type" in html
    assert client.get("/echo", headers={"Accept": "*/*"}).mimetype == "application/json"


def dark_declarations(stylesheet: str) -> list[tuple[str, str]]:
    """Return each (property, value) declared inside a prefers-color-scheme: dark block."""
    declarations = []
    for start in (
        m.end() for m in re.finditer(r"@media[^{]*prefers-color-scheme: dark[^{]*\{", stylesheet)
    ):
        depth, end = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(stylesheet[end], 0)
            end += 1
        for body in re.findall(r"\{([^{}]*)\}", stylesheet[start : end - 1]):
            declarations += re.findall(r"([\w-]+)\s*:\s*([^;]+?)\s*(?:;|$)", body.strip())
    return declarations


def test_the_dark_scheme_changes_only_colours() -> None:
    # e2e/test_every_page.py runs only axe's colour rules in dark, on this premise.
    stylesheet = (Path(methodslab.__file__).parent / "static" / "style.css").read_text()
    declarations = dark_declarations(stylesheet)

    assert len(declarations) > 5
    colour = re.compile(r"#[0-9a-f]{3,8}|rgba?\([^)]*\)", re.IGNORECASE)
    assert [
        d for d in declarations if not d[0].startswith("--") or not colour.fullmatch(d[1])
    ] == []
