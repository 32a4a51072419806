"""What the pipeline needs from the infrastructure below it, as protocols.

The pipeline depends on these shapes, not on a provider SDK; the LLM layer provides the
implementation and tests of the pipeline's logic can provide a scripted one.
"""

from collections.abc import Awaitable, Callable
from typing import Protocol

from attrs import frozen

from codeflash_engine.domain import LLMReply, Prompt


@frozen
class CallInfo:
    """Who asks the LLM and why, for recording, replay and cost attribution."""

    trace_id: str
    call_type: str
    endpoint: str
    call_sequence: int | None = None
    user_id: str | None = None
    organization_id: str | None = None
    privacy_mode: bool = False
    rerun_trace_id: str | None = None
    experiment_metadata: dict[str, str | None] | None = None


# Awaited once the plugin has built the prompt and before any LLM call: the caller's last word before
# money is spent (the HTTP layer charges the quota there), so a request refused earlier costs nothing.
Admission = Callable[[], Awaitable[None]]


@frozen
class FanOutResult:
    """Every reply that arrived, in request order, and why the others failed."""

    replies: tuple[LLMReply, ...]
    failures: tuple[str, ...] = ()


class LLMGateway(Protocol):
    async def fan_out(self, prompt: Prompt, *, count: int, call: CallInfo) -> FanOutResult:
        """Ask ``count`` completions of ``prompt`` concurrently, spread across the configured models."""
        ...

    async def complete(self, prompt: Prompt, *, call: CallInfo) -> LLMReply:
        """One completion; raises ``LLMUnavailableError`` when it cannot be had."""
        ...


class LLMUnavailableError(Exception):
    """No reply could be had: every call failed, or no provider is configured."""

    def __init__(self, message: str, *, status_code: int = 502) -> None:
        super().__init__(message)
        self.status_code = status_code
