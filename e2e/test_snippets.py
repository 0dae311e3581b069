"""Every snippet the pages offer is run against the production server, and gets the answer
its page says: curl in one shell script; Python requests, and HTTPie on the words a POSIX
shell makes of its command (shlex.split), in one Python subprocess; fetch() in one
evaluation in the browser page whose cookie the snippets carry.

HTTPie runs in the Python process, not from the shell script: a process per command
cost 0.3 CPU-s each (24 of them); the shell quoting they share is curl's, run by bash."""

import html
import json
import re
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from methodslab.methods import METHODS

# One page, reset to a first-time visitor's (e2e/visitors.py): it adds no listeners.
pytestmark = pytest.mark.reused_page

#: A body and a header value no quoting may let out: quotes, $(...), backticks, a
#: newline, backslashes, non-ASCII text, markup and format strings.
HOSTILE_BODY = 'it\'s "quoted" $(touch {trap}) `touch {trap}` \\n\\\n é 😀 </script> %s {{}}'
HOSTILE_HEADER = 'it\'s "quoted" $(touch {trap}) `id` a=b;c@d:e'


@dataclass
class Block:
    """One request a page offers: its snippets, and the statuses of each send in turn."""

    where: str
    snippets: dict[str, str]
    sends: list[set[int]]
    echoed: tuple[str, str] | None = None  # the body and X-Quote the echo must describe


def blocks_of(where: str, page_html: str) -> list[Block]:
    """Return the requests a page offers to copy, in page order."""
    found = []
    for part in page_html.split("data-copy-as")[1:]:
        expect_code = re.match(r' data-expect="([^"]*)"', part)
        assert expect_code, where
        texts = re.findall(
            r'data-snippet="(\w+)">.*?<code>(.*?)</code>', part.split("</div>")[0], re.S
        )
        sends = [{int(code) for code in send.split(",")} for send in expect_code[1].split()]
        found.append(Block(where, {key: html.unescape(text) for key, text in texts}, sends))
    return found


def status_and_body(output: str) -> tuple[int, str]:
    """Read the status code and body that curl -i or HTTPie --print=hb wrote."""
    head, _, body = output.replace("\r\n", "\n").partition("\n\n")
    status = re.match(r"HTTP/[\d.]+ (\d{3})", head.strip())
    assert status, output[:300]
    return int(status[1]), body


def run_curl(blocks: list[Block]) -> list[tuple[int, str]]:
    """Run each block's curl command as often as it is sent, in one bash script."""
    marker = f"@@{uuid.uuid4().hex}@@"
    lines = []
    for block in blocks:
        for _ in block.sends:
            lines += [f"echo {marker}", block.snippets["curl"]]
    done = subprocess.run(
        ["bash", "-c", "\n".join(lines)], capture_output=True, text=True, timeout=120, check=True
    )
    return [status_and_body(out) for out in done.stdout.split(marker + "\n")[1:]]


# Runs each requests snippet with print() collected (its first line: "status reason"),
# each HTTPie command with its output collected, and each raw HTTP message as written, its
# lines ended with CRLF as on the wire (RFC 9112 section 2.1), on a socket of its own.
PYTHON_RUNNER = """
import contextlib, functools, http.client, io, json, re, shlex, socket, sys
from httpie.context import Environment
from httpie.core import main
from httpie.plugins.registry import plugin_manager
from httpie.ssl_ import HTTPieHTTPSAdapter
# What each HTTPie command sets up again, though all of them here get the same, is done
# once: the TLS context, which loads the system's CA certificates (33 ms of CPU a command),
# and the scan of the installed packages for plugins (8 ms), which registers them again.
HTTPieHTTPSAdapter._create_ssl_context = staticmethod(
    functools.cache(HTTPieHTTPSAdapter._create_ssl_context)
)
plugin_manager.load_installed_plugins = functools.cache(plugin_manager.load_installed_plugins)
results = []
for kind, code in json.load(sys.stdin):
    if kind == "raw":
        head, _, body = code.partition("\\n\\n")
        host, _, port = re.search("^Host: (.+)$", head, re.M)[1].rpartition(":")
        message = head.rstrip("\\n").replace("\\n", "\\r\\n") + "\\r\\n\\r\\n"
        with socket.create_connection((host, int(port)), timeout=30) as wire:
            wire.sendall(message.encode() + body.encode())
            answer = http.client.HTTPResponse(wire, method=head.split()[0])  # HEAD: no body
            answer.begin()
            results.append(["raw", answer.status, answer.read().decode()])
        continue
    if kind == "httpie":
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        main(shlex.split(code), env=Environment(stdout=out, stdout_isatty=False))
        out.flush()
        results.append(raw.getvalue().decode())
        continue
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})
    status, _, body = printed.getvalue().partition("\\n")
    results.append(["python", int(status.split()[0]), body.removesuffix("\\n")])
print(json.dumps(results))
"""

