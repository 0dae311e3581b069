"""How names are checked, encoded for forms and carried in the welcome URL."""

from urllib.parse import unquote

import pytest

from methodslab.pages.names import MAX_NAME_LENGTH, NameConverter, check_name, form_encode

# Visitors only: one app for the module, a client (a new visitor) for each test.
pytestmark = pytest.mark.one_app


@pytest.mark.parametrize(
    ("submitted", "name"),
    [
        ("Ada", "Ada"),
        ("  Ada  Lovelace \t", "Ada  Lovelace"),
        ("\u00a0Zoë\u2003", "Zoë"),
        ("👩‍💻", "👩‍💻"),
        ("\u200fשלום", "\u200fשלום"),
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
    ],
)
def test_check_name_accepts_and_trims(submitted: str, name: str) -> None:
    assert check_name(submitted).name == name
    assert check_name(submitted).problem == ""


@pytest.mark.parametrize(
    ("submitted", "problem"),
    [
        (None, "no field called nm"),
        ("", "cannot be empty"),
        (" \t\u3000 ", "cannot be empty"),
        ("x" * (MAX_NAME_LENGTH + 1), f"at most {MAX_NAME_LENGTH} characters"),
        ("Ada\nLovelace", "control characters"),
        ("Ada\x00", "control characters"),
    ],
)
def test_check_name_refuses(submitted: str | None, problem: str) -> None:
    assert problem in check_name(submitted).problem
    assert check_name(submitted).name == ""


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("Ada Lovelace", "nm=Ada+Lovelace"),
        ("a+b&c=d", "nm=a%2Bb%26c%3Dd"),
        ("*-._~", "nm=*-._%7E"),
        ("Zoë/?#%", "nm=Zo%C3%AB%2F%3F%23%25"),
    ],
)
def test_form_encode_matches_browsers(name: str, encoded: str) -> None:
    assert form_encode(name) == encoded


@pytest.mark.parametrize(
    ("name", "url_part"),
    [
        ("Ada", "Ada"),
        ("a/b", "a%2Fb"),
        ("..", "~.."),
        (".", "~."),
        ("~me", "~~me"),
        ("a b?#", "a%20b%3F%23"),
    ],
)
def test_converter_round_trips(name: str, url_part: str) -> None:
    converter = NameConverter(map=None)  # type: ignore[arg-type]
    assert converter.to_url(name) == url_part
    # The server percent-decodes the path before routing: the converter sees that.
    assert converter.to_python(unquote(url_part)) == name
