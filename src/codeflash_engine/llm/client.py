"""``LLMClient``: the one entry point the pipeline uses to talk to models."""

import asyncio
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol

import structlog
from attrs import frozen

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm.errors import (
    LLMCancelledError,
    LLMError,
    LLMNotConfiguredError,
    LLMTimeoutError,
    LLMTransientError,
)
from codeflash_engine.llm.registry import ModelInfo, ModelRegistry, packaged_registry
from codeflash_engine.llm.settings import PROVIDER_VARIABLES, LLMSettings
from codeflash_engine.llm.types import (
    CallContext,
    Family,
    FanOutResult,
    LLMFailure,
    LLMRequest,
    LLMResult,
    Provider,
    ProviderClient,
)
from codeflash_engine.observability.context import bind_trace_id
from codeflash_engine.observability.timing import timed

logger = structlog.get_logger(__name__)

NOT_CONFIGURED_MESSAGE = f"no LLM provider configured: set {PROVIDER_VARIABLES}"


@frozen
class LLMCallEvent:
    """What an observer learns about each finished call: exactly one of ``result``/``error`` is set."""

    context: CallContext
    request: LLMRequest
    provider: Provider
    model: str
    latency_ms: float
    result: LLMResult | None = None
    error: LLMError | None = None


class CallObserver(Protocol):
    """Told about every call (metrics, the ``llm_calls`` recorder). Must not block or raise."""

    def on_llm_call(self, event: LLMCallEvent) -> None: ...


@frozen
class _Route:
    provider: ProviderClient
    model: str
    info: ModelInfo | None