# Runs each fetch() snippet in its own block, with console.log collected.
FETCH_RUNNER = """async () => {{
  const results = [];
  const console = {{ log: (status, text) => results.push([status, text]) }};
  {blocks}
  return results;
}}"""


def run_python(blocks: list[Block]) -> dict[str, list[tuple[int, str]]]:
    """Run every requests snippet, HTTPie command and raw message, as often as each is sent."""
    codes = [
        (kind, block.snippets[kind])
        for kind in ("python", "httpie", "raw")
        for block in blocks
        for _ in block.sends
    ]
    done = subprocess.run(
        [sys.executable, "-c", PYTHON_RUNNER],
        input=json.dumps(codes),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)
    answered = [result for result in results if isinstance(result, list)]
    return {
        "httpie": [status_and_body(result) for result in results if isinstance(result, str)],
        "python": [(status, text) for kind, status, text in answered if kind == "python"],
        "raw": [(status, text) for kind, status, text in answered if kind == "raw"],
    }


def run_fetch(page: Page, blocks: list[Block]) -> list[tuple[int, str]]:
    """Evaluate every fetch() snippet, each as often as it is sent, in one page evaluation."""
    code = "\n".join(f"{{\n{block.snippets['fetch']}\n}}" for block in blocks for _ in block.sends)
    return [tuple(result) for result in page.evaluate(FETCH_RUNNER.format(blocks=code))]


def test_every_snippet_gets_the_answer_its_page_says(page: Page, screenshots: Path) -> None:
    trap = Path(tempfile.gettempdir()) / f"snippet-trap-{uuid.uuid4().hex}"
    body, header = HOSTILE_BODY.format(trap=trap), HOSTILE_HEADER.format(trap=trap)
    hostile = "/builder?" + urlencode(
        {
            "method": "PUT",
            "url": "/echo/snippets?q=[1]",
            "header": f"X-Quote: {header}",
            "body": body,
        }
    )
    # The visit gives the browser its sandbox cookie; every page below is read with it.
    page.goto("/methods/put")
    page.get_by_text("Copy these requests for five clients").click()
    fold = page.locator("details.copy-as-all")
    expect(fold.get_by_role("link", name="Open it in the request builder").first).to_be_visible()
    fold.screenshot(path=screenshots / "snippets-put-walkthrough--desktop--light.jpeg")
    blocks = []
    for method in METHODS:
        blocks += blocks_of(method.name, page.request.get(f"/methods/{method.slug}").text())
    builder = blocks_of("builder", page.request.get(hostile).text())
    builder[0].sends, builder[0].echoed = [{200}], (body, header)
    blocks += builder
    # A Try it panel for each lesson, a setup and a repeated request for each walkthrough.
    assert len(blocks) == len(METHODS) + 9 + 1
    assert all(
        set(block.snippets) == {"curl", "fetch", "python", "httpie", "raw"} for block in blocks
    )
    # The builder shows the hostile request as text in its fields, and runs none of it.
    page.goto(hostile)
    expect(page.get_by_label("Body (leave empty for none)")).to_have_value(body)
    expect(page.get_by_label("Headers, one Name: value per line")).to_have_value(
        f"X-Quote: {header}\nContent-Type: text/plain;charset=UTF-8\n"
    )
    page.request.delete("/api/notes")  # room for the POST walkthrough's notes, four times over

    answers = {"curl": run_curl(blocks), **run_python(blocks), "fetch": run_fetch(page, blocks)}

    runs = [(block, send) for block in blocks for send in block.sends]
    for client, got in answers.items():
        assert len(got) == len(runs), client
        for (block, expected), (status, text) in zip(runs, got, strict=True):
            assert status in expected, f"{client} in {block.where}: {status}, not {expected}"
            if block.echoed:
                seen = json.loads(text)
                assert (seen["body"], seen["headers"]["X-Quote"]) == block.echoed, client
                assert seen["query"] == {"q": ["[1]"]}, client
    assert not trap.exists(), "a snippet ran the command inside the note"
