"""Reason phrases as RFC 9110 names them, on every response and in every page and script."""

from http import HTTPStatus

from flask import Response

# RFC 9110 §15 renamed a few statuses since the RFCs Python's table follows (§15.5.14,
# §15.5.15, §15.5.17, §15.5.21); every page and script writes a status with these phrases.
RFC_9110_RENAMED = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}
REASON_PHRASES = {status.value: status.phrase for status in HTTPStatus} | RFC_9110_RENAMED


def with_reason_phrase(response: Response) -> Response:
    """Give the response's status RFC 9110's reason phrase, as the pages write it.

    Werkzeug names a status from its own table, upper-cased ("201 CREATED", "422
    UNPROCESSABLE ENTITY"). What travels depends on the server: granian writes the
    phrase of its own HTTP library, whatever the app says (site/OPERATIONS.md).
    """
    phrase = REASON_PHRASES.get(response.status_code)
    if phrase:
        response.status = f"{response.status_code} {phrase}"
    return response
