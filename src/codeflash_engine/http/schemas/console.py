"""The console's JSON API (``/console/api/*``, for scripts with an admin key)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class TraceOut(BaseModel):
    trace_id: str
    first_at: datetime
    last_at: datetime
    user_id: str | None
    email: str | None
    organization_id: str | None
    organization_name: str | None
    endpoints: list[str]
    languages: list[str]
    requests: int
    failed_requests: int
    llm_calls: int
    failed_llm_calls: int
    cost_usd: float
    candidates_kept: int
    candidates_dropped: int


class TraceListOut(BaseModel):
    traces: list[TraceOut]
    next_cursor: str | None


class RequestOut(BaseModel):
    request_id: str
    endpoint: str
    language: str | None
    status: int
    latency_ms: int
    created_at: datetime


class LLMCallOut(BaseModel):
    id: str
    call_type: str
    endpoint: str | None
    provider: str
    model: str
    status: str
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cached_read_tokens: int | None
    cached_write_tokens: int | None
    cost_usd: float | None
    latency_ms: int | None
    prompt: Any
    reply: str | None
    created_at: datetime


class CandidateRecordOut(BaseModel):
    request_id: str
    candidate_id: str
    endpoint: str
    model: str | None
    kept: bool
    step: str | None
    reason: str | None
    code: str | None
    created_at: datetime


class ErrorOut(BaseModel):
    error_type: str
    severity: str
    message: str
    stack_trace: str | None
    created_at: datetime


class TraceDetailOut(BaseModel):
    trace: TraceOut
    privacy_mode: bool
    requests: list[RequestOut]
    llm_calls: list[LLMCallOut]
    candidates: list[CandidateRecordOut]
    errors: list[ErrorOut]
