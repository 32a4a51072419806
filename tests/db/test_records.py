"""The insert/upsert queries for the tables the optimization pipeline records into."""

from decimal import Decimal

from codeflash_engine.db import Database, queries
from codeflash_engine.db.rows import LLMCallRecord, OptimizationErrorRecord, OptimizationFeaturesRecord


async def test_llm_call_round_trips_json_and_numeric(database: Database) -> None:
    prompt = [{"role": "user", "content": "make it fast"}]
    async with database.connection() as conn:
        call_id = await queries.insert_llm_call(
            conn,
            LLMCallRecord(
                trace_id="trace-1",
                call_type="optimize",
                model="gpt-x",
                provider="openai",
                status="ok",
                prompt_tokens=10,
                cost_usd=Decimal("0.00012345"),
                prompt=prompt,
                reply="def f(): ...",
                experiment_metadata={"arm": "b"},
            ),
        )
        private_id = await queries.insert_llm_call(
            conn,
            LLMCallRecord(trace_id="trace-1", call_type="optimize", model="m", provider="p", status="ok"),
        )
        row = await conn.fetchrow("SELECT * FROM llm_calls WHERE id = $1::uuid", call_id)
        private = await conn.fetchrow("SELECT prompt, reply FROM llm_calls WHERE id = $1::uuid", private_id)
    assert row["prompt"] == prompt
    assert row["experiment_metadata"] == {"arm": "b"}
    assert row["cost_usd"] == Decimal("0.00012345")
    assert (private["prompt"], private["reply"]) == (None, None)


async def test_optimization_features_upsert_keeps_earlier_columns(database: Database) -> None:
    async with database.connection() as conn:
        await queries.upsert_optimization_features(
            conn, OptimizationFeaturesRecord(trace_id="t", original_runtime=1000, codeflash_version="0.20.6")
        )
        await queries.upsert_optimization_features(
            conn, OptimizationFeaturesRecord(trace_id="t", speedup_ratio={"c1": 2.5}, is_correct={"c1": True})
        )
        await queries.insert_optimization_error(
            conn,
            OptimizationErrorRecord(trace_id="t", error_type="LLMError", severity="error", message="boom"),
        )
        row = await conn.fetchrow("SELECT * FROM optimization_features WHERE trace_id = 't'")
        errors = await conn.fetch("SELECT error_type, message FROM optimization_errors WHERE trace_id = 't'")
    assert row["original_runtime"] == 1000
    assert row["codeflash_version"] == "0.20.6"
    assert row["speedup_ratio"] == {"c1": 2.5}
    assert row["is_correct"] == {"c1": True}
    assert row["updated_at"] >= row["created_at"]
    assert [tuple(error) for error in errors] == [("LLMError", "boom")]
