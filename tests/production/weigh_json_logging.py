"""One request log line: json.dumps to stderr (ours) vs logging + python-json-logger.

python-json-logger is not a dependency; to weigh it again:

    .venv/bin/pip install --target /tmp/weigh python-json-logger==4.2.0
    PYTHONPATH=/tmp/weigh .venv/bin/python tests/production/weigh_json_logging.py 2>/dev/null
"""

import json
import logging
import sys
import timeit

from pythonjsonlogger.json import JsonFormatter

FIELDS = {
    "event": "request",
    "request_id": "0123456789abcdef",
    "method": "GET",
    "route": "/methods/<slug>",
    "status": 200,
    "duration_ms": 0.41,
}


def ours() -> None:
    sys.stderr.write(json.dumps(FIELDS) + "\n")


logger = logging.getLogger("requests")
handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(JsonFormatter(timestamp=False))
logger.addHandler(handler)
logger.setLevel(logging.INFO)
logger.propagate = False


def library() -> None:
    logger.info("request", extra=FIELDS | {"event": "request"})


for name, function in (("json.dumps", ours), ("logging+JsonFormatter", library)) * 2:
    best = min(timeit.repeat(function, number=20000, repeat=5)) / 20000
    print(f"{name:24s} {best * 1e6:6.1f} µs a line", file=sys.stdout)
