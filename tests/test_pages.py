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
    # e2e/test_every_page.py, on this premise, runs only axe's colour rules in dark and makes
    # its layout checks (sideways scrolling, text size) in light only.
    stylesheet = (Path(methodslab.__file__).parent / "static" / "style.css").read_text()
    declarations = dark_declarations(stylesheet)

    assert len(declarations) > 5
    colour = re.compile(r"#[0-9a-f]{3,8}|rgba?\([^)]*\)", re.IGNORECASE)
    assert [
        d for d in declarations if not d[0].startswith("--") or not colour.fullmatch(d[1])
    ] == []


def palette(stylesheet: str, scheme: str) -> dict[str, str]:
    """Return the #rrggbb custom properties of the light palette, or of the dark one over it."""
    start = stylesheet.index(":root {")
    root = stylesheet[start : stylesheet.index("}", start)]
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6});", root))
    if scheme == "dark":
        dark = dark_declarations(stylesheet)
        colours |= {name: value for name, value in dark if re.fullmatch(r"#[0-9a-f]{6}", value)}
    return colours


def contrast_ratio(one: str, other: str) -> float:
    """Return the contrast ratio of two #rrggbb colours, as WCAG 2.2 defines it."""

    def luminance(colour: str) -> float:  # WCAG 2.2's "relative luminance"
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_ratio_is_wcags() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest AA grey


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_diagrams_draw_text_that_can_be_read_on_any_background(scheme: str) -> None:
    # axe-core cannot find the background behind SVG text: it reports the sequence
    # diagrams' labels as "incomplete", never as violations. So the colours they draw text
    # in (style.css, "Sequence diagrams") are held to 4.5:1 here (WCAG 1.4.3) on each
    # background the site has, and the request arrows' accent to 3:1 (WCAG 1.4.11).
    stylesheet = (Path(methodslab.__file__).parent / "static" / "style.css").read_text()
    colours = palette(stylesheet, scheme)

    for background in ("--bg", "--surface", "--code-bg"):
        for text in ("--text", "--muted"):
            assert contrast_ratio(colours[text], colours[background]) >= 4.5, (text, background)
        assert contrast_ratio(colours["--accent"], colours[background]) >= 3, background


# What each page says, against RFC 9110 and the Fetch and HTML Standards.


def test_home_cacheable_names_the_content_location_condition(client: FlaskClient) -> None:
    html = page_text(client, "/")

    # RFC 9110 §9.3.3, RFC 5789 §2.
    assert (
        "POST and PATCH responses only with explicit freshness information and a "
        "<code>Content-Location</code> equal to the request's URL, and then only to answer a "
        "later GET or HEAD of that URL"
    ) in html


def test_get_vs_post_says_what_proxies_and_referer_carry(client: FlaskClient) -> None:
    html = page_text(client, "/get-vs-post")

    assert "written to server and proxy logs" not in html
    assert "over HTTPS a proxy sees only the host name" in html
    assert "under the browsers' default policy, only as the origin" in html
    assert "the form reads and changes nothing" not in html
    # The default policy the page names is the one this site sends too.
    policy = client.get("/get-vs-post").headers["Referrer-Policy"]
    assert policy == "strict-origin-when-cross-origin"


def test_login_by_get_says_referer_carries_only_the_origin_to_other_sites(
    client: FlaskClient,
) -> None:
    html = page_text(client, "/login/get")

    assert "logs and <code>Referer</code> headers" not in html
    assert "other sites get only its origin, under the browsers' default policy" in html


def test_builder_names_the_three_form_encodings(client: FlaskClient) -> None:
    html = page_text(client, "/builder")

    assert "encoded as <code>application/x-www-form-urlencoded</code>. This one" not in html
    for encoding in ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain"):
        assert f"<code>{encoding}</code>" in html.split('id="plain"')[1].split("</p>")[0]


def test_teachers_page_blames_the_tutorial_only_for_its_own_defects(client: FlaskClient) -> None:
    html = page_text(client, "/teachers")

    # The seed's copy lost @app.route('/success/<name>') and else:, which the tutorial has.
    assert "The welcome view has no route" not in html
    assert "The GET branch can never run" not in html
    assert "Its code: four defects" in html
    for defect in (
        "A missing name is a crash",
        "Any name with a slash is a 404",
        "runs the visitor's markup",
        "runs with the debugger on",
    ):
        assert defect in html


@pytest.mark.parametrize(
    ("host", "other_page", "origin"),
    [
        ("127.0.0.1:8080", "http://localhost:8080/labs/cors/frame", "http://localhost:8080"),
        ("localhost:8080", "http://127.0.0.1:8080/labs/cors/frame", "http://127.0.0.1:8080"),
        ("[::1]", "http://[::1]/labs/cors/frame", "null"),
    ],
)
def test_teachers_preflight_exercise_runs_from_another_origin_of_this_host(
    client: FlaskClient, host: str, other_page: str, origin: str
) -> None:
    html = client.get("/teachers", base_url=f"http://{host}", headers={"Accept": BROWSER_ACCEPT})
    text = " ".join(html.text.split())
    exercise = text[text.index('id="exercise-preflight"') : text.index('id="quiz"')]

    # Not from one of this site's pages, whose connect-src 'self' blocks it before a preflight.
    assert "localhost:5000" not in exercise
    assert f'<a href="{other_page}">' in exercise
    assert f'fetch("http://{host}/api/notes/exercise"' in exercise
    assert f"<code>Origin: {origin}</code>" in exercise
    assert "HOST" not in text[text.index('id="exercises"') : text.index('id="quiz"')]
    policy = client.get(other_page).headers["Content-Security-Policy"]
    # A partner's host in the frame's own scheme (pages/cors_lab.py); a sandboxed frame's origin.
    assert re.search(rf"connect-src (http://)?{re.escape(host)};", policy)
