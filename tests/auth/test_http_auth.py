"""Auth, rate limit and quota dependencies through HTTP, against the real (embedded) PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from pgserver.postgres_server import PostgresServer

from codeflash_engine.auth.keys import generate_api_key

from .conftest import RunningApp, StartApp


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(response: httpx.Response, status: int, *fragments: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    message: str = body["error"]
    for fragment in fragments:
        assert fragment in message
    return message


async def test_public_endpoints_need_no_key(start_app: StartApp) -> None:
    running = await start_app()
    assert (await running.client.get("/healthcheck")).status_code == 200
    assert (await running.client.get("/plugins")).status_code == 200


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, "missing API key"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "malformed Authorization header"),
        ({"Authorization": "Bearer"}, "malformed Authorization header"),
        ({"Authorization": "Bearer badkey"}, "malformed API key"),
        ({"Authorization": "Bearer cf-" + "x" * 43}, "invalid or revoked API key (cf-…xxxx)"),
    ],
)
async def test_missing_malformed_or_unknown_key_is_401(
    start_app: StartApp, headers: dict[str, str], fragment: str
) -> None:
    running = await start_app()
    response = await running.client.get("/ai/test-whoami", headers=headers)
    assert_error(response, 401, fragment)
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_valid_key_authenticates_and_revoked_key_is_401(start_app: StartApp) -> None:
    running = await start_app()
    issued = await running.issue(tier="pro")
    response = await running.client.get("/ai/test-whoami", headers=bearer(issued.key))
    assert response.status_code == 200
    assert response.json() == {"user_id": issued.user.user_id, "tier": "pro", "key": issued.key[-4:]}

    async with running.resources.database.connection() as conn:
        await conn.execute("UPDATE cf_api_keys SET revoked_at = now() WHERE id = $1", issued.row.id)
    response = await running.client.get("/ai/test-whoami", headers=bearer(issued.key))
    assert_error(response, 401, "invalid or revoked")
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_over_the_rate_limit_is_429_with_retry_after(start_app: StartApp) -> None:
    running = await start_app(RATE_LIMIT_MAX=3, RATE_LIMIT_WINDOW_MS=30_000)
    issued = await running.issue()
    remaining = []
    for _ in range(3):
        response = await running.client.get("/ai/test-whoami", headers=bearer(issued.key))
        assert response.status_code == 200
        remaining.append(response.headers["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    response = await running.client.get("/ai/test-whoami", headers=bearer(issued.key))
    assert_error(response, 429, "rate limit exceeded", "3 requests per 30 s")
    assert 1 <= int(response.headers["Retry-After"]) <= 30

    # The limit is per key: another key of the same user is unaffected.
    other = await running.issue()
    assert (await running.client.get("/ai/test-whoami", headers=bearer(other.key))).status_code == 200


async def test_rate_limit_window_restarts_after_it_ends(start_app: StartApp) -> None:
    running = await start_app(RATE_LIMIT_MAX=1, RATE_LIMIT_WINDOW_MS=300)
    issued = await running.issue()
    assert (await running.client.get("/ai/test-whoami", headers=bearer(issued.key))).status_code == 200
    assert (await running.client.get("/ai/test-whoami", headers=bearer(issued.key))).status_code == 429
    await asyncio.sleep(0.35)
    assert (await running.client.get("/ai/test-whoami", headers=bearer(issued.key))).status_code == 200


async def subscription(running: RunningApp, user_id: str) -> tuple[int, int | None]:
    async with running.resources.database.connection() as conn:
        row = await conn.fetchrow(
            "SELECT optimizations_used, optimizations_limit FROM subscriptions WHERE user_id = $1", user_id
        )
    return row["optimizations_used"], row["optimizations_limit"]


async def test_quota_exhausted_is_403_with_reset_time(start_app: StartApp) -> None:
    running = await start_app(CODEFLASH_QUOTA_FREE=2)
    issued = await running.issue(tier="free")
    for _ in range(2):
        assert (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code == 200
    response = await running.client.post("/ai/test-optimize", headers=bearer(issued.key))
    message = assert_error(response, 403, "quota", "2 of 2", "free plan", "resets at")
    reset = issued.subscription.current_period_end.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert message.endswith(f"resets at {reset}")
    # Endpoints that start no optimization still work.
    assert (await running.client.get("/ai/test-whoami", headers=bearer(issued.key))).status_code == 200
    assert await subscription(running, issued.user.user_id) == (2, 2)


async def test_rate_limited_requests_do_not_use_quota(start_app: StartApp) -> None:
    running = await start_app(RATE_LIMIT_MAX=2)
    issued = await running.issue(tier="pro")
    statuses = [
        (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    assert await subscription(running, issued.user.user_id) == (2, 1000)


async def test_quota_resets_when_the_period_ends(start_app: StartApp) -> None:
    running = await start_app(CODEFLASH_QUOTA_FREE=1)
    issued = await running.issue()
    assert (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code == 200
    assert (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code == 403

    start = datetime.now(UTC) - timedelta(days=65)
    async with running.resources.database.connection() as conn:
        await conn.execute(
            "UPDATE subscriptions SET current_period_start = $2, current_period_end = $3 WHERE user_id = $1",
            issued.user.user_id,
            start,
            start + timedelta(days=30),
        )
    assert (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code == 200
    async with running.resources.database.connection() as conn:
        row = await conn.fetchrow("SELECT * FROM subscriptions WHERE user_id = $1", issued.user.user_id)
    # Two whole periods passed: the new one starts 60 days after the old start and is still 30 days.
    assert row["optimizations_used"] == 1
    assert row["current_period_start"] == start + timedelta(days=60)
    assert row["current_period_end"] == start + timedelta(days=90)


async def test_enterprise_is_unlimited(start_app: StartApp) -> None:
    running = await start_app(CODEFLASH_QUOTA_FREE=0)
    issued = await running.issue(tier="enterprise")
    for _ in range(5):
        assert (await running.client.post("/ai/test-optimize", headers=bearer(issued.key))).status_code == 200
    assert await subscription(running, issued.user.user_id) == (5, None)


async def test_quota_is_exact_under_50_concurrent_optimizations(start_app: StartApp) -> None:
    running = await start_app(CODEFLASH_QUOTA_FREE=30, RATE_LIMIT_MAX=1000)
    issued = await running.issue()
    responses = await asyncio.gather(
        *(running.client.post("/ai/test-optimize", headers=bearer(issued.key)) for _ in range(50))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 30 + [403] * 20
    assert await subscription(running, issued.user.user_id) == (30, 30)


async def test_auth_fails_closed_with_503_when_the_database_is_gone(
    start_app: StartApp, postgres_server: PostgresServer, database_url: str
) -> None:
    running = await start_app()
    issued = await running.issue()
    assert (await running.client.get("/ai/test-whoami", headers=bearer(issued.key))).status_code == 200

    name = urlsplit(database_url).path.lstrip("/")
    postgres_server.psql(f"DROP DATABASE {name} WITH (FORCE);")

    for key in (issued.key, generate_api_key()):
        response = await running.client.get("/ai/test-whoami", headers=bearer(key))
        assert_error(response, 503, "database unavailable")
        assert response.headers["Retry-After"] == "5"
