"""The pipeline's ``LLMGateway`` on top of the LLM layer's ``LLMClient``.

It lives on the pipeline side because the LLM layer is infrastructure and never imports the
pipeline; this adapter translates ``CallInfo`` to ``CallContext`` and ``LLMError`` to
``LLMUnavailableError`` with the error's own status (502 permanent, 503 unavailable, 504 timeout).
"""

from codeflash_engine.domain import LLMReply, Prompt
from codeflash_engine.llm import CallContext, LLMClient, LLMError, raise_if_all_failed
from codeflash_engine.observability.context import current_deadline
from codeflash_engine.pipeline.ports import CallInfo, FanOutResult, LLMUnavailableError

# The share of the request's deadline kept for what follows the LLM calls (extraction, the plugin's
# postprocessing, the answer), and its floor: 27 s of the default 270 s.
POSTPROCESS_SHARE = 0.1
POSTPROCESS_FLOOR_S = 1.0


def call_context(call: CallInfo) -> CallContext:
    return CallContext(
        trace_id=call.trace_id,
        call_type=call.call_type,
        endpoint=call.endpoint,
        user_id=call.user_id,
        organization_id=call.organization_id,
        call_sequence=call.call_sequence,
        experiment_metadata=call.experiment_metadata,
        privacy_mode=call.privacy_mode,
    )


def stop_waiting_at() -> float | None:
    """When a fan-out that has some replies stops waiting for the rest: early enough in the
    request's deadline to still postprocess and return them (``None`` without a deadline)."""
    deadline = current_deadline()
    if deadline is None:
        return None
    return deadline.at - max(POSTPROCESS_FLOOR_S, deadline.seconds * POSTPROCESS_SHARE)


def _describe(error: Exception) -> str:
    if isinstance(error, LLMError):
        return f"{error.kind}: {error.message}"
    return f"{type(error).__name__}: {error}"


class ClientGateway:
    """``AppResources.llm``: ``complete`` for one reply, ``fan_out`` for the model distribution."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client

    async def complete(self, prompt: Prompt, *, call: CallInfo) -> LLMReply:
        try:
            result = await self.client.call(prompt, call_context(call))
        except LLMError as error:
            raise LLMUnavailableError(error.message, status_code=error.status_code) from error
        return result.to_reply()

    async def fan_out(self, prompt: Prompt, *, count: int, call: CallInfo) -> FanOutResult:
        """Every reply that arrived; when none did, raises ``LLMUnavailableError`` with the status
        of the most telling failure (a permanent refusal over a rate limit). Near the request's
        deadline, the replies that arrived are returned without the slower calls."""
        try:
            result = await self.client.fan_out(
                self.client.plan(prompt, count), call_context(call), stop_waiting_at=stop_waiting_at()
            )
            raise_if_all_failed(result)
        except LLMError as error:
            raise LLMUnavailableError(error.message, status_code=error.status_code) from error
        return FanOutResult(
            replies=tuple(r.to_reply() for r in result.successes),
            failures=tuple(_describe(f.error) for f in result.failures),
        )
