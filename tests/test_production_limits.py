"""Body limits against the production server, as `make run` starts it, over raw sockets.

The test client cannot show what a real server does with a chunked body, so these
requests are written byte by byte: real chunked framing (RFC 9112 §7.1), real
Content-Length.
"""

import contextlib
import re
import socket
import threading
from urllib.parse import urlsplit

import pytest

from methodslab import MAX_REQUEST_BODY_BYTES
from methodslab.notes.api import MAX_API_BODY_BYTES

Address = tuple[str, int]


@pytest.fixture(scope="module")
def address(production_url: str) -> Address:
    """Return the host and port of the shared production server (tests/conftest.py)."""
    url = urlsplit(production_url)
    assert url.hostname and url.port
    return url.hostname, url.port


def chunked(body: bytes, size: int = 64 * 1024) -> bytes:
    """Return ``body`` in chunked framing, ``size`` bytes a chunk, with the last chunk."""
    chunks = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def exchange(address: Address, head: str, body: bytes) -> tuple[int, bytes]:
    """Send a request and return the response's status and all its bytes."""
    with socket.create_connection(address, timeout=30) as connection:
        # The server may answer and close before reading the whole body: send it
        # on the side, and read the answer meanwhile, as a browser does.
        sender = threading.Thread(target=send_quietly, args=(connection, head.encode() + body))
        sender.start()
        response = bytearray()
        try:
            while chunk := connection.recv(65536):
                response.extend(chunk)
        except ConnectionResetError:
            pass  # closed with the rest of the body unread; the answer came first
        sender.join()
    status_line = bytes(response).partition(b"\r\n")[0]
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    return int(status_line.split()[1]), bytes(response)


def send_quietly(connection: socket.socket, data: bytes) -> None:
    """Send ``data``, stopping without complaint if the server has closed the connection."""
    with contextlib.suppress(OSError):
        connection.sendall(data)


def request_head(method: str, path: str, content_type: str, framing: str) -> str:
    """Return the request line and header fields, ending with the empty line."""
    return (
        f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
        f"Content-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("path", "limit", "content_type"),
    [
        ("/echo", MAX_REQUEST_BODY_BYTES, "application/octet-stream"),
        ("/api/notes", MAX_API_BODY_BYTES, "application/json"),
    ],
)
@pytest.mark.parametrize("excess", [-100, 1, 2 * 1024 * 1024])
def test_a_chunked_body_is_411_whatever_its_size(
    address: Address, path: str, limit: int, content_type: str, excess: int
) -> None:
    # granian passes a chunked body cut short as if it were whole: only a
    # Content-Length lets the site refuse half a note (RFC 9110 §15.5.12).
    body = b'{"text": "' + b"x" * (limit + excess) + b'"}'
    head = request_head("POST", path, content_type, "Transfer-Encoding: chunked")

    status, response = exchange(address, head, chunked(body))

    assert status == 411, response[:500]
    assert b'"status": 411' in response
    assert b"Content-Length" in response


def test_a_declared_length_over_the_limit_is_413(address: Address) -> None:
    size = MAX_REQUEST_BODY_BYTES + 1
    head = request_head("POST", "/echo", "application/octet-stream", f"Content-Length: {size}")

    status, _ = exchange(address, head, b"x" * size)

    assert status == 413


def test_an_override_form_over_the_api_limit_is_413(address: Address) -> None:
    # Well under the site's limit, far over the API's: the API's is the one that counts.
    body = b"_method=PUT&_csrf=-&text=" + b"x" * 900_000
    framing = f"Content-Length: {len(body)}"
    head = request_head("POST", "/api/notes/n", "application/x-www-form-urlencoded", framing)

    status, _ = exchange(address, head, body)

    assert status == 413


def cut_short(address: Address, head: str, body: bytes) -> bytes:
    """Send a request whose body stops at ``body``, close the sending side, return the answer."""
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(head.encode() + body)
        connection.shutdown(socket.SHUT_WR)  # the client stops half-way
        response = bytearray()
        with contextlib.suppress(ConnectionResetError):
            while chunk := connection.recv(65536):
                response.extend(chunk)
    return bytes(response)


def sandbox_cookie(address: Address) -> str:
    """Return the cookie of a new sandbox holding one note, "kept"."""
    body = b'{"text": "kept"}'
    head = request_head(
        "PUT", "/api/notes/kept", "application/json", f"Content-Length: {len(body)}"
    )
    status, response = exchange(address, head, body)
    assert status == 201
    cookie = re.search(rb"set-cookie: (sandbox=[^;]+)", response, re.IGNORECASE)
    assert cookie
    return cookie[1].decode()


NOTE = b'{"text": "the whole of it"}'
CUT_SHORT = {
    "declared length longer than the body": (f"Content-Length: {len(NOTE) + 10}", NOTE),
    "last chunk missing": ("Transfer-Encoding: chunked", b"%x\r\n%s\r\n" % (len(NOTE), NOTE)),
    "chunk cut short": ("Transfer-Encoding: chunked", b"%x\r\n%s" % (len(NOTE) + 10, NOTE)),
    "chunk size not hex": ("Transfer-Encoding: chunked", b"zz\r\n%s\r\n0\r\n\r\n" % NOTE),
    "chunk size overflowing": (
        "Transfer-Encoding: chunked",
        b"1%s\r\n%s\r\n0\r\n\r\n" % (b"0" * 40, NOTE),
    ),
}


@pytest.mark.parametrize("framing", CUT_SHORT.values(), ids=CUT_SHORT.keys())
def test_a_body_cut_short_is_refused_and_not_stored(
    address: Address, framing: tuple[str, bytes]
) -> None:
    cookie = sandbox_cookie(address)
    header, body = framing
    head = request_head(
        "PUT", "/api/notes/cut", "application/json", f"{header}\r\nCookie: {cookie}"
    )

    response = cut_short(address, head, body)

    # Refused (RFC 9112 §6.3, §7.1), or the connection closed without an answer.
    assert response == b"" or response.startswith((b"HTTP/1.1 400 ", b"HTTP/1.1 411 ")), response
    read_back = request_head("GET", "/api/notes/cut", "application/json", f"Cookie: {cookie}")
    status, _ = exchange(address, read_back, b"")
    assert status == 404
