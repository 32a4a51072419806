"""Adapters from the official async SDKs to one ``complete`` call, and their error classification.

Retries are the SDKs' own (exponential backoff that honours ``Retry-After``/``retry-after-ms``):
they retry 408/409/429/5xx, connection errors and timeouts and never 400/401/403/404/422, which
is exactly the transient/permanent split below.
"""

import json
from typing import Any

import anthropic
import openai
import pydantic

from codeflash_engine.domain.llm import Prompt
from codeflash_engine.llm.errors import (
    LLMContextLengthError,
    LLMError,
    LLMPermanentError,
    LLMTimeoutError,
    LLMTransientError,
)
from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.llm.types import Completion, Family, Provider, ProviderClient, TokenUsage

_TRANSIENT_STATUSES = frozenset({408, 409, 429})
_CONTEXT_LENGTH_MARKERS = (
    "context_length_exceeded",
    "context length",
    "prompt is too long",
    "too many tokens",
)


def classify_status(status: int, message: str, *, provider: str, model: str) -> LLMError:
    """Map a provider's HTTP status (after the SDK gave up) to transient or permanent."""
    if status in _TRANSIENT_STATUSES or status >= 500:
        return LLMTransientError(message, provider=provider, model=model, upstream_status=status)
    lowered = message.lower()
    if any(marker in lowered for marker in _CONTEXT_LENGTH_MARKERS):
        return LLMContextLengthError(message, provider=provider, model=model, upstream_status=status)
    return LLMPermanentError(message, provider=provider, model=model, upstream_status=status)


def _translate(exc: Exception, *, provider: str, model: str) -> LLMError:
    """One place that knows both SDKs' exception trees (they share their shape)."""
    if isinstance(exc, openai.APITimeoutError | anthropic.APITimeoutError):
        return LLMTimeoutError(f"{provider} timed out", provider=provider, model=model)
    if isinstance(exc, openai.APIConnectionError | anthropic.APIConnectionError):
        return LLMTransientError(f"{provider} connection failed: {exc}", provider=provider, model=model)
    if isinstance(exc, openai.APIStatusError | anthropic.APIStatusError):
        message = f"{provider} answered {exc.status_code}: {_error_message(exc.body, exc.message)}"
        return classify_status(exc.status_code, message, provider=provider, model=model)
    # A body that is not JSON or not the documented schema: the provider misbehaved, which tends
    # to pass, so the caller may try again.
    return LLMTransientError(f"{provider} sent a malformed reply: {exc}", provider=provider, model=model)


_SDK_ERRORS = (openai.OpenAIError, anthropic.AnthropicError, json.JSONDecodeError, pydantic.ValidationError)


def _error_message(body: object, fallback: str) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
        if isinstance(body.get("message"), str):
            return str(body["message"])
    return fallback


class OpenAIChatProvider:
    """OpenAI chat completions, on Azure (deployment paths) or any OpenAI-compatible base URL."""

    family = Family.OPENAI

    def __init__(self, provider: Provider, client: openai.AsyncOpenAI) -> None:
        self.provider = provider
        self._client = client
        # ``with_options`` copies the client (sharing its connection pool); keep one per retry
        # count instead of building a copy on every call.
        self._by_retries: dict[int, openai.AsyncOpenAI] = {}

    def _with_retries(self, max_retries: int) -> openai.AsyncOpenAI:
        client = self._by_retries.get(max_retries)
        if client is None:
            client = self._by_retries[max_retries] = self._client.with_options(max_retries=max_retries)
        return client

    async def complete(
        self,
        *,
        model: str,
        prompt: Prompt,
        max_output_tokens: int,
        temperature: float | None,
        timeout_seconds: float,
        max_retries: int,
    ) -> Completion:
        extra: dict[str, Any] = {} if temperature is None else {"temperature": temperature}
        try:
            response = await self._with_retries(max_retries).chat.completions.create(
                model=model,
                messages=[
                    {"role": "system", "content": prompt.system},
                    {"role": "user", "content": prompt.user},
                ],
                max_completion_tokens=max_output_tokens,
                timeout=timeout_seconds,
                **extra,
            )
        except _SDK_ERRORS as exc:
            raise _translate(exc, provider=self.provider, model=model) from exc
        if not response.choices:
            message = f"{self.provider} returned no choices"
            raise LLMTransientError(message, provider=self.provider, model=model)
        choice = response.choices[0]
        usage = response.usage
        cached = 0
        if usage is not None and usage.prompt_tokens_details is not None:
            cached = usage.prompt_tokens_details.cached_tokens or 0
        return Completion(
            text=choice.message.content or "",
            model=response.model or model,
            # OpenAI's prompt_tokens include the cached ones; the engine counts them apart.
            usage=TokenUsage(
                prompt_tokens=(usage.prompt_tokens - cached) if usage else 0,
                completion_tokens=usage.completion_tokens if usage else 0,
                cached_read_tokens=cached,
            ),
            finish_reason=choice.finish_reason,
            truncated=choice.finish_reason == "length",
            request_id=getattr(response, "_request_id", None),
        )

    async def aclose(self) -> None:
        await self._client.close()


