"""The production server as `make run` starts it: slow clients, hostile heads, logs, limits."""

import contextlib
import http.client
import json
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.http_lint import lint_problems
from tests.production.server import PROCESS_PROXY
from tests.production.slow_clients import SlowClients, SlowUploads
from tests.site_answers import BROWSER, PROGRAM

# A normal request must be answered within this, whatever else is connected.
PROMPT_SECONDS = 2.0


@pytest.fixture(scope="module")
def base_url(production_url: str) -> str:
    """Return the URL of the shared production server (tests/conftest.py)."""
    return production_url


@pytest.fixture(scope="module")
def server_log(production_log: Path) -> Path:
    """Return the file that receives everything the shared server prints."""
    return production_log


def address(base_url: str) -> tuple[str, int]:
    """Return the server's host and port."""
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def answer_to(base_url: str, request: bytes) -> bytes:
    """Send a raw request on a new connection; return the answer as it arrived."""
    with socket.create_connection(address(base_url), timeout=PROMPT_SECONDS) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def exchange(base_url: str, head: bytes, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send a raw request on a new connection; return status, headers and body of the answer."""
    status_line, _, rest = answer_to(base_url, head + body).partition(b"\r\n")
    header_block, _, content = rest.partition(b"\r\n\r\n")
    headers = {}
    for line in header_block.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, content


def get(base_url: str, target: str, *fields: str) -> tuple[int, dict[str, str], bytes]:
    """Send a GET for ``target`` with header ``fields`` (a Host unless given); return the answer."""
    lines = [f"GET {target} HTTP/1.1", "Connection: close", *fields]
    if not any(field.lower().startswith("host:") for field in fields):
        lines.insert(1, "Host: {}:{}".format(*address(base_url)))
    return exchange(base_url, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


# Each on a page of its own, none rendered before (they run first): on a server
# that let these through, the page everyone gets afterwards would carry them.
ATTACKS = [
    # A path that reads as a host, and Script-Name from a header to match it.
    ("//evil.example/", "SCRIPT_NAME: //evil.example", "Script-Name: //evil.example"),
    ("/methods/head", "X-Forwarded-Proto: https", "X-Forwarded-Ssl: on"),
    ("/methods/options", "X-Forwarded-Host: evil.example", "X-Forwarded-Prefix: //evil.example"),
    ("/get-vs-post", "Forwarded: proto=https;host=evil.example", "X-Forwarded-Port: 8443"),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: " ".join(attack))
def test_forged_headers_do_not_reach_shared_pages(base_url: str, attack: tuple[str, ...]) -> None:
    target, *fields = attack
    for _ in range(12):  # enough to reach every worker
        get(base_url, target, *fields)

    status, _, html = get(base_url, target.replace("//evil.example", ""))
    assert status == 200
    assert b"evil.example" not in html
    # The site's own origin, or the CORS lab's second one: the other trusted host name.
    port = address(base_url)[1]
    origins = (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/")
    assert all(url.startswith(origins) for url in urls_to_this_site(html))


def urls_to_this_site(html: bytes) -> list[str]:
    """Return the absolute URLs in ``html``, but for the RFCs it cites and example.* hosts."""
    return re.findall(
        r"https?://(?!www\.rfc-editor\.org/|[^/\s]*\.example\b)[^\s\"'<&]+", html.decode()
    )


def test_slow_clients_do_not_hold_up_others(base_url: str) -> None:
    with SlowClients(address(base_url), count=40):
        for path in ["/", "/methods/get", "/echo", "/login/post", "/"] * 2:
            started = time.monotonic()
            status, _, _ = get(base_url, path)  # the socket times out after PROMPT_SECONDS
            assert status == 200
            assert time.monotonic() - started < PROMPT_SECONDS


def test_slow_request_bodies_do_not_hold_up_others(base_url: str) -> None:
    # More than the threads that run the app (2 workers, 8 each): a byte a second each.
    with SlowUploads(address(base_url), 40):
        for path in ["/", "/methods/get", "/echo", "/login/post", "/"] * 2:
            started = time.monotonic()
            status, _, _ = get(base_url, path)  # the socket times out after PROMPT_SECONDS
            assert status == 200
            assert time.monotonic() - started < PROMPT_SECONDS


def test_the_host_port_does_not_make_a_new_page(base_url: str) -> None:
    _, _, first = get(base_url, "/methods/get")
    assert f"{base_url}/methods/get".encode() in first  # its curl command

    for port in (1, 8080, 65535):
        status, _, html = get(base_url, "/methods/get", f"Host: 127.0.0.1:{port}")
        assert status == 200
        assert f"{base_url}/methods/get".encode() in html
        assert f"127.0.0.1:{port}".encode() not in html


def test_answers_as_the_server_sends_them_pass_httplint(base_url: str) -> None:
    # tests/test_standards.py lints every answer of the application; here what the
    # server adds (Date, Server, its framing) is judged too, on a few of each kind.
    _, _, home = get(base_url, "/")
    stylesheet = re.search(rb'href="(/static/style\.css\?v=\w+)"', home)
    assert stylesheet is not None
    problems = []
    for method, target, fields in [
        ("GET", "/", BROWSER),
        ("HEAD", "/methods/get", BROWSER),
        ("GET", stylesheet[1].decode(), BROWSER),
        ("GET", "/api/notes", PROGRAM),
        ("GET", "/api/openapi.json", PROGRAM),
        ("POST", "/echo", PROGRAM),
        ("GET", "/no/such/page", BROWSER),
    ]:
        connection = http.client.HTTPConnection(*address(base_url), timeout=PROMPT_SECONDS)
        connection.request(method, target, headers=fields)
        answer = connection.getresponse()
        body, received = answer.read(), time.time()
        connection.close()
        problems += lint_problems(
            method, target, fields.items(), answer.status, answer.reason,
            answer.getheaders(), body, received,
        )  # fmt: skip

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/success/%FF", "/success/%C3"])
def test_a_path_that_is_not_utf8_gets_400(base_url: str, path: str) -> None:
    status, _, _ = get(base_url, path)

    assert status == 400


def test_the_process_environment_is_not_a_request_header(base_url: str) -> None:
    status, _, body = get(base_url, "/echo", "Accept: application/json")

    assert status == 200
    assert PROCESS_PROXY.encode() not in body
    assert "Proxy" not in json.loads(body)["headers"]


LIMITS = [
    # The site's own limits: its 414 and 431, with its headers (web/request_limits.py).
    ("GET /echo?" + "a" * 8200 + " HTTP/1.1", [], 414),
    ("GET /echo HTTP/1.1", [f"X-Field-{n}: 1" for n in range(51)], 431),
    ("GET /echo HTTP/1.1", ["X-Long: " + "a" * 8190], 431),
]


@pytest.mark.parametrize(("line", "fields", "status"), LIMITS, ids=["line", "count", "size"])
def test_limits_on_the_head_get_the_sites_answer(
    base_url: str, line: str, fields: list[str], status: int
) -> None:
    head = "\r\n".join([line, "Host: 127.0.0.1", "Connection: close", *fields]) + "\r\n\r\n"

    answered, headers, _ = exchange(base_url, head.encode())

    assert answered == status
    assert "content-security-policy" in headers and "x-request-id" in headers


def test_heads_within_the_limits_are_served(base_url: str) -> None:
    name = "%C3%A9" * 500  # the longest name, as the GET form sends it
    fields = [f"X-Field-{n}: 1" for n in range(40)]

    status, _, _ = get(base_url, f"/login?nm={name}", *fields, "X-Long: " + "a" * 8000)

    assert status in (200, 303)


def test_heads_past_the_servers_buffer_get_its_bare_431(base_url: str) -> None:
    # Past site/serve.py's HEAD_BUFFER_BYTES granian answers itself (site/SECURITY.md).
    too_many = [f"X-Field-{n}: 1" for n in range(120)]
    too_long = ["X-Long: " + "a" * 1_000_000]

    for fields in (too_many, too_long):
        status, headers, body = get(base_url, "/echo", *fields)
        assert status == 431 and body == b"" and "content-security-policy" not in headers


BAD_HEADS = [
    b"GET /login?nm=Grace+Hopper HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /success/Grace\x01Hopper HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nGrace Hopper: x\r\n\r\n",
    b"GET /success/Grace" + b"H" * 70000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /success/Grace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
    b"GRACE\r\n\r\n",
]


def test_the_servers_log_never_shows_a_request(base_url: str, server_log: Path) -> None:
    for head in BAD_HEADS:
        # Hanging up on a malformed request is a fine answer.
        with contextlib.suppress(ConnectionResetError):
            exchange(base_url, head)
    get(base_url, "/login?nm=Grace+Hopper")
    _, headers, _ = get(base_url, "/success/Grace")

    text = wait_for_log_line(server_log, headers["x-request-id"])
    assert "grace" not in text.lower() and "hopper" not in text.lower()


#: Requests that reached the app's error paths before (500s, tracebacks) or that name a
#: visitor's word where a log line could show it: the method, the Host, the path, a body.
HOSTILE_HEADS = [
    b"GRACE /methods/get HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    b"GET /methods/options HTTP/1.1\r\nHost: grace.example\r\nConnection: close\r\n\r\n",
    b"OPTIONS /methods/options HTTP/1.1\r\nHost: grace.example\r\nConnection: close\r\n\r\n",
    b"GET /static/grace/../style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n"
    b"Connection: close\r\n\r\n",
    b"PUT /api/notes/grace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b'Content-Length: 26\r\nConnection: close\r\n\r\n{"text": "grace\\ud800"}   ',
    b"GET /methods/put/walkthrough.svg?status=201&status=200&notes=1&notes="
    + b"9" * 5000
    + b"grace HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
]


def test_no_request_puts_a_visitors_words_in_the_log(base_url: str, server_log: Path) -> None:
    statuses = [exchange(base_url, head)[0] for head in HOSTILE_HEADS]
    _, headers, _ = get(base_url, "/")

    text = wait_for_log_line(server_log, headers["x-request-id"])
    assert 500 not in statuses
    assert "grace" not in text.lower()
    assert "Traceback" not in text


def wait_for_log_line(log: Path, request_id: str) -> str:
    """Return the log once the line of request ``request_id`` is in it (it is unbuffered)."""
    deadline = time.monotonic() + PROMPT_SECONDS
    while request_id not in (text := log.read_text()):
        assert time.monotonic() < deadline, f"no log line for request {request_id}"
        time.sleep(0.01)  # a file cannot be waited on; poll it
    return text


def test_granian_writes_its_own_reason_phrase(base_url: str) -> None:
    # The app gives the WSGI status "422 Unprocessable Content" (RFC 9110 §15.5.21);
    # granian keeps only the number (granian/wsgi.py: int(status.split(' ', 1)[0])) and
    # its HTTP library (hyper) writes the phrase of its own table. The phrase carries no
    # meaning (RFC 9112 §4: a client SHOULD ignore it); the problem's title has RFC 9110's.
    head = (
        "PUT /api/notes/n HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\nConnection: close\r\n\r\n".format(*address(base_url))
    )
    status_line, _, rest = answer_to(base_url, head.encode() + b"{}").partition(b"\r\n")

    assert status_line == b"HTTP/1.1 422 Unprocessable Entity"
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["title"] == "Unprocessable Content"
