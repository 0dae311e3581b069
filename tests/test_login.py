"""The login forms, the /login handler and the welcome page, through Flask's test client."""

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from methodslab.pages.names import MAX_NAME_LENGTH
from tests.html_text import texts_of

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

# Every class of name a person can type; each must come back exactly (trimmed).
NAMES = [
    pytest.param("Ada", id="plain"),
    pytest.param("Ada  Lovelace", id="spaces-inside"),
    pytest.param("AC/DC", id="slash"),
    pytest.param("/root", id="leading-slash"),
    pytest.param("dir/", id="trailing-slash"),
    pytest.param("a//b", id="doubled-slash"),
    pytest.param("//", id="only-slashes"),
    pytest.param(".", id="dot"),
    pytest.param("..", id="dot-dot"),
    pytest.param("a/../b", id="dot-dot-inside"),
    pytest.param("why?", id="question-mark"),
    pytest.param("#1", id="hash"),
    pytest.param("100%", id="percent"),
    pytest.param("%2F%zz", id="percent-escapes"),
    pytest.param("Tom & Jerry", id="ampersand"),
    pytest.param("C++", id="plus"),
    pytest.param("a=b;c", id="equals-semicolon"),
    pytest.param('O\'Brien "Bob"', id="quotes"),
    pytest.param("C:\\Users\\me", id="backslashes"),
    pytest.param("<b>bold</b>", id="html"),
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("~", id="tilde"),
    pytest.param("~me", id="leading-tilde"),
    pytest.param("José Ñúñez Zoë", id="accents"),
    pytest.param("👩‍💻 🎉🇳🇿", id="emoji"),
    pytest.param("مرحبا بالعالم", id="arabic"),
    pytest.param("שלום עולם", id="hebrew"),
    pytest.param("李小龙", id="chinese"),
    pytest.param("a" * 300, id="300-characters"),
    pytest.param("ü/?" * (MAX_NAME_LENGTH // 3), id="long-mixed"),
    pytest.param("🎉" * MAX_NAME_LENGTH, id="longest-emoji"),
]

REFUSED = [
    pytest.param({"nm": ""}, "cannot be empty", id="empty"),
    pytest.param({"nm": "   \u3000 "}, "cannot be empty", id="whitespace-only"),
    pytest.param({}, "no field called nm", id="missing-field"),
    pytest.param({"other": "Ada"}, "no field called nm", id="wrong-field"),
    pytest.param({"nm": "x" * (MAX_NAME_LENGTH + 1)}, f"at most {MAX_NAME_LENGTH}", id="too-long"),
    pytest.param({"nm": "Ada\r\nSet-Cookie: x=y"}, "control characters", id="line-break"),
]


def send(client: FlaskClient, method: str, fields: dict[str, str]) -> TestResponse:
    """Submit ``fields`` to /login the way that variant's form does."""
    if method == "POST":
        return client.post("/login", data=fields)
    return client.get("/login", query_string=fields)


def heading(response: TestResponse) -> str:
    """Return the page's only <h1> text."""
    (h1,) = texts_of(response.get_data(as_text=True), "h1")
    return h1


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_name_round_trips(client: FlaskClient, method: str, name: str) -> None:
    redirect = send(client, method, {"nm": name})

    assert 300 <= redirect.status_code < 400
    location = redirect.headers["Location"]
    assert urlsplit(location).path.startswith("/success/")
    welcome = client.get(location)
    assert welcome.status_code == 200
    assert heading(welcome) == f"welcome {name}"


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_surrounding_whitespace_is_trimmed(client: FlaskClient, method: str) -> None:
    welcome = send_and_follow(client, method, "  \t Grace  Hopper \u00a0")

    assert heading(welcome) == "welcome Grace  Hopper"


def send_and_follow(client: FlaskClient, method: str, name: str) -> TestResponse:
    """Submit ``name`` and follow the redirect to the welcome page."""
    redirect = send(client, method, {"nm": name})
    return client.get(redirect.headers["Location"])


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_names_are_escaped(client: FlaskClient, name: str) -> None:
    html = send_and_follow(client, "POST", name).get_data(as_text=True)

    assert name not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(("fields", "problem"), REFUSED)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_bad_names_bring_the_form_back(
    client: FlaskClient, method: str, fields: dict[str, str], problem: str
) -> None:
    response = send(client, method, fields)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert problem in html
    assert f'method="{method.lower()}"' in html
    assert 'aria-invalid="true"' in html


def test_refused_name_is_kept_in_the_field(client: FlaskClient) -> None:
    too_long = "<é>" * MAX_NAME_LENGTH

    html = send(client, "POST", {"nm": too_long}).get_data(as_text=True)

    assert f'value="{"&lt;é&gt;" * MAX_NAME_LENGTH}"' in html
    assert f"{len(too_long)} characters long" in html


def test_redirect_location_cannot_be_hijacked(client: FlaskClient) -> None:
    redirect = send(client, "POST", {"nm": "//evil.example/x"})

    location = urlsplit(redirect.headers["Location"])
    assert location.scheme == location.netloc == ""
    assert location.path == "/success/%2F%2Fevil.example%2Fx"


@pytest.mark.parametrize(
    ("method", "request_shown"),
    [
        (
            "POST",
            "POST /login HTTP/1.1\nHost: localhost\n"
            "Content-Type: application/x-www-form-urlencoded\nContent-Length: 15\n\n"
            "nm=Ada+Lovelace",
        ),
        ("GET", "GET /login?nm=Ada+Lovelace HTTP/1.1\nHost: localhost\n"),
    ],
)
def test_welcome_explains_the_exchange(
    client: FlaskClient, method: str, request_shown: str
) -> None:
    redirect = send(client, method, {"nm": "Ada Lovelace"})
    location = redirect.headers["Location"]
    status = HTTPStatus(redirect.status_code)

    html = client.get(location).get_data(as_text=True)

    # HTTP/1.1 requests carry Host (RFC 9112 §3.2); the page says the rest is left out.
    assert texts_of(html, "pre") == [
        request_shown,
        f"HTTP/1.1 {status.value} {status.phrase}\nLocation: {location}\n",
        f"GET {location} HTTP/1.1\nHost: localhost\n",
    ]
    assert "The messages below are abbreviated" in html


def test_welcome_after_get_says_no_post_was_sent(client: FlaskClient) -> None:
    html = " ".join(send_and_follow(client, "GET", "Ada").get_data(as_text=True).split())

    assert "Post/Redirect/Get" not in html
    assert "There was no POST here: GET, then 303, then GET." in html
    assert "give your name a URL of its own" in html


def test_welcome_after_post_names_the_pattern(client: FlaskClient) -> None:
    html = send_and_follow(client, "POST", "Ada").get_data(as_text=True)

    assert "Post/Redirect/Get" in html


def test_a_repeated_post_to_the_welcome_page_is_405(client: FlaskClient) -> None:
    # What a 307 would make the browser do (/get-vs-post says so): POST again, body and all.
    response = client.post("/success/Ada?via=post", data={"nm": "Ada"})

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_get_form_explains_who_sees_the_url_over_https(client: FlaskClient) -> None:
    html = " ".join(client.get("/login/get").get_data(as_text=True).split())

    assert "any proxy on the way." not in html
    assert "over HTTPS, only one that decrypts the traffic" in html


def test_welcome_opened_directly_says_so(client: FlaskClient) -> None:
    response = client.get("/success/Ada")

    assert response.status_code == 200
    assert heading(response) == "welcome Ada"
    assert "opened this address directly" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/success/%20%20", "/success/~", "/success/a%09b", "/success/a%0Ab", "/success/%0D%0A"]
)
def test_welcome_without_a_valid_name_is_refused(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 400


@pytest.mark.parametrize(("variant", "method"), [("post", "POST"), ("get", "GET")])
def test_form_pages(client: FlaskClient, variant: str, method: str) -> None:
    response = client.get(f"/login/{variant}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert heading(response) == f"Login by {method}"
    assert f'<form class="card login-form" action="/login" method="{variant}">' in html
    assert '<label for="nm">Enter Name</label>' in html
    assert '<input id="nm" name="nm"' in html
    assert f"Send with {method}</button>" in html
    # The handler's code is shown as it runs, read from the module itself.
    assert "def login() -&gt; ResponseReturnValue:" in html


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_login_allows_only_get_and_post(client: FlaskClient, method: str) -> None:
    response = client.open("/login", method=method)

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_unknown_login_variant_is_not_found(client: FlaskClient) -> None:
    assert client.get("/login/put").status_code == 404
