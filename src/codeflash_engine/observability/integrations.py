"""Sentry (errors) and PostHog (LLM analytics), each enabled only when configured.

Their SDKs are imported only when enabled, so an unconfigured service never loads them.
"""

from typing import Any

import structlog

from codeflash_engine import __version__
from codeflash_engine.llm.client import LLMCallEvent
from codeflash_engine.observability.logging import scrub
from codeflash_engine.observability.settings import ObservabilitySettings

logger = structlog.get_logger(__name__)


def _scrub_sentry_event(event: Any, _hint: Any) -> Any:
    # Request bodies carry customers' code and exception messages may carry keys.
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
    return scrub(event)


def init_sentry(settings: ObservabilitySettings, environment: str) -> bool:
    """Start Sentry when ``SENTRY_DSN`` is set; returns whether it did."""
    if settings.sentry_dsn is None:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.fastapi import FastApiIntegration
    from sentry_sdk.integrations.starlette import StarletteIntegration

    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=environment,
        release=f"codeflash-engine@{__version__}",
        send_default_pii=False,
        traces_sample_rate=0.0,
        before_send=_scrub_sentry_event,
        # Only what this service uses: probing every library Sentry knows costs seconds at start.
        auto_enabling_integrations=False,
        integrations=[StarletteIntegration(), FastApiIntegration()],
    )
    logger.info("sentry enabled")
    return True


def flush_sentry() -> None:
    import sentry_sdk

    sentry_sdk.flush(timeout=2.0)


class PostHogObserver:
    """Sends one ``$ai_generation`` event per LLM call (PostHog's LLM analytics schema): model,
    provider, tokens, cost, latency, outcome; never the prompt or the reply."""

    def __init__(self, settings: ObservabilitySettings) -> None:
        from posthog import Posthog

        assert settings.posthog_api_key is not None
        self._client = Posthog(
            settings.posthog_api_key.get_secret_value(), host=settings.posthog_host, disable_geoip=True
        )

    def on_llm_call(self, event: LLMCallEvent) -> None:
        context = event.context
        properties: dict[str, Any] = {
            "$ai_trace_id": context.trace_id,
            "$ai_provider": event.provider.value,
            "$ai_model": event.model,
            "$ai_latency": event.latency_ms / 1000,
            "$ai_is_error": event.error is not None,
            "call_type": context.call_type,
            "endpoint": context.endpoint,
            "organization_id": context.organization_id,
        }
        if event.result is not None:
            usage = event.result.usage
            properties |= {
                "$ai_model": event.result.model,
                "$ai_input_tokens": usage.total_input_tokens,
                "$ai_output_tokens": usage.completion_tokens,
                "$ai_cache_read_input_tokens": usage.cached_read_tokens,
                "$ai_cache_creation_input_tokens": usage.cached_write_tokens,
                "$ai_total_cost_usd": float(event.result.cost_usd),
            }
        elif event.error is not None:
            properties["$ai_error"] = event.error.kind
        self._client.capture(
            "$ai_generation", distinct_id=context.user_id or context.trace_id, properties=properties
        )

    def close(self) -> None:
        """Send what is buffered and stop the sender thread."""
        self._client.shutdown()
