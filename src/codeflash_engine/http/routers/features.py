"""``POST /ai/log_features``: store what the client measured, keyed by trace id."""

from typing import Any

from fastapi import APIRouter, Depends

from codeflash_engine.db import DatabaseUnavailableError
from codeflash_engine.db.rows import OptimizationFeaturesRecord
from codeflash_engine.http.auth_deps import CurrentUser, require_auth
from codeflash_engine.http.deps import Resources
from codeflash_engine.http.errors import APIError
from codeflash_engine.http.schemas.features import LogFeaturesRequest
from codeflash_engine.observability.context import bind_trace_id

router = APIRouter(prefix="/ai", tags=["features"], dependencies=[Depends(require_auth)])


@router.post("/log_features")
async def log_features(body: LogFeaturesRequest, user: CurrentUser, resources: Resources) -> dict[str, Any]:
    """Store the trace's features; in the database a re-send updates the trace's row and keeps what
    it does not overwrite."""
    bind_trace_id(body.trace_id)
    record = OptimizationFeaturesRecord(
        trace_id=body.trace_id,
        user_id=user.user_id,
        speedup_ratio=body.speedup_ratio,
        original_runtime=body.original_runtime,
        optimized_runtime=body.optimized_runtime,
        is_correct=body.is_correct,
        optimized_line_profiler_results=body.optimized_line_profiler_results,
        metadata=body.metadata,
        optimizations_post=body.optimizations_post,
        codeflash_version=body.codeflash_version,
    )
    try:
        await resources.features.save(record)
    except DatabaseUnavailableError as exc:
        raise APIError(503, "could not store the features right now (database unavailable)") from exc
    return {}
