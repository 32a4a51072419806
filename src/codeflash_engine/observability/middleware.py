"""Request ids, trace ids, ``Server-Timing`` and request metrics for every HTTP response, and the
``requests`` record (with its candidates) of every authenticated ``/ai/*`` request.

A pure ASGI middleware (no ``BaseHTTPMiddleware``): it adds no task hop and a few microseconds.
"""

import time
import uuid
from urllib.parse import quote

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codeflash_engine.observability import metrics
from codeflash_engine.observability.context import (
    RequestFacts,
    RequestIds,
    current_ids,
    set_request_ids,
    start_request_facts,
)
from codeflash_engine.observability.recorder import Recorder, request_record
from codeflash_engine.observability.timing import start_request_timings


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            text: str = value.decode("latin-1").strip()
            # An id is echoed into logs and headers: accept only a short, printable one.
            return text if 0 < len(text) <= 128 and text.isprintable() else None
    return None


def header_value(text: str) -> bytes:
    """``text`` as a header value: as is when it is printable ASCII, else percent-encoded (UTF-8).

    The trace id may come from the request body, where any character is allowed; one outside
    latin-1 used to fail the response with a bare 500, and CR/LF must never reach a header.
    """
    if text.isascii() and text.isprintable():
        return text.encode("ascii")
    return quote(text, safe="").encode("ascii")


def _route(scope: Scope) -> str:
    # The matched route's template, not the raw path, so metric labels stay few.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


RECORDED_PREFIX = "/ai/"


def _recorder(scope: Scope) -> Recorder | None:
    resources = getattr(getattr(scope.get("app"), "state", None), "resources", None)
    recorder = getattr(resources, "recorder", None)
    return recorder if isinstance(recorder, Recorder) else None


def _record_request(scope: Scope, facts: RequestFacts, ids: RequestIds, status: int, seconds: float) -> None:
    # Only callers the gate admitted: a flood of bad keys must not fill the tables.
    recorder = _recorder(scope)
    if recorder is None or facts.user_id is None:
        return
    recorder.submit(
        request_record(
            facts,
            trace_id=ids.trace_id,
            request_id=ids.request_id,
            endpoint=scope.get("path", ""),
            status=status,
            latency_ms=seconds * 1000,
        )
    )


class ObservabilityMiddleware:
    """Sets ``X-Request-Id``, ``X-Trace-Id`` and ``Server-Timing`` and counts the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        ids = RequestIds(
            request_id=_header(scope, b"x-request-id") or uuid.uuid4().hex,
            trace_id=_header(scope, b"x-trace-id") or str(uuid.uuid4()),
        )
        structlog.contextvars.clear_contextvars()
        set_request_ids(ids)
        scope.setdefault("state", {})["trace_id"] = ids.trace_id
        timings = start_request_timings()
        facts = start_request_facts() if scope.get("path", "").startswith(RECORDED_PREFIX) else None
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                current = current_ids() or ids
                scope["state"]["trace_id"] = current.trace_id
                headers = list(message.get("headers", []))
                headers += [
                    (b"server-timing", timings.header_value().encode()),
                    (b"x-trace-id", header_value(current.trace_id)),
                    (b"x-request-id", header_value(current.request_id)),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = _route(scope)
            method = scope.get("method", "")
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            elapsed = time.perf_counter() - started
            metrics.HTTP_LATENCY.labels(method, route).observe(elapsed)
            if facts is not None:
                _record_request(scope, facts, current_ids() or ids, status, elapsed)
            structlog.contextvars.clear_contextvars()
