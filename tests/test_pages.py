"""The home page and the error pages."""

from flask.testing import FlaskClient

from tests.html_text import texts_of

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
