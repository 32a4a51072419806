"""Every request the released client was seen sending parses with our schemas, unchanged."""

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from codeflash_engine.http.schemas import testgen as testgen_schemas
from codeflash_engine.http.schemas.insights import (
    ExplainRequest,
    OptimizationReviewRequest,
    RankRequest,
    WorkflowGenRequest,
)
from codeflash_engine.http.schemas.optimize import LineProfilerRequest, OptimizeRequest
from codeflash_engine.http.schemas.refinement import (
    AdaptiveOptimizeRequest,
    CodeRepairRequest,
    RefinementItem,
)

SAMPLES = Path(__file__).parents[3] / "shared" / "reference" / "client-traffic-samples.json"

SCHEMAS: dict[str, Any] = {
    "/ai/optimize": OptimizeRequest,
    "/ai/optimize-line-profiler": LineProfilerRequest,
    "/ai/refinement": TypeAdapter(list[RefinementItem]),
    "/ai/code_repair": CodeRepairRequest,
    "/ai/adaptive_optimize": AdaptiveOptimizeRequest,
    "/ai/testgen": testgen_schemas.TestgenRequest,
    "/ai/testgen_repair": testgen_schemas.TestgenRepairRequest,
    "/ai/testgen_review": testgen_schemas.TestgenReviewRequest,
    "/ai/rank": RankRequest,
    "/ai/explain": ExplainRequest,
    "/ai/optimization_review": OptimizationReviewRequest,
    "/ai/workflow-gen": WorkflowGenRequest,
}


def _exchanges() -> list[dict[str, Any]]:
    if not SAMPLES.exists():
        pytest.skip(f"the shared client traffic samples are not beside the checkout ({SAMPLES})")
    return [e for e in json.loads(SAMPLES.read_text())["exchanges"] if e["endpoint"] in SCHEMAS]


def test_the_samples_cover_every_endpoint_the_client_called() -> None:
    assert {e["endpoint"] for e in _exchanges()} >= set(CAPTURED)


CAPTURED = sorted(set(SCHEMAS) - {"/ai/workflow-gen"})  # only `codeflash init-actions` calls it


@pytest.mark.parametrize("endpoint", CAPTURED)
def test_captured_requests_parse(endpoint: str) -> None:
    exchanges = [e for e in _exchanges() if e["endpoint"] == endpoint]
    assert exchanges, f"no captured request for {endpoint}"
    schema = SCHEMAS[endpoint]
    for exchange in exchanges:
        body = exchange["request_json"]
        parsed = (
            schema.validate_python(body) if isinstance(schema, TypeAdapter) else schema.model_validate(body)
        )
        items = parsed if isinstance(parsed, list) else [parsed]
        assert all(isinstance(item, BaseModel) for item in items)
        if isinstance(body, dict) and "trace_id" in body:
            assert items[0].trace_id == body["trace_id"]  # type: ignore[attr-defined]


def test_n_candidates_is_capped() -> None:
    body = {"source_code": "```python:a.py\nx = 1\n```", "trace_id": "t", "n_candidates": 10_000}
    assert OptimizeRequest.model_validate(body).n_candidates == 10
    assert OptimizeRequest.model_validate({**body, "n_candidates": -3}).n_candidates == 1


def test_legacy_and_unknown_fields_are_ignored() -> None:
    body = {"source_code": "x", "trace_id": "t", "python_version": "3.9.1", "something_new": {"a": 1}}
    assert OptimizeRequest.model_validate(body).language == "python"
