"""The teachers' page: in the navigation, with exercises at the address the site is served on.

The exercises' own words and exercise 3's other origin are tests/test_pages.py's."""

import re

import pytest
from flask.testing import FlaskClient

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app

BROWSER = {"Accept": "text/html"}


def exercise_urls(html: str) -> set[str]:
    """Return the notes URLs the exercises' commands use."""
    return set(re.findall(r"https?://[^\s\"'<]+/api/notes/exercise", html))


@pytest.mark.parametrize("path", ["/", "/methods/get", "/glossary", "/summary", "/no/such/page"])
def test_every_page_links_to_the_teachers_page_from_the_navigation(
    client: FlaskClient, path: str
) -> None:
    html = client.get(path, headers=BROWSER).text

    navigation = re.search(r'<nav aria-label="Site">(.*?)</nav>', html, re.DOTALL)
    assert navigation is not None
    assert '<a href="/teachers">For teachers</a>' in navigation[1]


@pytest.mark.parametrize(
    ("base_url", "here", "there"),
    [
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000", "http://localhost:5000"),
        ("http://localhost:8080", "http://localhost:8080", "http://127.0.0.1:8080"),
    ],
)
def test_each_host_name_gets_exercises_with_its_own_addresses(
    client: FlaskClient, base_url: str, here: str, there: str
) -> None:
    html = client.get("/teachers", base_url=base_url, headers=BROWSER).text

    assert exercise_urls(html) == {f"{here}/api/notes/exercise"}
    assert f"Origin: {there}</code>" in html
    assert "http://HOST/" not in html


def test_a_forged_host_port_or_forwarded_host_never_reaches_the_shared_page(
    client: FlaskClient, other_client: FlaskClient
) -> None:
    forged = client.get(
        "/teachers",
        base_url="http://localhost:5000",
        headers={**BROWSER, "Host": "localhost:6666", "X-Forwarded-Host": "evil.example"},
    )
    honest = other_client.get("/teachers", base_url="http://localhost:5000", headers=BROWSER)

    assert forged.data == honest.data
    assert exercise_urls(honest.text) == {"http://localhost:5000/api/notes/exercise"}
    assert b"6666" not in honest.data and b"evil.example" not in honest.data


def test_an_untrusted_host_gets_400_and_no_page_of_its_own(client: FlaskClient) -> None:
    refused = client.get("/teachers", headers={**BROWSER, "Host": "evil.example"})

    assert refused.status_code == 400
    pages = client.application.extensions.get("pages", {})
    assert not any("evil.example" in key for key in pages)
