"""What the LLM layer takes and returns."""

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from attrs import field, frozen

from codeflash_engine.domain.llm import LLMReply, Prompt


class Provider(StrEnum):
    """Where a call went. ``AZURE`` and ``OPENAI`` serve the OpenAI family, the others Claude."""

    AZURE = "azure"
    OPENAI = "openai"
    BEDROCK = "bedrock"
    ANTHROPIC = "anthropic"


class Family(StrEnum):
    """A logical model role; settings pick the model for each (``CODEFLASH_LLM_*_MODEL``)."""

    OPENAI = "openai"
    CLAUDE = "claude"


@frozen
class TokenUsage:
    """Tokens of one call, normalised across providers.

    ``prompt_tokens`` is uncached input only; ``cached_read_tokens`` came from the prompt cache;
    ``cached_write_tokens`` were written to it (billed separately by Anthropic).
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_read_tokens: int = 0
    cached_write_tokens: int = 0

    @property
    def total_input_tokens(self) -> int:
        return self.prompt_tokens + self.cached_read_tokens + self.cached_write_tokens


@frozen
class CallContext:
    """Who a call is for; it goes into the ``llm_calls`` record and the logs, not to the model.

    ``privacy_mode`` keeps the prompt and reply text out of the record.
    """

    trace_id: str
    call_type: str
    endpoint: str | None = None
    user_id: str | None = None
    organization_id: str | None = None
    call_sequence: int | None = None
    experiment_metadata: Mapping[str, Any] | None = None
    privacy_mode: bool = False


@frozen
class LLMRequest:
    """One call to make: the prompt, and optionally which family or exact model answers it.

    With neither ``family`` nor ``model`` the client picks the first configured family.
    """

    prompt: Prompt
    family: Family | None = None
    model: str | None = None
    max_output_tokens: int | None = None
    temperature: float | None = None


@frozen
class LLMResult:
    """One successful call.

    ``truncated`` is true when the model stopped at its output limit (``finish_reason: length``
    or ``stop_reason: max_tokens``); the text is then incomplete.
    """

    text: str
    model: str
    provider: Provider
    usage: TokenUsage
    cost_usd: Decimal
    latency_ms: float
    finish_reason: str | None = None
    truncated: bool = False
    request_id: str | None = None

    def to_reply(self) -> LLMReply:
        return LLMReply(text=self.text, model=self.model)


@frozen
class LLMFailure:
    """One call of a fan-out that failed, with the request that caused it."""

    request: LLMRequest
    error: Exception = field(eq=False)


@frozen
class FanOutResult:
    """Every success of a fan-out, in request order, and every failure."""

    successes: tuple[LLMResult, ...]
    failures: tuple[LLMFailure, ...]

    @property
    def all_failed(self) -> bool:
        return not self.successes and bool(self.failures)


@frozen
class Completion:
    """What a provider answered, before cost and bookkeeping."""

    text: str
    model: str
    usage: TokenUsage
    finish_reason: str | None
    truncated: bool
    request_id: str | None


class ProviderClient(Protocol):
    """One configured provider. Implementations translate every SDK error into an ``LLMError``."""

    provider: Provider
    family: Family

    async def complete(
        self,
        *,
        model: str,
        prompt: Prompt,
        max_output_tokens: int,
        temperature: float | None,
        timeout_seconds: float,
        max_retries: int,
    ) -> Completion: ...

    async def aclose(self) -> None: ...
