"""Sequence diagrams: well-formed, accessible SVG that draws the exchange the server had."""

import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from flask.testing import FlaskClient

from methodslab.methods import METHODS, Exchange
from methodslab.teaching.raw_http import Message
from methodslab.teaching.sequence_diagram import Note, Step, sequence_diagram

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

SVG = "{http://www.w3.org/2000/svg}"
# A name a person can type: markup, quotes, an ampersand, right-to-left text and an
# override, and U+FFFF, which names may hold but XML may not.
HOSTILE = "<script>alert('x')</script> & \"Bobby\" سلام \u202eevil\uffff"


def diagrams_in(html: str) -> list[ET.Element]:
    """Parse every sequence diagram in a page as XML: each must be well-formed on its own."""
    return [ET.fromstring(svg) for svg in re.findall(r'<svg class="sequence".*?</svg>', html, re.S)]


def diagram_in(html: str) -> ET.Element:
    """Parse the page's only sequence diagram."""
    (svg,) = diagrams_in(html)
    return svg


def texts(svg: ET.Element, kind: str) -> list[str]:
    """Return the visible text of each <text> of class ``kind``, its tooltip left out."""
    shown = []
    for element in svg.iter(f"{SVG}text"):
        if element.get("class") == kind:
            tooltip = element.find(f"{SVG}title")  # <text><title>full</title>shown</text>
            shown.append((element.text if tooltip is None else tooltip.tail) or "")
    return shown


def start_lines(svg: ET.Element) -> list[str]:
    """Return the label of each arrow, top to bottom: request lines and status lines."""
    return texts(svg, "start-line")


def description(svg: ET.Element) -> str:
    """Return the text of the diagram's <desc>, found through aria-describedby."""
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.get("id") == svg.get("aria-describedby")
    return desc.text or ""


def send_and_follow(client: FlaskClient, method: str, name: str) -> tuple[str, str, str]:
    """Send the login form, follow its redirect; return the Location, its status and the page."""
    if method == "POST":
        redirect = client.post("/login", data={"nm": name})
    else:
        redirect = client.get("/login", query_string={"nm": name})
    assert redirect.status_code == HTTPStatus.SEE_OTHER
    location = redirect.headers["Location"]
    welcome = client.get(location)
    assert welcome.status_code == HTTPStatus.OK
    return (
        location,
        f"{redirect.status_code} {HTTPStatus(redirect.status_code).phrase}",
        (welcome.get_data(as_text=True)),
    )


def test_a_diagram_is_an_image_with_a_title_and_a_description() -> None:
    svg = ET.fromstring(
        sequence_diagram(
            [Step("client", "GET /"), Note("Between."), Step("server", "200 OK")],
            name="demo",
            title="A GET",
            summary="One request, one response.",
        )
    )

    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.get("id") == svg.get("aria-labelledby") == "demo-title"
    assert title.text == "A GET"
    assert description(svg) == (
        "One request, one response. 1. Browser to server: GET /. Note: Between. "
        "2. Server to browser: 200 OK."
    )
    # Drawn to scale on a phone, with the look left to the stylesheet (CSP: style-src 'self').
    assert svg.get("viewBox", "").startswith("0 0 400 ")
    assert not [element for element in svg.iter() if "style" in element.attrib]
    assert svg.find(f"{SVG}style") is None


def test_arrows_point_from_their_sender() -> None:
    svg = ET.fromstring(
        sequence_diagram(
            [Step("client", "PUT /a"), Step("server", "201 Created")], name="demo", title="t"
        )
    )

    request, response = (
        float(line.get("x2", 0))
        for line in svg.iter(f"{SVG}line")
        if "arrow" in line.get("class", "")
    )
    assert request > 200 > response  # towards the server's lifeline, then back


def test_a_step_is_made_from_a_raw_message() -> None:
    sent = Message("POST /login HTTP/1.1", (("Host", "h"), ("Content-Type", "t")), "nm=A")
    redirect = Message("HTTP/1.1 303 See Other", (("Location", "/success/A"),))

    assert Step.of(sent, ["content-type"], body=True) == Step(
        "client", "POST /login", ("Content-Type: t", "body: nm=A")
    )
    assert Step.of(redirect, ["Location"]) == Step(
        "server", "303 See Other", ("Location: /success/A",)
    )


def test_text_xml_cannot_hold_is_replaced_not_left_to_break_the_svg() -> None:
    svg = ET.fromstring(
        sequence_diagram([Step("client", "GET /\x01\uffff")], name="demo", title="\x08")
    )

    assert start_lines(svg) == ["GET /\ufffd\ufffd"]


@pytest.mark.parametrize("name", ["Demo", "a b", "1x", "x_y", ""])
def test_a_diagram_name_that_cannot_be_an_id_is_refused(name: str) -> None:
    with pytest.raises(ValueError):
        sequence_diagram([], name=name, title="t")


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_the_welcome_page_draws_the_exchange_that_brought_the_name(
    client: FlaskClient, method: str
) -> None:
    location, redirect_status, html = send_and_follow(client, method, "Ada Lovelace")

    svg = diagram_in(html)

    sent = "POST /login" if method == "POST" else "GET /login?nm=Ada+Lovelace"
    assert start_lines(svg) == [sent, redirect_status, f"GET {location}", "200 OK"]
    assert len([line for line in svg.iter(f"{SVG}line") if "arrow" in line.get("class", "")]) == 4
    assert f"Location: {location}" in description(svg)
    assert texts(svg, "note-text") == [
        "Your browser follows the redirect",
        "by itself, with GET.",
    ]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_hostile_name_is_escaped_and_kept_whole_in_the_description(
    client: FlaskClient, method: str
) -> None:
    _, _, html = send_and_follow(client, method, HOSTILE)

    svg = diagram_in(html)  # well-formed: nothing in the name broke out of its text

    assert "<script>alert" not in html
    assert not list(svg.iter(f"{SVG}script"))
    assert HOSTILE.replace("\uffff", "\ufffd") in description(svg)


