"""Schema-driven fuzzing of the notes API from its own OpenAPI description."""

from pathlib import Path
from tempfile import mkdtemp

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from methodslab import create_app
from settings import config_for

APP = create_app(config_for(Path(mkdtemp())) | {"NEW_SANDBOXES_PER_HOUR": 10**6})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)
CONDITIONAL_HEADERS = {"if-match", "if-none-match"}


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_description(case: schemathesis.Case) -> None:
    # A valid If-Match for a note that is absent or changed must fail with 412,
    # so for conditional requests "valid input gets 2xx" does not hold.
    conditional = CONDITIONAL_HEADERS & {name.lower() for name in case.headers or {}}
    case.call_and_validate(
        # In-process calls are not decompressed as an HTTP client would; compression
        # has its own tests (test_caching.py).
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance] if conditional else [],
    )
