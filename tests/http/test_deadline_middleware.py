"""``RequestDeadlineMiddleware`` on its own, around a bare ASGI app: what it answers, and when it
keeps out of the way. (End to end, with the LLM, hooks and the database: tests/reliability.)"""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from codeflash_engine.http.deadline import RequestDeadlineMiddleware

DEADLINE_S = 0.2


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/ai/slow`` and ``/healthcheck`` sleep 0.5 s before answering; ``/ai/slow-body`` starts its
    answer at once and sends the body 0.5 s later; ``/ai/own-timeout`` raises a ``TimeoutError``
    of its own."""
    path = scope["path"]
    if path == "/ai/own-timeout":
        raise TimeoutError("an inner timeout, not the deadline")
    if path != "/ai/slow-body":
        await asyncio.sleep(0.5)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    if path == "/ai/slow-body":
        await asyncio.sleep(0.5)
    await send({"type": "http.response.body", "body": b"done"})


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    deadline = RequestDeadlineMiddleware(app, timeout_s=DEADLINE_S)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=deadline), base_url="http://service"
    ) as client:
        yield client


async def test_a_request_past_its_deadline_gets_a_504_in_the_error_format(client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    response = await client.post("/ai/slow")
    elapsed = time.perf_counter() - started
    assert response.status_code == 504
    assert response.json()["error"].startswith("request timed out: not finished within the service's 0.2 s")
    assert DEADLINE_S <= elapsed < DEADLINE_S + 0.25


async def test_health_and_metrics_are_not_subject_to_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthcheck")
    assert (response.status_code, response.text) == (200, "done")


async def test_an_answer_that_has_started_is_never_cut_off(client: httpx.AsyncClient) -> None:
    response = await client.post("/ai/slow-body")
    assert (response.status_code, response.text) == (200, "done")


async def test_a_timeout_of_the_app_itself_is_not_taken_for_the_deadline(client: httpx.AsyncClient) -> None:
    with pytest.raises(TimeoutError, match="an inner timeout"):
        await client.post("/ai/own-timeout")
