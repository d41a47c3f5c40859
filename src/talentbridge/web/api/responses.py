"""The error answers every API operation documents, in one place.

Every error of the API has one body, ``{"error": {"code": ..., "message": ...}}``
(``web.errors``): a stable machine-readable code and a sentence a person can read.
``document_errors`` adds these statuses, with that body, to every operation of the
OpenAPI schema that does not document them itself, replacing FastAPI's own 422 (whose
``detail`` list we never send), so
that a client (and schemathesis in the tests) can rely on the schema for every status
it may meet. Operations added later are documented the same way without a change here.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable code: not_authenticated, forbidden, not_found, …")
    message: str = Field(description="What went wrong, in a sentence for a person")


class ErrorBody(BaseModel):
    """The body of every error answer of the API."""

    error: ErrorDetail


# status -> what it means for a caller of this API
ERROR_RESPONSES: dict[int, str] = {
    400: "The request was understood but cannot be done as asked (bad_request).",
    401: "No valid bearer token or session (not_authenticated).",
    403: "Your role or organization may not do this (forbidden, csrf).",
    404: "No such record, or one you may not see (not_found).",
    409: "The request conflicts with the record's current state (conflict).",
    413: "The request body is larger than the limit (too_large).",
    422: "A parameter or the body does not have the expected form (invalid_request).",
    429: "Too many attempts; wait and try again (too_many_requests).",
}

_REF = "#/components/schemas/ErrorBody"


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add ``ERROR_RESPONSES`` with the ``ErrorBody`` to every operation of ``schema``
    (an OpenAPI document as FastAPI builds it); changed in place and returned."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(
        {
            "ErrorDetail": ErrorDetail.model_json_schema(),
            "ErrorBody": ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"),
        }
    )
    components["ErrorBody"].pop("$defs", None)
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                documented = responses.get(str(status))
                if documented is None or "HTTPValidationError" in json.dumps(documented):
                    responses[str(status)] = {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": _REF}}},
                    }
    for name in ("HTTPValidationError", "ValidationError"):
        if not _referenced(schema, name):
            components.pop(name, None)
    _describe_times(schema)
    return schema


UTC_TIME = (
    "A UTC time in ISO 8601 without an offset (YYYY-MM-DDTHH:MM:SS[.ffffff]); "
    "the store keeps every time in UTC."
)
_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"


def _describe_times(node: Any) -> None:
    """Our times are UTC without an offset (the store keeps naive UTC), which is not
    RFC 3339's ``date-time``: say what they are instead of a format they miss."""
    if isinstance(node, dict):
        if node.get("format") == "date-time" and node.get("type") == "string":
            del node["format"]
            node["pattern"] = _TIME_PATTERN
            node.setdefault("description", UTC_TIME)
        for value in node.values():
            _describe_times(value)
    elif isinstance(node, list):
        for value in node:
            _describe_times(value)


def _referenced(schema: dict[str, Any], name: str) -> bool:
    return f'"#/components/schemas/{name}"' in json.dumps(schema.get("paths", {}))
