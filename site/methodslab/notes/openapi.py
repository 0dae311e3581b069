"""The notes API described in OpenAPI 3.1, served at /api/openapi.json."""

from typing import Any

from flask import Blueprint, Response, jsonify

from methodslab.notes.api import (
    JSON_PATCH,
    MAX_API_BODY_BYTES,
    MERGE_PATCH,
    NOTE_ID,
    READ_ONLY_FIELDS,
)
from methodslab.notes.store import (
    MAX_NOTES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TEXT_LENGTH,
    NEW_SANDBOXES_PER_HOUR,
)
from methodslab.web.caching import revalidated
from methodslab.web.sessions import COOKIE_NAME

bp = Blueprint("openapi", __name__)

PROBLEM = {"$ref": "#/components/responses/Problem"}
RETRY_LATER = {"$ref": "#/components/responses/RetryLater"}


def problems(*statuses: int) -> dict[str, Any]:
    """Return the error responses ``statuses``, each a problem document."""
    return {str(status): RETRY_LATER if status in (429, 503) else PROBLEM for status in statuses}


def json_body(schema: str, media_type: str = "application/json") -> dict[str, Any]:
    """Return a required request body of ``schema`` in ``media_type``."""
    return {
        "required": True,
        "content": {media_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


NOTE = {"application/json": {"schema": {"$ref": "#/components/schemas/Note"}}}
ETAG = {"ETag": {"schema": {"type": "string"}}}
# RFC 9110 §8.8.2: an HTTP-date, to the second.
VALIDATORS = ETAG | {"Last-Modified": {"schema": {"type": "string"}}}
LOCATION = {"Location": {"schema": {"type": "string"}}}
NOTE_RESPONSE = {"description": "The note", "headers": VALIDATORS, "content": NOTE}
CREATED_RESPONSE = {"description": "Created", "headers": VALIDATORS | LOCATION, "content": NOTE}
# RFC 9110 §15.4.5: no content, and the ETag a 200 would carry.
NOT_MODIFIED = {
    "description": "The version named in If-None-Match, or not modified since If-Modified-Since",
    "headers": ETAG,
}
# No validators in answer to a PUT: the note stored is more than the text sent
# (RFC 9110 §9.3.4); a GET gives its ETag.
PUT_RESPONSES = {
    "200": {"description": "Replaced, or already had this text (then unchanged)", "content": NOTE},
    "201": {"description": "Created", "headers": LOCATION, "content": NOTE},
}
TEXT = {"type": "string", "maxLength": MAX_TEXT_LENGTH}
TAG = {"type": "string", "minLength": 1, "maxLength": MAX_TAG_LENGTH}
TAGS = {"type": "array", "maxItems": MAX_TAGS, "items": TAG}
NOTE_PROPERTIES: dict[str, dict[str, Any]] = {
    "id": {"type": "string"},
    "text": TEXT,
    "tags": TAGS,
    "created": {"type": "string"},
    "updated": {"type": "string"},
    "version": {"type": "integer", "minimum": 1},
}
# A client may send the metadata back as a GET gave it; it is ignored.
NOTE_INPUT_PROPERTIES = {
    name: schema | {"readOnly": True} if name in READ_ONLY_FIELDS else schema
    for name, schema in NOTE_PROPERTIES.items()
}
PROBLEM_JSON = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def conditions(*names: str) -> list[dict[str, Any]]:
    """Return the precondition header fields (RFC 9110 §13.1) ``names`` as parameters."""
    return [{"name": name, "in": "header", "schema": {"type": "string"}} for name in names]


# Evaluated in the order of RFC 9110 §13.2.2; ignored where the note does not exist.
WRITE_CONDITIONS = conditions("If-Match", "If-None-Match", "If-Unmodified-Since")
READ_CONDITIONS = [*WRITE_CONDITIONS, *conditions("If-Modified-Since")]

# RFC 6901 §3, and the array indexes of §4 ("-" is the end, for add).
POINTER = "^(/([^~/]|~[01])*)*$"
TAG_INDEX = "^/tags/(0|[1-9][0-9]*)$"
TAG_PLACE = "^/tags/(-|0|[1-9][0-9]*)$"
TAG_POINTER = {"type": "string", "pattern": TAG_INDEX}


def operation(op: str | list[str], path: dict[str, Any], **members: Any) -> dict[str, Any]:
    """Return the schema of one kind of JSON Patch operation (RFC 6902 §4)."""
    ops = [op] if isinstance(op, str) else op
    return {
        "type": "object",
        "required": ["op", "path", *members],
        "properties": {"op": {"enum": ops}, "path": {"type": "string", **path}, **members},
    }


JSON_PATCH_OPERATIONS = [
    operation("test", {"pattern": POINTER}, value={}),
    operation(["add", "replace"], {"const": "/text"}, value=TEXT),
    operation(["add", "replace"], {"const": "/tags"}, value=TAGS),
    operation("add", {"pattern": TAG_PLACE}, value=TAG),
    operation("replace", {"pattern": TAG_INDEX}, value=TAG),
    operation("remove", {"pattern": TAG_INDEX}),
    operation(["move", "copy"], {"pattern": TAG_PLACE}, **{"from": TAG_POINTER}),
]

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "HTTP Methods Lab notes",
        "version": "1",
        "description": (
            "Each visitor's own notes, in a sandbox named by the `sandbox` cookie. "
            f"At most {MAX_NOTES} notes of {MAX_TEXT_LENGTH} characters, each with at most "
            f"{MAX_TAGS} tags of 1 to {MAX_TAG_LENGTH} characters; request bodies "
            f"up to {MAX_API_BODY_BYTES} bytes. A client network may make "
            f"{NEW_SANDBOXES_PER_HOUR} new sandboxes an hour (by default)."
        ),
    },
    # Every operation works without the cookie (a read finds an empty sandbox, a write
    # makes one and sets the cookie), but a note is found again only with it.
    "security": [{"sandbox": []}, {}],
    "paths": {
        "/api/notes": {
            "get": {
                "operationId": "listNotes",
                "responses": {
                    "200": {
                        "description": "The visitor's notes, oldest first",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/NoteList"}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createNote",
                "description": (
                    "Creates a note from JSON. From an HTML form with _method=DELETE and the "
                    "_csrf token, empties the sandbox instead, then redirects back to a lesson."
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        **json_body("NoteInput")["content"],
                        "application/x-www-form-urlencoded": {
                            "schema": {"$ref": "#/components/schemas/ClearSandboxForm"}
                        },
                    },
                },
                "responses": {
                    "201": CREATED_RESPONSE,
                    "303": {"description": "A form's reset: done or refused, as the lesson says"},
                    **problems(400, 403, 409, 413, 415, 422, 429, 503),
                },
            },
            "delete": {
                "operationId": "clearNotes",
                "responses": {"204": {"description": "The sandbox is empty"}},
            },
        },
        "/api/notes/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": f"^{NOTE_ID.pattern}$"},
                }
            ],
            "get": {
                "operationId": "getNote",
                "parameters": READ_CONDITIONS,
                "responses": {
                    "200": NOTE_RESPONSE,
                    "304": NOT_MODIFIED,
                    **problems(400, 404, 412),
                },
            },
            "put": {
                "operationId": "putNote",
                "parameters": WRITE_CONDITIONS,
                "requestBody": json_body("NoteInput"),
                "responses": {**PUT_RESPONSES, **problems(400, 409, 412, 413, 415, 422, 429, 503)},
            },
            "patch": {
                "operationId": "patchNote",
                "description": (
                    "Applies a JSON Merge Patch (RFC 7396) or a JSON Patch (RFC 6902) whole, or "
                    "nothing of it. 400: not a patch document of its type; 409: it cannot be "
                    "applied to the note as it is (a failed test, a path that does not exist); "
                    "422: it writes read-only metadata, or its result is not a valid note."
                ),
                "parameters": WRITE_CONDITIONS,
                "requestBody": {
                    "required": True,
                    "content": {
                        MERGE_PATCH: {"schema": {"$ref": "#/components/schemas/NotePatch"}},
                        JSON_PATCH: {"schema": {"$ref": "#/components/schemas/JsonPatch"}},
                    },
                },
                "responses": {
                    "200": NOTE_RESPONSE,
                    **problems(400, 404, 409, 412, 413, 415, 422),
                },
            },
            "post": {
                "operationId": "overrideNoteMethod",
                "description": (
                    "For HTML forms, which can only GET or POST: carries out the PUT, PATCH or "
                    "DELETE named in _method, if _csrf matches the token in the visitor's "
                    "session cookie (403 without that cookie: a form never makes a sandbox), "
                    "then redirects back to a lesson."
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {"$ref": "#/components/schemas/MethodOverrideForm"}
                        }
                    },
                },
                "responses": {
                    "303": {"description": "Done or refused; the lesson page says which"},
                    **problems(400, 403, 413),
                },
            },
            "delete": {
                "operationId": "deleteNote",
                "parameters": WRITE_CONDITIONS,
                "responses": {"204": {"description": "Deleted"}, **problems(400, 404, 412)},
            },
        },
    },
    "components": {
        "securitySchemes": {
            "sandbox": {
                "type": "apiKey",
                "in": "cookie",
                "name": COOKIE_NAME,
                "description": (
                    "The visitor's signed session cookie, set by the first write (and by a "
                    "lesson page with sandbox forms). It names the sandbox: send it back to "
                    "find the notes written with it; without it every request sees an empty "
                    "sandbox, and each write makes a new one."
                ),
            }
        },
        "schemas": {
            "Note": {
                "type": "object",
                "required": ["id", "text", "tags", "created", "updated", "version"],
                "additionalProperties": False,
                "properties": NOTE_PROPERTIES,
            },
            "NoteInput": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": False,
                "properties": NOTE_INPUT_PROPERTIES,
            },
            "NotePatch": {
                "type": "object",
                "additionalProperties": False,
                "properties": NOTE_INPUT_PROPERTIES,
            },
            "JsonPatch": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/JsonPatchOperation"},
            },
            # The operations that can succeed on some note: each writes only to /text
            # or /tags, with a value of the right kind ("test" may read anything).
            "JsonPatchOperation": {"oneOf": JSON_PATCH_OPERATIONS},
            "MethodOverrideForm": {
                "type": "object",
                "required": ["_method", "_csrf"],
                "properties": {
                    "_method": {"type": "string", "enum": ["PUT", "PATCH", "DELETE"]},
                    "_csrf": {"type": "string"},
                    "text": {"type": "string", "maxLength": MAX_TEXT_LENGTH},
                    "lesson": {"type": "string"},
                },
            },
            "ClearSandboxForm": {
                "type": "object",
                "required": ["_method", "_csrf"],
                "properties": {
                    "_method": {"type": "string", "enum": ["DELETE"]},
                    "_csrf": {"type": "string"},
                    "lesson": {"type": "string"},
                },
            },
            "NoteList": {
                "type": "object",
                "required": ["notes", "count", "limits"],
                "properties": {
                    "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}},
                    "count": {"type": "integer", "minimum": 0, "maximum": MAX_NOTES},
                    "limits": {"type": "object"},
                },
            },
            "Problem": {
                "type": "object",
                "required": ["status", "title", "detail"],
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "request_id": {"type": "string"},
                    "allowed": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "responses": {
            "Problem": {
                "description": "What went wrong (RFC 9457)",
                "content": PROBLEM_JSON,
            },
            "RetryLater": {
                "description": (
                    "No new sandbox now: this network made its most for the hour (429), or "
                    "every sandbox is in use (503); Retry-After says when to try again"
                ),
                "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
                "content": PROBLEM_JSON,
            },
        },
    },
}


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """Describe the notes API for tools such as schemathesis; they revalidate it by ETag."""
    return revalidated(jsonify(SPEC))
