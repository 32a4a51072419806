"""Recording into PostgreSQL: llm_calls, optimization_errors, privacy mode, draining, outages,
and POST /ai/log_features."""

from decimal import Decimal
from typing import Any

import asyncpg

from codeflash_engine.db import Database
from codeflash_engine.db.connect import Database as DatabaseHandle
from codeflash_engine.observability.db_sink import DatabaseSink
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Record, Recorder
from codeflash_engine.testing.fake_llm import FakeLLM, FakeUsage, Reply

from .conftest import MakeApp

EXPLAIN = {
    "trace_id": "trace-rec-1",
    "source_code": "# file: a.py\ndef proprietary():\n    return sum(range(10))\n",
    "optimized_code": "# file: a.py\ndef proprietary():\n    return 45\n",
    "call_sequence": 3,
}


async def rows(database: Database, sql: str, *args: Any) -> list[asyncpg.Record]:
    async with database.connection() as conn:
        return list(await conn.fetch(sql, *args))


async def test_every_llm_call_is_a_row(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM, database: Database
) -> None:
    usage = FakeUsage(prompt_tokens=1000, completion_tokens=500, cached_read_tokens=2000)
    codeflash_fake_llm.on(respond=Reply("It folds the sum.", usage=usage))
    client = make_app("azure")
    assert client.post("/ai/explain", json=EXPLAIN).status_code == 200
    client.__exit__(None, None, None)  # shutdown drains the recorder

    [row] = await rows(database, "SELECT * FROM llm_calls")
    assert (row["trace_id"], row["call_type"], row["endpoint"]) == ("trace-rec-1", "explain", "/ai/explain")
    assert (row["model"], row["provider"], row["status"]) == ("gpt-5-mini", "azure", "ok")
    assert (row["prompt_tokens"], row["completion_tokens"], row["cached_read_tokens"]) == (1000, 500, 2000)
    assert row["cost_usd"] == Decimal("0.00130000")
    assert row["call_sequence"] == 3 and row["user_id"] is not None
    assert "proprietary" in str(row["prompt"]) and row["reply"] == "It folds the sum."


async def test_privacy_mode_stores_no_code(make_app: MakeApp, database: Database) -> None:
    client = make_app("bedrock", privacy_mode=True)
    assert client.post("/ai/explain", json=EXPLAIN).status_code == 200
    client.__exit__(None, None, None)

    [row] = await rows(database, "SELECT * FROM llm_calls")
    assert (row["prompt"], row["reply"]) == (None, None)
    assert row["organization_id"] is not None and row["completion_tokens"] > 0


async def test_failed_calls_and_the_pipeline_error_are_recorded(
    make_app: MakeApp, codeflash_fake_llm: FakeLLM, database: Database
) -> None:
    codeflash_fake_llm.fail(400, message="Unsupported parameter")
    client = make_app("azure")
    assert client.post("/ai/explain", json=EXPLAIN).status_code == 502
    client.__exit__(None, None, None)

    [row] = await rows(database, "SELECT status, error, prompt_tokens FROM llm_calls")
    assert row["status"] == "permanent" and "Unsupported parameter" in row["error"]
    [error] = await rows(database, "SELECT * FROM optimization_errors")
    assert (error["trace_id"], error["error_type"]) == ("trace-rec-1", "llm_unavailable")
    assert "Unsupported parameter" in error["message"] and "LLMPermanentError" in error["stack_trace"]


def call_record(trace_id: str, **changes: Any) -> LLMCallRecord:
    values: dict[str, Any] = {
        "trace_id": trace_id,
        "call_type": "optimize",
        "model": "gpt-5-mini",
        "provider": "azure",
        "status": "ok",
        "latency_ms": 12.4,
    }
    return LLMCallRecord(**(values | changes))


async def test_shutdown_drains_the_queue(make_app: MakeApp, database: Database) -> None:
    client = make_app("azure")
    recorder: Recorder = client.app.state.resources.recorder  # type: ignore[attr-defined]
    for index in range(300):
        assert recorder.submit(call_record(f"drain-{index}"))
    recorder.record_error("drain-err", "postprocess", "boom", exc=ValueError("bad candidate"))
    client.__exit__(None, None, None)

    [count] = await rows(database, "SELECT count(*) FROM llm_calls WHERE trace_id LIKE 'drain-%'")
    assert count[0] == 300 and recorder.dropped == 0
    [error] = await rows(database, "SELECT * FROM optimization_errors")
    assert (error["trace_id"], error["error_type"], error["severity"]) == (
        "drain-err",
        "postprocess",
        "error",
    )
    assert "ValueError: bad candidate" in error["stack_trace"]


class Outage:
    """A sink whose database is down (a pool on a port nobody listens on) for its first writes."""

    def __init__(self, down: DatabaseSink, up: DatabaseSink, failures: int) -> None:
        self.down, self.up, self.failures = down, up, failures

    async def write(self, records: list[Record]) -> None:
        if self.failures:
            self.failures -= 1
            await self.down.write(records)
        await self.up.write(records)


