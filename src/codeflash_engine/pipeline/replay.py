"""``rerun_trace_id``: answer from the LLM replies recorded for an earlier trace.

The client's ``--rerun TRACE_ID`` asks to rerun a previous optimization "using stored LLM
results": the same endpoint call of that trace gets its recorded replies back, in their original
order, so a rerun is deterministic and costs nothing; postprocessing runs again on them. When
nothing was recorded (another user's trace, privacy mode, a failed call, an app without a
database), the providers answer as usual.
"""

from typing import Protocol

import structlog

from codeflash_engine.db import Database, DatabaseUnavailableError, queries
from codeflash_engine.db.rows import RecordedReply
from codeflash_engine.domain import LLMReply, Prompt
from codeflash_engine.pipeline.ports import CallInfo, FanOutResult, LLMGateway

logger = structlog.get_logger(__name__)


class RecordedReplies(Protocol):
    """Where a rerun finds the replies of an earlier trace; may raise ``DatabaseUnavailableError``."""

    async def find(self, call: CallInfo, rerun_trace_id: str, user_id: str) -> list[RecordedReply]: ...


class DatabaseReplies:
    """The replies the recorder stored in ``llm_calls``: this call's, else the endpoint's."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def find(self, call: CallInfo, rerun_trace_id: str, user_id: str) -> list[RecordedReply]:
        async with self.database.connection() as conn:
            for sequence in (call.call_sequence, None):
                replies = await queries.recorded_replies(
                    conn,
                    trace_id=rerun_trace_id,
                    endpoint=call.endpoint,
                    user_id=user_id,
                    call_sequence=sequence,
                )
                if replies:
                    return replies
        return []


class NoRecordedReplies:
    """An app without a database keeps no replies to replay, so every rerun asks the providers."""

    async def find(self, call: CallInfo, rerun_trace_id: str, user_id: str) -> list[RecordedReply]:
        return []


class ReplayingGateway:
    """An ``LLMGateway`` that serves recorded replies for reruns and delegates everything else."""

    def __init__(self, inner: LLMGateway, replies: RecordedReplies) -> None:
        self.inner = inner
        self.replies = replies

    async def _recorded(self, call: CallInfo) -> list[RecordedReply]:
        if call.rerun_trace_id is None or call.user_id is None:
            return []
        try:
            replies = await self.replies.find(call, call.rerun_trace_id, call.user_id)
        except DatabaseUnavailableError as exc:
            logger.warning("rerun: recorded replies unavailable", trace_id=call.trace_id, error=str(exc))
            return []
        if replies:
            return replies
        logger.info(
            "rerun: nothing recorded for this call; asking the providers",
            trace_id=call.trace_id,
            rerun_trace_id=call.rerun_trace_id,
            endpoint=call.endpoint,
        )
        return []

    async def fan_out(self, prompt: Prompt, *, count: int, call: CallInfo) -> FanOutResult:
        recorded = await self._recorded(call)
        if not recorded:
            return await self.inner.fan_out(prompt, count=count, call=call)
        logger.info(
            "rerun: replaying recorded replies", trace_id=call.trace_id, replies=len(recorded[:count])
        )
        return FanOutResult(replies=tuple(LLMReply(text=r.reply, model=r.model) for r in recorded[:count]))

    async def complete(self, prompt: Prompt, *, call: CallInfo) -> LLMReply:
        recorded = await self._recorded(call)
        if not recorded:
            return await self.inner.complete(prompt, call=call)
        return LLMReply(text=recorded[0].reply, model=recorded[0].model)
