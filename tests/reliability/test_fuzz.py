"""Property-based fuzzing of every endpoint from the app's own OpenAPI schema (schemathesis).

One real app for the module (``service`` in ``conftest.py``: real database, installed plugins in
worker processes, the fake LLM over HTTP, an API key). Schemathesis
generates valid (positive) and invalid (negative) requests for each operation; every response must

- never be a 500, 503 or 504 (the LLM and the database are healthy); 501 (a stub plugin) and 502
  (the fake LLM's fixed reply is not a usable answer) are legitimate,
- carry ``{"error": <str>}`` when it is not a 2xx,
- match the response schema the app publishes (status, content type, body).

``CODEFLASH_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 12, so the module
stays well under a minute); ``fuzz/run.sh`` runs it with many more.
"""

import os
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.http.app import create_app
from codeflash_engine.testing.settings import harness_settings

from .conftest import Service

EXAMPLES = int(os.environ.get("CODEFLASH_FUZZ_EXAMPLES", "12"))
SCHEMA = schemathesis.openapi.from_dict(create_app(harness_settings()).openapi())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
# Negative cases need something to break: operations without a body or parameters get positive only.
CASES = [
    pytest.param(operation, mode, id=f"{operation.label}-{mode}")
    for operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or len(operation.body) or len(operation.query)
]
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def send(client: TestClient, case: Any, admin_key: str | None = None) -> httpx.Response:
    """The generated request, through the started app (not schemathesis' own ASGI client, which
    would start a second lifespan and keep it until the interpreter exits)."""
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body["content"] = data if isinstance(data, bytes | str) else str(data)
    headers = {key: str(value) for key, value in (kwargs.get("headers") or {}).items()}
    # The console's API needs an admin key; with the ordinary one it would only ever answer 403.
    default = f"Bearer {admin_key}" if admin_key and case.path.startswith("/console/") else None
    headers.setdefault("Authorization", default or client.headers["Authorization"])
    return client.request(
        kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=headers, **body
    )


def check_response(case: Any, response: httpx.Response) -> None:
    # 501 is legitimate (the Java and JavaScript plugins are stubs), and so is 502: the fake LLM's
    # fixed reply may not be a valid repair of generated code.
    assert response.status_code < 500 or response.status_code in (501, 502), (
        f"{case.method} {case.path}: {response.status_code} {response.text}"
    )
    if response.status_code >= 300:
        payload = response.json()
        assert isinstance(payload, dict) and isinstance(payload.get("error"), str), response.text
    case.validate_response(response, checks=CHECKS)


@pytest.fixture(scope="module")
def admin_key(service: Service) -> str:
    assert service.client.portal is not None
    issued = service.client.portal.call(
        lambda: issue_key(
            service.app.state.resources.database, "fuzz-admin@example.com", "free", None,
            service.settings.auth, role="admin",
        )
    )  # fmt: skip
    return issued.key


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_every_operation_survives_generated_requests(
    service: Service, admin_key: str, operation: Any, mode: GenerationMode
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        check_response(case, send(service.client, case, admin_key))

    run()
