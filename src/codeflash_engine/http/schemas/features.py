"""``POST /ai/log_features``: what the client measured for a trace (contract §2.7)."""

from typing import Any

from codeflash_engine.http.schemas.common import Int64, TracedRequest


class LogFeaturesRequest(TracedRequest):
    """Per-candidate maps are keyed by optimization id; every field but ``trace_id`` is optional."""

    speedup_ratio: dict[str, float | None] | None = None
    original_runtime: Int64 | None = None
    optimized_runtime: dict[str, Int64 | None] | None = None
    is_correct: dict[str, bool | None] | None = None
    optimized_line_profiler_results: dict[str, str | None] | None = None
    metadata: dict[str, Any] | None = None
    optimizations_post: dict[str, Any] | None = None
