"""Schema-driven fuzzing of the notes API from its own OpenAPI description."""

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
)

from methodslab.notes.openapi import SPEC

# The description /api/openapi.json serves; the requests go to the examples' app (conftest.py).
schema = schemathesis.openapi.from_dict(SPEC)
CONDITIONAL_HEADERS = {"if-match", "if-none-match", "if-modified-since", "if-unmodified-since"}
#: The methods some URL of the site accepts; any other gets 501 (web/methods_guard.py).
IMPLEMENTED = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_description(examples_app: Flask, case: schemathesis.Case) -> None:
    # A valid If-Match for a note that is absent or changed must fail with 412 (a
    # GET's If-None-Match with 304), so for conditional requests "valid input gets
    # 2xx" does not hold; nor does "invalid input gets 400 or 422": the condition is
    # evaluated before the content is processed (RFC 9110 §13.2.1), so a patch whose
    # result would be invalid gets 412 when the condition fails.
    conditional = CONDITIONAL_HEADERS & {name.lower() for name in case.headers or {}}
    # A method no URL here implements (TRACE, which the schema does not list) gets 501,
    # as RFC 9110 §9.1 says, where schemathesis expects 405 and takes a 5xx for a crash.
    implemented_nowhere = case.method.upper() not in IMPLEMENTED
    excluded: list[CheckFunction] = (
        [positive_data_acceptance, negative_data_rejection] if conditional else []
    )
    if implemented_nowhere:
        excluded += [unsupported_method, not_a_server_error]
    response = case.call_and_validate(
        app=examples_app,
        # In-process calls are not decompressed as an HTTP client would; compression
        # has its own tests (test_caching.py).
        headers={"Accept-Encoding": "identity"},
        excluded_checks=excluded,
    )
    if implemented_nowhere:
        assert response.status_code == 501


def test_description_names_the_cookie_a_note_is_found_again_with(app: Flask) -> None:
    served = app.test_client().get("/api/openapi.json").get_json()
    (scheme,) = served["components"]["securitySchemes"].values()
    assert scheme["type"] == "apiKey" and scheme["in"] == "cookie"
    assert {"sandbox": []} in served["security"]
    writer = app.test_client()
    created = writer.post("/api/notes", json={"text": "found again?"})
    assert created.status_code == 201
    cookie = writer.get_cookie(scheme["name"])
    assert cookie is not None, f"the write set no cookie named {scheme['name']!r}"

    # A generic client that sends just the cookie the description names finds the note.
    with_cookie = app.test_client()
    with_cookie.set_cookie(scheme["name"], cookie.value)
    assert with_cookie.get(created.location).status_code == 200
    assert app.test_client().get(created.location).status_code == 404
