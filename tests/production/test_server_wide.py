"""What the production server answers for the server as a whole, over a raw socket: requests
an HTTP library would not send as written (``OPTIONS *``, an unknown method, a long URL)."""

import socket
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import Headers

IMPLEMENTED = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"


@pytest.fixture(scope="module")
def address(production_url: str) -> tuple[str, int]:
    """Return the host and port of the shared production server (tests/conftest.py)."""
    url = urlsplit(production_url)
    return url.hostname or "", url.port or 80


def exchange(address: tuple[str, int], request_line: str) -> tuple[int, Headers]:
    """Send one request as raw bytes; return the response's status and header fields."""
    request = f"{request_line}\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(request.encode("latin-1"))
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head = received.partition(b"\r\n\r\n")[0].decode("latin-1")
    status_line, *field_lines = head.split("\r\n")
    # Field names are case-insensitive (RFC 9110 §5.1); granian sends them in lower case.
    fields = Headers([tuple(line.split(": ", 1)) for line in field_lines])
    return int(status_line.split(" ")[1]), fields


def test_options_asterisk_reaches_the_app_and_lists_every_method(
    address: tuple[str, int],
) -> None:
    status, fields = exchange(address, "OPTIONS * HTTP/1.1")

    assert 200 <= status < 300
    assert fields["Allow"] == IMPLEMENTED
    assert fields["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" in fields


# RFC 9110 §9.1: unknown or implemented on no URL, 501 (web/methods_guard.py).
@pytest.mark.parametrize("method", ["FOO", "PROPFIND", "TRACE", "CONNECT", "QUERY"])
def test_a_method_no_url_accepts_gets_501(address: tuple[str, int], method: str) -> None:
    status, fields = exchange(address, f"{method} / HTTP/1.1")

    assert status == 501
    assert fields["Content-Type"] == "application/problem+json"
    assert fields["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" in fields


@pytest.mark.parametrize("method", ["DELETE", "PUT"])
def test_a_method_this_url_does_not_allow_gets_405(address: tuple[str, int], method: str) -> None:
    status, fields = exchange(address, f"{method} / HTTP/1.1")

    assert status == 405
    assert set(fields["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_target_of_8000_octets_is_served(address: tuple[str, int]) -> None:
    # RFC 9110 §4.1 recommends supporting URIs of at least 8000 octets; /get-vs-post says so.
    target = "/?q=" + "a" * (8000 - len("/?q="))

    status, _ = exchange(address, f"GET {target} HTTP/1.1")

    assert status == 200


def test_a_target_too_long_gets_414(address: tuple[str, int]) -> None:
    status, _ = exchange(address, f"GET /?q={'a' * 9000} HTTP/1.1")

    assert status == 414
