"""Prometheus metrics, served at ``GET /metrics``.

The metrics are module-level so they are registered once per process however many apps a test
run creates. With several uvicorn workers, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory
so ``/metrics`` aggregates every worker (prometheus-client's multiprocess mode).
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from codeflash_engine.llm.client import LLMCallEvent

HTTP_REQUESTS = Counter(
    "codeflash_http_requests_total", "HTTP requests served.", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "codeflash_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
LLM_CALLS = Counter(
    "codeflash_llm_calls_total", "LLM calls by outcome.", ["provider", "model", "call_type", "status"]
)
LLM_LATENCY = Histogram(
    "codeflash_llm_call_duration_seconds",
    "LLM call latency, retries included.",
    ["provider", "model"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
LLM_TOKENS = Counter("codeflash_llm_tokens_total", "Tokens by kind.", ["provider", "model", "kind"])
LLM_COST = Counter("codeflash_llm_cost_usd_total", "LLM spend in US dollars.", ["provider", "model"])
ERRORS = Counter("codeflash_errors_total", "Errors by type.", ["error_type"])
RECORDS_DROPPED = Counter(
    "codeflash_recorder_dropped_total", "Records dropped because the queue was full or shut down."
)
HOOK_POOLS_REPLACED = Counter(
    "codeflash_hook_pools_replaced_total",
    "Hook worker pools replaced: a worker died (OOM killer, signal, crash), a hook timed out, or a "
    "cancelled request left its hook running.",
    ["reason"],
)
RECORDER_QUEUE = Gauge("codeflash_recorder_queue_size", "Records waiting to be written.")


class MetricsObserver:
    """Counts every LLM call; plugged into ``LLMClient`` as an observer."""

    def on_llm_call(self, event: LLMCallEvent) -> None:
        provider = event.provider.value
        result = event.result
        status = "ok" if result is not None else (event.error.kind if event.error else "error")
        LLM_CALLS.labels(provider, event.model, event.context.call_type, status).inc()
        LLM_LATENCY.labels(provider, event.model).observe(event.latency_ms / 1000)
        if result is None:
            ERRORS.labels(f"llm_{status}").inc()
            return
        usage = result.usage
        for kind, count in (
            ("prompt", usage.prompt_tokens),
            ("completion", usage.completion_tokens),
            ("cached_read", usage.cached_read_tokens),
            ("cached_write", usage.cached_write_tokens),
        ):
            if count:
                LLM_TOKENS.labels(provider, event.model, kind).inc(count)
        LLM_COST.labels(provider, event.model).inc(float(result.cost_usd))


def render_metrics() -> tuple[bytes, str]:
    """The exposition text and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