def test_a_long_name_is_cut_short_in_the_drawing_but_whole_in_the_description(
    client: FlaskClient,
) -> None:
    name = ("Ada Lovelace " * 40)[:499] + "!"  # the longest name accepted: 500 characters
    location, _, html = send_and_follow(client, "POST", name)

    svg = diagram_in(html)

    drawn = texts(svg, "detail") + texts(svg, "start-line")
    assert any(line.endswith("…") for line in drawn)
    assert max(len(line) for line in drawn) <= 36  # the widest line that fits 400 units
    assert name in description(svg)
    assert f"Location: {location}" in description(svg)
    # The cut lines carry their full text as a tooltip.
    tooltips = [title.text for text in svg.iter(f"{SVG}text") for title in text.iter(f"{SVG}title")]
    assert f"Location: {location}" in tooltips


def test_the_get_lesson_draws_the_conditional_get_its_server_answers(
    client: FlaskClient,
) -> None:
    first = client.get("/methods/get")
    second = client.get("/methods/get", headers={"If-None-Match": first.headers["ETag"]})

    svg = diagram_in(first.get_data(as_text=True))

    assert start_lines(svg) == [
        "GET /methods/get",
        f"{first.status_code} {HTTPStatus(first.status_code).phrase}",
        "GET /methods/get",
        f"{second.status_code} {HTTPStatus(second.status_code).phrase}",
    ]
    assert [first.status_code, second.status_code] == [200, 304]
    # The fields drawn are the ones sent, the page's own tag masked as the lesson masks it.
    tag = 'W/"<a hash of this page>"'
    assert first.headers["ETag"].startswith('W/"')
    assert texts(svg, "detail")[:2] == [
        f"Cache-Control: {first.headers['Cache-Control']}",
        f"ETag: {tag}",
    ]
    assert "ETag" in second.headers and not second.data


@pytest.mark.parametrize("method", [m for m in METHODS if m.walkthrough], ids=lambda m: m.name)
def test_each_walkthrough_prediction_is_what_the_sandbox_answers(
    client: FlaskClient, method
) -> None:
    walk = method.walkthrough
    html = client.get(f"/methods/{method.slug}").get_data(as_text=True)
    predicted = diagram_in(html)

    def send(exchange: Exchange):
        headers = {"Content-Type": exchange.content_type} if exchange.body else {}
        return client.open(
            exchange.path, method=exchange.method, headers=headers, data=exchange.body
        )

    if walk.setup:
        send(walk.setup)
    before = client.get("/api/notes").get_json()["count"]
    answers = [send(walk.repeated), send(walk.repeated)]

    repeated = f"{walk.repeated.method} {walk.repeated.path}"
    assert start_lines(predicted) == [
        line
        for answer in answers
        for line in (repeated, f"{answer.status_code} {HTTPStatus(answer.status_code).phrase}")
    ]
    assert [answer.status_code for answer in answers] == [o.status for o in walk.outcomes]
    assert texts(predicted, "state-text")  # the state after each send is drawn
    notes = client.get("/api/notes").get_json()["notes"]
    if method.name == "POST":  # two more notes, each at its own Location
        assert len(notes) == before + 2
        assert answers[0].headers["Location"] != answers[1].headers["Location"]
    elif method.name == "DELETE":
        assert client.get(walk.repeated.path).status_code == 404
    else:  # PUT, PATCH: the second send left the note as the first did
        first, second = (answer.get_json() for answer in answers)
        assert first == second
    if method.name == "PUT":
        assert answers[0].headers["Location"] == walk.repeated.path
        assert answers[0].get_json()["version"] == 1
    if method.name == "PATCH":
        assert answers[0].headers["ETag"] == answers[1].headers["ETag"]


def test_a_walkthrough_is_drawn_as_the_sandbox_answered_it(client: FlaskClient) -> None:
    response = client.get("/methods/delete/walkthrough.svg?status=204&status=204&notes=0&notes=0")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = ET.fromstring(response.get_data(as_text=True))
    assert start_lines(svg) == [
        "DELETE /api/notes/old",
        "204 No Content",
        "DELETE /api/notes/old",
        "204 No Content",
    ]
    # The second answer differs from the lesson's prediction, and the drawing says so.
    assert texts(svg, "note-text")[-1] == "The lesson predicted 404 Not Found."
    assert texts(svg, "state-text") == ["Your notes after it: 0.", "Your notes after it: 0."]


@pytest.mark.parametrize(
    "query",
    [
        "status=201",
        "status=201&status=200&status=200",
        "status=201&status=200&notes=1",
        "status=201&status=999",
        "status=201&status=%D9%A2%D9%A0%D9%A1",  # Arabic-Indic digits
        "status=201&status=" + "2" * 5000,
        "status=201&status=200&notes=1&notes=26",
        "status=201&status=200&notes=1&notes=%C2%B2",  # a superscript two
        "status=201&status=200&notes=1&notes=" + "9" * 5000,  # past int()'s 4300 digits
    ],
)
def test_a_walkthrough_drawing_refuses_what_no_sandbox_answers(
    client: FlaskClient, query: str
) -> None:
    response = client.get(f"/methods/put/walkthrough.svg?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("slug", ["get", "trace", "nope"])
def test_only_lessons_with_a_walkthrough_draw_one(client: FlaskClient, slug: str) -> None:
    assert client.get(f"/methods/{slug}/walkthrough.svg?status=200&status=200").status_code == 404