class LLMClient:
    """Sends prompts to the configured providers; one instance per app (``AppResources.llm``).

    Create it with ``LLMClient.from_settings`` in the lifespan and ``await aclose()`` at shutdown.
    """

    def __init__(
        self,
        providers: Mapping[Family, ProviderClient],
        settings: LLMSettings,
        *,
        registry: ModelRegistry | None = None,
        observers: Sequence[CallObserver] = (),
    ) -> None:
        self._providers = dict(providers)
        self._settings = settings
        self.registry = registry or packaged_registry()
        self._observers = tuple(observers)
        # Created here, inside the running app's lifespan; asyncio binds them to that loop on first use.
        self._limits = {
            family: asyncio.Semaphore(settings.max_concurrency_per_provider) for family in self._providers
        }

    @classmethod
    def from_settings(
        cls,
        settings: LLMSettings,
        *,
        registry: ModelRegistry | None = None,
        observers: Sequence[CallObserver] = (),
    ) -> "LLMClient":
        from codeflash_engine.llm.providers import build_providers

        return cls(build_providers(settings), settings, registry=registry, observers=observers)

    @property
    def families(self) -> tuple[Family, ...]:
        """The configured model families, in preference order."""
        return tuple(family for family in Family if family in self._providers)

    def require_configured(self) -> None:
        """Raise ``LLMNotConfiguredError`` (503) when no provider is set up; call it before work
        that would be wasted without an LLM."""
        if not self._providers:
            raise LLMNotConfiguredError(NOT_CONFIGURED_MESSAGE)

    def model_for(self, family: Family) -> str:
        return self._settings.model_for(family)

    def distribute(self, n: int) -> list[Family]:
        """Which family answers each of ``n`` calls, by ``CODEFLASH_LLM_DISTRIBUTION`` weights over
        the configured families (largest remainder, interleaved so a short fan-out still mixes)."""
        self.require_configured()
        weights = {f: self._settings.distribution.get(f.value, 0) for f in self.families}
        if not any(weights.values()):
            weights = dict.fromkeys(self.families, 1)
        total = sum(weights.values())
        exact = {f: n * w / total for f, w in weights.items()}
        counts = {f: int(share) for f, share in exact.items()}
        by_remainder = sorted(exact, key=lambda f: exact[f] - counts[f], reverse=True)
        for family in by_remainder[: n - sum(counts.values())]:
            counts[family] += 1
        order: list[Family] = []
        while len(order) < n:
            for family in self.families:
                if counts[family]:
                    counts[family] -= 1
                    order.append(family)
        return order

    def plan(
        self,
        prompt: Prompt,
        n: int,
        *,
        max_output_tokens: int | None = None,
        temperature: float | None = None,
    ) -> list[LLMRequest]:
        """``n`` requests for the same prompt spread over the families (the model distribution)."""
        return [
            LLMRequest(prompt, family=family, max_output_tokens=max_output_tokens, temperature=temperature)
            for family in self.distribute(n)
        ]

    def _route(self, request: LLMRequest) -> _Route:
        self.require_configured()
        info = self.registry.get(request.model) if request.model else None
        family = request.family or (Family(info.family) if info else None) or self.families[0]
        client = self._providers.get(family)
        if client is None:
            # The distribution asked for a family that is not configured: the other one serves it,
            # with its own model, rather than failing the request.
            family = self.families[0]
            client = self._providers[family]
            model_name = self.model_for(family)
        else:
            model_name = request.model or self.model_for(family)
        info = self.registry.get(model_name)
        wire_model = info.wire_id(client.provider) if info else model_name
        if info and model_name != info.name and model_name not in info.ids.values():
            # A Bedrock inference profile (``us.anthropic...``) is sent as configured.
            wire_model = model_name
        return _Route(client, wire_model, info)

    @staticmethod
    def _temperature(request: LLMRequest, route: _Route) -> float | None:
        """The request's temperature, unless the model answers 400 to sampling parameters."""
        if request.temperature is None or route.info is None or route.info.sampling_parameters:
            return request.temperature
        logger.debug("temperature not sent: the model accepts no sampling parameters", model=route.model)
        return None

    async def call(self, request: LLMRequest | Prompt, context: CallContext) -> LLMResult:
        """Send one prompt; returns the reply or raises an ``LLMError`` subclass."""
        if isinstance(request, Prompt):
            request = LLMRequest(prompt=request)
        route = self._route(request)
        provider = route.provider
        bind_trace_id(context.trace_id)
        started = time.perf_counter()
        try:
            with timed("llm"):
                async with self._limits[provider.family]:
                    completion = await provider.complete(
                        model=route.model,
                        prompt=request.prompt,
                        max_output_tokens=request.max_output_tokens or self._settings.max_output_tokens,
                        temperature=self._temperature(request, route),
                        timeout_seconds=self._settings.timeout_seconds,
                        max_retries=self._settings.retries_for(context.call_type),
                    )
        except LLMError as error:
            latency_ms = (time.perf_counter() - started) * 1000
            event = LLMCallEvent(context, request, provider.provider, route.model, latency_ms, error=error)
            self._notify(event)
            logger.warning(
                "llm call failed",
                provider=provider.provider.value,
                model=route.model,
                call_type=context.call_type,
                error_kind=error.kind,
                error=error.message,
                latency_ms=round(latency_ms, 1),
            )
            raise
        except asyncio.CancelledError:
            # The request was cancelled mid-call (its deadline): the call is still a row and a count.
            latency_ms = (time.perf_counter() - started) * 1000
            cancelled = LLMCancelledError(
                f"{provider.provider.value} call cancelled after {latency_ms / 1000:.1f} s: its request "
                "ended first (the request deadline, or shutdown)",
                provider=provider.provider.value,
                model=route.model,
            )
            self._notify(
                LLMCallEvent(context, request, provider.provider, route.model, latency_ms, error=cancelled)
            )
            logger.warning(
                "llm call cancelled",
                provider=provider.provider.value,
                model=route.model,
                call_type=context.call_type,
                latency_ms=round(latency_ms, 1),
            )
            raise
        latency_ms = (time.perf_counter() - started) * 1000
        if route.info is None:
            cost = Decimal(0)
            logger.warning("no price for model; cost recorded as 0", model=completion.model)
        else:
            cost = route.info.cost_usd(completion.usage)
        text, truncated = completion.text, completion.truncated
        if len(text) > self._settings.max_reply_chars:
            logger.warning(
                "llm reply over the size limit; cut and treated as truncated",
                provider=provider.provider.value,
                model=completion.model,
                reply_chars=len(text),
                limit=self._settings.max_reply_chars,
            )
            text, truncated = text[: self._settings.max_reply_chars], True
        result = LLMResult(
            text=text,
            model=completion.model,
            provider=provider.provider,
            usage=completion.usage,
            cost_usd=cost,
            latency_ms=latency_ms,
            finish_reason=completion.finish_reason,
            truncated=truncated,
            request_id=completion.request_id,
        )
        event = LLMCallEvent(context, request, provider.provider, route.model, latency_ms, result=result)
        self._notify(event)
        logger.info(
            "llm call",
            provider=provider.provider.value,
            model=result.model,
            call_type=context.call_type,
            prompt_tokens=result.usage.prompt_tokens,
            completion_tokens=result.usage.completion_tokens,
            cached_read_tokens=result.usage.cached_read_tokens,
            cost_usd=str(cost),
            latency_ms=round(latency_ms, 1),
            truncated=result.truncated,
        )
        return result

    async def fan_out(
        self, requests: Sequence[LLMRequest], context: CallContext, *, stop_waiting_at: float | None = None
    ) -> FanOutResult:
        """Run every request concurrently; wall time is the slowest call, not the sum.

        Returns all successes (in request order) even when some calls fail; failures are reported,
        not raised. Callers decide what "all failed" means for them (see ``raise_if_all_failed``).

        ``stop_waiting_at`` (event-loop time): if by then at least one call succeeded, the calls
        still running are cancelled (recorded as ``cancelled``) and reported as timeouts, so the
        caller gets what arrived in time. With no success yet it keeps waiting for all of them.
        """
        if not requests:
            return FanOutResult(successes=(), failures=())
        tasks = [asyncio.create_task(self.call(request, context)) for request in requests]
        try:
            if stop_waiting_at is not None:
                await self._stop_waiting_for_stragglers(tasks, stop_waiting_at)
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        except BaseException:
            # Cancelled from above (the request's deadline): the calls go with it, not on their own.
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            raise
        outcomes = [_stopped(outcome) for outcome in outcomes]
        successes: list[LLMResult] = []
        failures: list[LLMFailure] = []
        for request, outcome in zip(requests, outcomes, strict=True):
            if isinstance(outcome, LLMResult):
                successes.append(outcome)
            elif isinstance(outcome, Exception):
                failures.append(LLMFailure(request=request, error=outcome))
            else:
                # CancelledError / KeyboardInterrupt must not be swallowed as a failed call.
                raise outcome
        return FanOutResult(successes=tuple(successes), failures=tuple(failures))

    @staticmethod
    async def _stop_waiting_for_stragglers(tasks: list[asyncio.Task[LLMResult]], at: float) -> None:
        loop = asyncio.get_running_loop()
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, at - loop.time()))
        if not pending or not any(t.done() and not t.cancelled() and t.exception() is None for t in tasks):
            return
        logger.warning(
            "llm fan-out: the request deadline is near; answering without the calls still running",
            answered=len(tasks) - len(pending),
            stopped=len(pending),
        )
        for task in pending:
            task.cancel()
        await asyncio.wait(pending)

    def _notify(self, event: LLMCallEvent) -> None:
        for observer in self._observers:
            try:
                observer.on_llm_call(event)
            except Exception:
                # An observer bug must never fail the call it observes.
                logger.exception("llm call observer failed", observer=type(observer).__name__)

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()


def _stopped(outcome: LLMResult | BaseException) -> LLMResult | BaseException:
    """A call ``fan_out`` cancelled to answer in time, as the timeout it is for the caller."""
    if isinstance(outcome, asyncio.CancelledError):
        return LLMTimeoutError(
            "no reply before the request deadline: the other calls' candidates were returned"
        )
    return outcome


def raise_if_all_failed(result: FanOutResult) -> None:
    """Raise the most telling failure when a fan-out produced nothing.

    A permanent error wins over a transient one (retrying will not help), so the status is the
    right 502/503/504; non-LLM exceptions are re-raised as they are.
    """
    if not result.all_failed:
        return
    errors = [failure.error for failure in result.failures]
    for error in errors:
        if not isinstance(error, LLMError):
            raise error
    llm_errors = [e for e in errors if isinstance(e, LLMError)]
    permanent = [e for e in llm_errors if not e.transient]
    raise (permanent or llm_errors or [LLMTransientError("every LLM call failed")])[0]
