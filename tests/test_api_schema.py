"""Schema-driven fuzzing of the notes API from its own OpenAPI description."""

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from methodslab.notes.openapi import SPEC

# The description /api/openapi.json serves; the requests go to the examples' app (conftest.py).
schema = schemathesis.openapi.from_dict(SPEC)
CONDITIONAL_HEADERS = {"if-match", "if-none-match"}


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_description(examples_app: Flask, case: schemathesis.Case) -> None:
    # A valid If-Match for a note that is absent or changed must fail with 412,
    # so for conditional requests "valid input gets 2xx" does not hold; nor does
    # "invalid input gets 400 or 422": the condition is evaluated before the
    # content is processed (RFC 9110 §13.2.1), so a patch whose result would be
    # invalid gets 412 when the condition fails.
    conditional = CONDITIONAL_HEADERS & {name.lower() for name in case.headers or {}}
    case.call_and_validate(
        app=examples_app,
        # In-process calls are not decompressed as an HTTP client would; compression
        # has its own tests (test_caching.py).
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection] if conditional else [],
    )
