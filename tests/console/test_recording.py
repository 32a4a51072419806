"""Recording on the real PostgreSQL: every candidate kept or dropped with its step, reason and model,
tied to its request (endpoint, language, status, latency, user, organization) and its trace's
summary; privacy mode keeps no code or text; retention prunes old rows."""

from decimal import Decimal

from codeflash_engine.db import queries

from .conftest import Console, make_trace


def test_kept_and_dropped_candidates_are_recorded_with_their_request(console: Console) -> None:
    trace_id = make_trace(console)

    [request] = console.sql("SELECT * FROM requests WHERE trace_id = $1", trace_id)
    assert (request["endpoint"], request["language"], request["status"]) == ("/ai/optimize", "python", 200)
    assert request["latency_ms"] >= 0 and request["user_id"] is not None
    assert request["organization_id"] is not None

    candidates = console.sql(
        "SELECT * FROM candidates WHERE trace_id = $1 ORDER BY kept DESC, step", trace_id
    )
    assert [(c["kept"], c["step"]) for c in candidates] == [
        (True, None),
        (False, "deduplicate"),
        (False, "extract"),
    ]
    assert all(c["request_id"] == request["request_id"] for c in candidates)
    models = {
        call["model"] for call in console.sql("SELECT model FROM llm_calls WHERE trace_id = $1", trace_id)
    }
    assert all(c["model"] in models for c in candidates) and len(models) == 2
    kept, duplicate, no_code = candidates
    assert "return x + x" in kept["code"] and "return x + x" in duplicate["code"]
    assert "duplicate" in duplicate["reason"] and no_code["reason"] and no_code["code"] is None

    [summary] = console.sql("SELECT * FROM console_traces WHERE trace_id = $1", trace_id)
    assert (summary["requests"], summary["failed_requests"], summary["llm_calls"]) == (1, 0, 3)
    assert (summary["candidates_kept"], summary["candidates_dropped"]) == (1, 2)
    assert summary["endpoints"] == ["/ai/optimize"] and summary["languages"] == ["python"]
    calls_cost = console.sql("SELECT sum(cost_usd) AS cost FROM llm_calls WHERE trace_id = $1", trace_id)
    assert summary["cost_usd"] == calls_cost[0]["cost"] > Decimal(0)
    assert summary["user_id"] == request["user_id"]
    usage = console.sql("SELECT sum(calls) AS calls, sum(cost_usd) AS cost FROM usage_daily")[0]
    everything = console.sql("SELECT count(*) AS calls, sum(cost_usd) AS cost FROM llm_calls")[0]
    assert (usage["calls"], usage["cost"]) == (everything["calls"], everything["cost"])


def test_a_failed_request_is_recorded_with_its_status(console: Console) -> None:
    console.fake.clear()
    console.fake.fail(400, message="bad parameter")
    response = console.client.post(
        "/ai/optimize",
        json={"trace_id": "failing-trace", "source_code": "def f():\n    return 1\n", "n_candidates": 1},
        headers={"Authorization": f"Bearer {console.user_key}"},
    )
    assert response.status_code == 502
    console.flush()
    [request] = console.sql("SELECT status FROM requests WHERE trace_id = 'failing-trace'")
    assert request["status"] == 502
    [summary] = console.sql("SELECT * FROM console_traces WHERE trace_id = 'failing-trace'")
    assert summary["failed_requests"] == 1 and summary["failed_llm_calls"] == 1


def test_unauthenticated_requests_are_not_recorded(console: Console) -> None:
    before = console.sql("SELECT count(*) AS n FROM requests")[0]["n"]
    response = console.client.post(
        "/ai/optimize", json={"trace_id": "nobody"}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 401
    console.flush()
    assert console.sql("SELECT count(*) AS n FROM requests")[0]["n"] == before


def test_privacy_mode_keeps_no_code_and_no_text(console: Console) -> None:
    trace_id = make_trace(console, key=console.private_key)

    candidates = console.sql("SELECT * FROM candidates WHERE trace_id = $1", trace_id)
    assert len(candidates) == 3 and all(c["code"] is None for c in candidates)
    assert {c["step"] for c in candidates if not c["kept"]} == {"deduplicate", "extract"}
    calls = console.sql("SELECT prompt, reply, cost_usd FROM llm_calls WHERE trace_id = $1", trace_id)
    assert len(calls) == 3 and all(c["prompt"] is None and c["reply"] is None for c in calls)
    assert all(c["cost_usd"] > 0 for c in calls)
    everything = str(console.sql("SELECT * FROM candidates WHERE trace_id = $1", trace_id))
    everything += str(console.sql("SELECT * FROM requests WHERE trace_id = $1", trace_id))
    assert "double" not in everything


def test_retention_prunes_only_old_rows(console: Console) -> None:
    old, recent = make_trace(console), make_trace(console)
    for table, column in [
        ("llm_calls", "created_at"),
        ("requests", "created_at"),
        ("candidates", "created_at"),
        ("console_traces", "last_at"),
    ]:
        console.sql(f"UPDATE {table} SET {column} = now() - interval '40 days' WHERE trace_id = $1", old)

    async def prune() -> int:
        async with console.app.state.resources.database.connection() as conn:
            return await queries.prune_recorded(conn, 30, slice_rows=2)

    assert console.client.portal is not None
    deleted = console.client.portal.call(prune)
    assert deleted == 3 + 1 + 3 + 1
    for table in ("llm_calls", "requests", "candidates", "console_traces"):
        assert console.sql(f"SELECT count(*) AS n FROM {table} WHERE trace_id = $1", old)[0]["n"] == 0
        assert console.sql(f"SELECT count(*) AS n FROM {table} WHERE trace_id = $1", recent)[0]["n"] > 0