async def test_a_database_outage_loses_nothing(database: Database) -> None:
    unreachable = await asyncpg.create_pool("postgresql://nobody@127.0.0.1:9/none", min_size=0, timeout=1)
    down = DatabaseSink(
        DatabaseHandle(
            pool=unreachable,
            description="down",
            embedded=False,
            acquire_timeout_s=1,
            statement_timeout_ms=1000,
        )
    )
    recorder = Recorder(Outage(down, DatabaseSink(database), failures=2), retry_initial_seconds=0.01)
    recorder.start()
    for index in range(5):
        recorder.submit(call_record(f"outage-{index}"))
    await recorder.aclose()
    await unreachable.close()

    [count] = await rows(database, "SELECT count(*) FROM llm_calls WHERE trace_id LIKE 'outage-%'")
    assert count[0] == 5


async def test_a_deadlock_or_serialization_failure_is_retried_not_dropped(database: Database) -> None:
    # PostgreSQL itself fails the first inserts with a deadlock and a serialization failure (a
    # sequence counts them: it is not rolled back with the failed insert), as under contention.
    async with database.connection() as conn:
        await conn.execute(
            """
            CREATE SEQUENCE contention;
            CREATE FUNCTION fail_under_contention() RETURNS trigger AS $$
            DECLARE attempt bigint := nextval('contention');
            BEGIN
                IF attempt = 1 THEN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END IF;
                IF attempt = 2 THEN RAISE EXCEPTION 'serialization' USING ERRCODE = '40001'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER contention BEFORE INSERT ON llm_calls
                FOR EACH ROW EXECUTE FUNCTION fail_under_contention();
            """
        )
    sink = DatabaseSink(database)
    recorder = Recorder(sink, retry_initial_seconds=0.01)
    recorder.start()
    for index in range(3):
        recorder.submit(call_record(f"contention-{index}"))
    await recorder.aclose()

    stored = await rows(database, "SELECT trace_id FROM llm_calls ORDER BY trace_id")
    assert [row["trace_id"] for row in stored] == ["contention-0", "contention-1", "contention-2"]
    assert sink.rejected == 0


async def test_a_row_the_database_refuses_does_not_block_the_rest(database: Database) -> None:
    sink = DatabaseSink(database)
    await sink.write(
        [
            call_record("fk", user_id="no-such-user"),  # kept, unattributed
            call_record("nan", experiment_metadata={"x": float("nan")}),  # NaN is not JSON: refused
            call_record("int", call_sequence="three"),  # asyncpg cannot encode it: refused
            ErrorRecord("ok", "llm", "fine"),
        ]
    )
    stored = await rows(database, "SELECT trace_id, user_id FROM llm_calls ORDER BY trace_id")
    assert [(r["trace_id"], r["user_id"]) for r in stored] == [("fk", None)]
    assert sink.rejected == 2
    assert len(await rows(database, "SELECT * FROM optimization_errors")) == 1


FEATURES = {
    "trace_id": "trace-feat",
    "speedup_ratio": {"c1": 6.8, "c2": None},
    "original_runtime": 178_000,
    "optimized_runtime": {"c1": 22_800, "c2": None},
    "is_correct": {"c1": True, "c2": False},
    "codeflash_version": "0.20.6",
    "optimized_line_profiler_results": {"c1": "| line | hits |"},
    "metadata": {"best_optimization_id": "c1"},
    "optimizations_post": {},
}


async def test_log_features_upserts_by_trace_id(make_app: MakeApp, database: Database) -> None:
    client = make_app()

    first = client.post("/ai/log_features", json=FEATURES)
    second = client.post(
        "/ai/log_features",
        json={
            "trace_id": "trace-feat",
            "speedup_ratio": {"c3": 9.1},
            "metadata": {"best_optimization_id": "c3"},
        },
    )

    assert (first.status_code, first.json(), second.status_code, second.json()) == (200, {}, 200, {})
    assert second.headers["x-trace-id"] == "trace-feat"
    assert "db;dur=" in second.headers["server-timing"]
    [row] = await rows(database, "SELECT * FROM optimization_features")
    assert row["speedup_ratio"] == {"c1": 6.8, "c2": None, "c3": 9.1}
    assert row["metadata"] == {"best_optimization_id": "c3"}
    assert (row["original_runtime"], row["codeflash_version"]) == (178_000, "0.20.6")
    assert row["is_correct"] == {"c1": True, "c2": False}
    assert row["user_id"] is not None and row["updated_at"] >= row["created_at"]


async def test_log_features_keeps_a_send_with_nul_characters_and_lone_surrogates(
    make_app: MakeApp, database: Database
) -> None:
    # Valid JSON that PostgreSQL refuses as text or jsonb; found by the schema fuzzer as a 500.
    body = (
        '{"trace_id": "trace-nul", "codeflash_version": "0.20.6\\u0000",'
        ' "metadata": {"note\\u0000": "\\ud800x"}}'
    )
    response = make_app().post("/ai/log_features", content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (200, {})
    [row] = await rows(database, "SELECT codeflash_version, metadata FROM optimization_features")
    assert row["codeflash_version"] == "0.20.6\ufffd"
    assert row["metadata"] == {"note\ufffd": "?x"}


def test_log_features_needs_an_api_key(make_app: MakeApp) -> None:
    client = make_app()
    del client.headers["Authorization"]
    response = client.post("/ai/log_features", json=FEATURES)
    assert response.status_code == 401 and response.json()["error"]
