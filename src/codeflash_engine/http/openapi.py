"""The published OpenAPI schema, corrected to describe what the service really answers.

FastAPI documents a 422 body of ``{"detail": [...]}`` and no other error; the service answers every
non-2xx with ``{"error": "<message>", ...}`` (``http/errors.py``) and guards ``/ai/*`` with a bearer
API key that can also give 401, 403, 413, 429, 501, 502, 503 and 504. Clients and schema-driven tools
(schemathesis, generated SDKs) should see that.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "what went wrong, for a person to read"}},
    "additionalProperties": True,
}

_ERROR_RESPONSE = {
    "description": 'An error: ``{"error": message}``, with extra keys for some errors '
    "(``plugin`` and ``hook`` on a failed plugin hook, ``available_languages`` on an unknown language)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

_AI_ERRORS = {
    "401": "Missing, malformed, unknown or revoked API key",
    "403": "Optimization quota exhausted",
    "413": "Request body over the size limit",
    "422": "Invalid request",
    "429": "Rate limit exceeded (see ``Retry-After``)",
    "501": "The language's plugin does not implement this yet",
    "502": "The LLM provider or a language plugin failed",
    "503": "The database or every LLM provider is unavailable (see ``Retry-After``)",
    "504": "The LLM provider did not answer in time",
}


_CONSOLE_ERRORS = {
    "401": "No admin session and no API key",
    "403": "The API key is not an active admin key",
    "404": "No such trace",
    "422": "Invalid filter or cursor",
    "503": "The database is unavailable (see ``Retry-After``)",
}


def _error(description: str) -> dict[str, Any]:
    return {**_ERROR_RESPONSE, "description": description}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    components["securitySchemes"] = {
        "apiKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer cf-… (an admin key for /console/api/*)",
        }
    }
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            if path.startswith("/ai/"):
                operation["security"] = [{"apiKey": []}]
                for status, description in _AI_ERRORS.items():
                    responses[status] = _error(description)
            elif path.startswith("/console/"):
                operation["security"] = [{"apiKey": []}]
                for status, description in _CONSOLE_ERRORS.items():
                    responses[status] = _error(description)
            elif "422" in responses:
                responses["422"] = _error("Invalid request")
            responses["default"] = _error("Any other error (404, 405, 413, 500)")
    app.openapi_schema = schema
    return schema


def install_openapi(app: FastAPI) -> None:
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