_AnthropicClient = anthropic.AsyncAnthropic | anthropic.AsyncAnthropicBedrock


class AnthropicMessagesProvider:
    """Anthropic messages, on Bedrock (SigV4-signed) or the Anthropic API (any base URL)."""

    family = Family.CLAUDE

    def __init__(self, provider: Provider, client: "_AnthropicClient") -> None:
        self.provider = provider
        self._client = client
        self._by_retries: dict[int, _AnthropicClient] = {}

    def _with_retries(self, max_retries: int) -> "_AnthropicClient":
        client = self._by_retries.get(max_retries)
        if client is None:
            client = self._by_retries[max_retries] = self._client.with_options(max_retries=max_retries)
        return client

    async def complete(
        self,
        *,
        model: str,
        prompt: Prompt,
        max_output_tokens: int,
        temperature: float | None,
        timeout_seconds: float,
        max_retries: int,
    ) -> Completion:
        # The anthropic SDK's ``create`` has no sampling arguments any more (the current models
        # refuse them); older models still take them in the body.
        extra: dict[str, Any] = {} if temperature is None else {"extra_body": {"temperature": temperature}}
        try:
            message = await self._with_retries(max_retries).messages.create(
                model=model,
                system=prompt.system,
                messages=[{"role": "user", "content": prompt.user}],
                max_tokens=max_output_tokens,
                timeout=timeout_seconds,
                **extra,
            )
        except _SDK_ERRORS as exc:
            raise _translate(exc, provider=self.provider, model=model) from exc
        text = "".join(block.text for block in message.content if block.type == "text")
        usage = message.usage
        return Completion(
            text=text,
            model=message.model or model,
            # Anthropic's input_tokens already exclude cache reads and writes.
            usage=TokenUsage(
                prompt_tokens=usage.input_tokens,
                completion_tokens=usage.output_tokens,
                cached_read_tokens=usage.cache_read_input_tokens or 0,
                cached_write_tokens=usage.cache_creation_input_tokens or 0,
            ),
            finish_reason=message.stop_reason,
            truncated=message.stop_reason == "max_tokens",
            request_id=getattr(message, "_request_id", None),
        )

    async def aclose(self) -> None:
        await self._client.close()


def _secret(value: pydantic.SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()


def build_providers(settings: LLMSettings) -> dict[Family, ProviderClient]:
    """The configured provider for each family (``LLMSettings.providers``).

    Clients get ``max_retries`` and a timeout per call, so the values set here are only defaults.
    """
    return {family: _build(provider, settings) for family, provider in settings.providers().items()}


def _build(provider: Provider, settings: LLMSettings) -> ProviderClient:
    timeout_seconds = settings.timeout_seconds
    if provider is Provider.AZURE:
        assert settings.azure_openai_endpoint is not None  # providers() picks Azure only when it is set
        return OpenAIChatProvider(
            provider,
            openai.AsyncAzureOpenAI(
                azure_endpoint=settings.azure_openai_endpoint,
                api_key=_secret(settings.azure_openai_api_key),
                api_version=settings.azure_openai_api_version,
                timeout=timeout_seconds,
                max_retries=settings.max_retries,
            ),
        )
    if provider is Provider.OPENAI:
        return OpenAIChatProvider(
            provider,
            openai.AsyncOpenAI(
                # A self-hosted OpenAI-compatible server (vLLM, Ollama) usually wants no key, but
                # the SDK insists on one.
                api_key=_secret(settings.openai_api_key) or "unused",
                base_url=settings.openai_base_url,
                timeout=timeout_seconds,
                max_retries=settings.max_retries,
            ),
        )
    if provider is Provider.BEDROCK:
        return AnthropicMessagesProvider(
            provider,
            anthropic.AsyncAnthropicBedrock(
                aws_access_key=_secret(settings.aws_access_key_id),
                aws_secret_key=_secret(settings.aws_secret_access_key),
                aws_region=settings.aws_region,
                base_url=settings.bedrock_base_url,
                timeout=timeout_seconds,
                max_retries=settings.max_retries,
            ),
        )
    return AnthropicMessagesProvider(
        provider,
        anthropic.AsyncAnthropic(
            api_key=_secret(settings.anthropic_api_key),
            base_url=settings.anthropic_base_url,
            timeout=timeout_seconds,
            max_retries=settings.max_retries,
        ),
    )
