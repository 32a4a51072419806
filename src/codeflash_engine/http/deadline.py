"""One deadline per ``/ai/*`` request (``CODEFLASH_REQUEST_TIMEOUT_S``): at it, a 504 and every
call the request still has in flight cancelled.

Why here, as a pure ASGI middleware, and not in the routers or the pipeline: the deadline belongs
to the HTTP exchange (the client stops reading after 300 s), not to any one step. Around the whole
app call it covers everything a request waits for, reading the body, the auth, rate-limit and
quota queries (a slow database), every LLM call and plugin hook, and any route added later,
without code in 14 routes. A deadline in the routers would miss the dependencies that run before
them; one in the pipeline would miss the database and every route that is not a pipeline. The
layers below need not know about it: the deadline reaches them as ordinary asyncio cancellation,
which each already handles (asyncpg cancels the query, the HTTP clients close the connection,
the ``LLMClient`` records the call as ``cancelled``, the ``HookRunner`` stops a queued hook and
retires the pool of a running one). The deadline is also published (``current_deadline()``) for the
one layer that can do better than a 504: an LLM fan-out that already has replies stops waiting for
the slow ones early enough to return those candidates. Pure ASGI rather than
``BaseHTTPMiddleware``: the app runs in the request's own task, so the cancellation lands where the
work is, with no extra task.

The 504 is sent only if the response has not started. Once it starts, the answer is decided and
the clock stops, so an answer being written is never cut off (the service does not stream; a
response is one start and one body message). ``/healthcheck``, ``/metrics`` and ``/plugins`` are
not subject to it: they answer at once, and must keep answering when everything else is slow.
The middleware sits inside ``ObservabilityMiddleware``, so a 504 carries ``X-Trace-Id`` and
``Server-Timing`` and is counted in ``codeflash_http_requests_total``; it is also an
``optimization_errors`` row (``request_timeout``, with the stack the request was cancelled in)
and counted in ``codeflash_errors_total{error_type="request_timeout"}``.
"""

import asyncio
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codeflash_engine.http.errors import error_response
from codeflash_engine.observability import metrics
from codeflash_engine.observability.context import current_ids, set_deadline

logger = structlog.get_logger(__name__)

DEADLINE_PREFIX = "/ai/"
ERROR_TYPE = "request_timeout"


class RequestDeadlineMiddleware:
    def __init__(self, app: ASGIApp, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _path(scope).startswith(DEADLINE_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        response_started = False
        # Published to the layers below, so a fan-out can stop waiting for stragglers in time to
        # answer with the candidates it has (see ``pipeline.llm_gateway``).
        deadline = asyncio.timeout_at(set_deadline(self.timeout_s).at)

        async def send_and_stop_the_clock(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                if not deadline.expired():
                    deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, send_and_stop_the_clock)
        except TimeoutError as exc:
            if not deadline.expired() or response_started:
                raise  # not ours, or too late to answer: the server closes the connection
            await self._expired(scope, receive, send, exc, time.perf_counter() - started)

    async def _expired(
        self, scope: Scope, receive: Receive, send: Send, exc: TimeoutError, elapsed_s: float
    ) -> None:
        ids = current_ids()
        trace_id = ids.trace_id if ids is not None else ""
        message = (
            f"request timed out: not finished within the service's {self.timeout_s:g} s deadline; "
            "its LLM and plugin calls were stopped"
        )
        logger.warning(
            "request deadline expired",
            path=_path(scope),
            timeout_s=self.timeout_s,
            elapsed_s=round(elapsed_s, 3),
        )
        resources = getattr(getattr(scope.get("app"), "state", None), "resources", None)
        recorder = getattr(resources, "recorder", None)
        if recorder is not None:
            recorder.record_error(trace_id, ERROR_TYPE, message, exc=exc)
        else:
            metrics.ERRORS.labels(ERROR_TYPE).inc()
        await error_response(504, message)(scope, receive, send)


def _path(scope: Scope) -> str:
    path: str = scope["path"]
    return path.removeprefix(scope.get("root_path", "") or "")
