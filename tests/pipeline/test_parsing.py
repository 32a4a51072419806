"""Parsing the LLM's answers for the engine-level tasks; unusable answers never reach the client."""

import pytest
import yaml

from codeflash_engine.pipeline.ports import LLMUnavailableError
from codeflash_engine.pipeline.ranking import parse_ranking, rank_by_speedup
from codeflash_engine.pipeline.review import parse_optimization_review, parse_test_reviews
from codeflash_engine.pipeline.workflow import parse_steps


def test_ranking_is_read_from_the_reply() -> None:
    assert parse_ranking("Thinking...\nRANKING: 2, 0, 1\nCandidate 2 is simplest.", 3) == [2, 0, 1]


@pytest.mark.parametrize(
    "reply", ["RANKING: 0, 1", "RANKING: 0, 0, 1", "RANKING: 0, 1, 3", "I like the second one best"]
)
def test_a_ranking_that_is_not_a_permutation_is_refused(reply: str) -> None:
    assert parse_ranking(reply, 3) is None


def test_rank_by_speedup_puts_unknown_speedups_last() -> None:
    assert rank_by_speedup([1.5, None, 7.8, 2.0]) == [2, 3, 0, 1]


def test_optimization_review_verdict_and_explanation() -> None:
    review = parse_optimization_review("REVIEW: **High**\nThe closed form is exact for integers.")
    assert review.review == "high"
    assert review.explanation == "The closed form is exact for integers."


def test_optimization_review_without_a_verdict_is_empty() -> None:
    review = parse_optimization_review("Looks fine to me.")
    assert (review.review, review.explanation) == ("", "Looks fine to me.")


def test_test_reviews_keep_only_known_indexes_and_named_functions() -> None:
    reply = """Here you go:
```json
{"reviews": [
  {"test_index": 0, "functions": [
    {"function_name": "test_small", "reason": "trivial"}, {"reason": "no name"}]},
  {"test_index": 7, "functions": [{"function_name": "test_other"}]}
]}
```"""
    assert parse_test_reviews(reply, {0, 1}) == [
        {"test_index": 0, "functions": [{"function_name": "test_small", "reason": "trivial"}]}
    ]


def test_test_reviews_from_prose_are_empty() -> None:
    assert parse_test_reviews("All tests look good.", {0}) == []


def test_workflow_steps_are_a_yaml_list() -> None:
    reply = "```yaml\n- uses: actions/checkout@v4\n- name: Install\n  run: pip install -e .\n```"
    steps = yaml.safe_load(parse_steps(reply))
    assert steps == [{"uses": "actions/checkout@v4"}, {"name": "Install", "run": "pip install -e ."}]


@pytest.mark.parametrize(
    "reply", ["```yaml\nfoo: [\n```", "```yaml\nkey: value\n```", "```yaml\n- just a string\n```"]
)
def test_unusable_workflow_steps_are_an_llm_failure(reply: str) -> None:
    with pytest.raises(LLMUnavailableError):
        parse_steps(reply)
