"""Reviews of a finished optimization and of generated tests."""

import json
import re
from collections.abc import Set
from typing import Any

import structlog
from attrs import frozen

from codeflash_engine.domain import Prompt, TaskRequest
from codeflash_engine.pipeline.ports import CallInfo, LLMGateway
from codeflash_engine.pipeline.prompt_templates import engine_prompt
from codeflash_engine.plugins.isolation import HookRunner

logger = structlog.get_logger(__name__)

REVIEW_FIELDS = (
    "original_code",
    "optimized_code",
    "explanation",
    "existing_tests",
    "generated_tests",
    "replay_tests",
    "speedup",
    "original_runtime",
    "optimized_runtime",
    "loop_count",
    "coverage_message",
    "calling_fn_details",
)

_REVIEW_LINE = re.compile(r"REVIEW:\s*\**\s*(high|medium|low)\b\**", re.IGNORECASE)
_JSON_BLOCK = re.compile(r"```(?:json)?\s*\n(.*?)\n```", re.DOTALL)


@frozen
class OptimizationReview:
    review: str
    explanation: str


def parse_optimization_review(text: str) -> OptimizationReview:
    match = _REVIEW_LINE.search(text)
    if match is None:
        return OptimizationReview(review="", explanation=text.strip())
    explanation = (text[: match.start()] + text[match.end() :]).strip()
    return OptimizationReview(review=match.group(1).lower(), explanation=explanation)


async def review_optimization(
    llm: LLMGateway, details: dict[str, Any], *, call: CallInfo
) -> OptimizationReview:
    """``review`` is empty when the reply states no verdict; the client then shows no rating."""
    fields = {
        name: details.get(name) if details.get(name) not in (None, "") else "(none)" for name in REVIEW_FIELDS
    }
    reply = await llm.complete(engine_prompt("review", **fields), call=call)
    return parse_optimization_review(reply.text)


def parse_test_reviews(text: str, valid_indexes: Set[int]) -> list[dict[str, Any]]:
    """The reply's JSON reviews, keeping only tests the request sent and functions with a name."""
    block = _JSON_BLOCK.search(text)
    try:
        data = json.loads(block.group(1) if block else text)
    except json.JSONDecodeError:
        logger.warning("test review reply is not JSON; reporting no findings")
        return []
    reviews = data.get("reviews", []) if isinstance(data, dict) else data
    parsed = []
    for review in reviews if isinstance(reviews, list) else []:
        if not isinstance(review, dict) or review.get("test_index") not in valid_indexes:
            continue
        functions = [
            {"function_name": str(item["function_name"]), "reason": str(item.get("reason") or "")}
            for item in review.get("functions", [])
            if isinstance(item, dict) and item.get("function_name")
        ]
        parsed.append({"test_index": review["test_index"], "functions": functions})
    return parsed


async def review_tests(
    runner: HookRunner, llm: LLMGateway, request: TaskRequest, *, valid_indexes: Set[int], call: CallInfo
) -> list[dict[str, Any]]:
    prompt: Prompt = await runner.call(request.language, "build_context", request=request)
    reply = await llm.complete(prompt, call=call)
    return parse_test_reviews(reply.text, valid_indexes)
