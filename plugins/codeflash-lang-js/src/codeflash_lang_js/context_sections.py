"""Turn the client's structured request fields into prompt text.

Everything here is data the client sent; the templates place it inside delimited sections.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

MAX_FIELD_CHARS = 6_000
"""Test sources and runner errors can be huge; the LLM needs their gist, not megabytes."""

_SCOPE_TITLES = {
    "return_value": "different return value",
    "stdout": "different printed output",
    "did_pass": "passes with one and fails with the other",
}


def clip(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n... [{len(text) - limit} characters left out] ...\n{text[-half:]}"


def fenced(text: str, tag: str = "") -> str:
    # A longer fence than any backtick run inside, so test code cannot close it early.
    fence = "````" if "```" in text else "```"
    return f"{fence}{tag}\n{text}\n{fence}"


def _sequence(value: object) -> Sequence[Any]:
    return value if isinstance(value, Sequence) and not isinstance(value, str) else ()


def _pass_word(passed: object) -> str:
    return "passed" if passed else "failed"


def _test_diff(number: int, diff: Mapping[str, Any], tag: str) -> str:
    scope = str(diff.get("scope", ""))
    lines = [f"### Difference {number}: {_SCOPE_TITLES.get(scope, scope or 'difference')}"]
    lines.append(
        f"- original code: test {_pass_word(diff.get('original_pass'))}; "
        f"optimized code: test {_pass_word(diff.get('candidate_pass'))}"
    )
    if diff.get("original_value") is not None or diff.get("candidate_value") is not None:
        lines.append(f"- original {scope or 'value'}: {clip(str(diff.get('original_value')), 1_000)}")
        lines.append(f"- optimized {scope or 'value'}: {clip(str(diff.get('candidate_value')), 1_000)}")
    if test_source := diff.get("test_src_code"):
        lines.append("- the test:")
        lines.append(fenced(clip(str(test_source)), tag))
    for key, who in (("candidate_pytest_error", "optimized"), ("original_pytest_error", "original")):
        if error := diff.get(key):
            lines.append(f"- test error with the {who} code:")
            lines.append(fenced(clip(str(error))))
    return "\n".join(lines)


def format_test_diffs(test_diffs: object, tag: str) -> str:
    """The client's ``test_diffs``, one titled section per difference (deduplicated)."""
    unique: list[Mapping[str, Any]] = []
    for diff in _sequence(test_diffs):
        if isinstance(diff, Mapping) and diff not in unique:
            unique.append(diff)
    if not unique:
        return "(the client reported no details)"
    return "\n\n".join(_test_diff(number, diff, tag) for number, diff in enumerate(unique, start=1))


def format_previous_candidates(candidates: object) -> str:
    """Adaptive optimization's earlier attempts: code, explanation, outcome."""
    sections = [
        f"### Attempt {number} (from {candidate.get('source', 'unknown')}): "
        f"{candidate.get('speedup', 'outcome unknown')}\n"
        f"Explanation: {clip(str(candidate.get('explanation', '')), 1_500)}\n"
        f"{candidate.get('source_code', '')}"
        for number, candidate in enumerate(_sequence(candidates), start=1)
        if isinstance(candidate, Mapping)
    ]
    return "\n\n".join(sections) or "(none)"


def format_functions_to_repair(functions: object) -> str:
    lines = [
        f"- `{item.get('function_name')}`: {item.get('reason') or 'no reason given'}"
        for item in _sequence(functions)
        if isinstance(item, Mapping)
    ]
    return "\n".join(lines) or "(none listed)"


def format_review_tests(tests: object, tag: str) -> str:
    sections = []
    for item in _sequence(tests):
        if not isinstance(item, Mapping):
            continue
        failed = ", ".join(f"`{name}`" for name in _sequence(item.get("failed_test_functions"))) or "none"
        section = [f"### test_index {item.get('test_index')} (failed tests: {failed})"]
        section.append(fenced(clip(str(item.get("test_source", ""))), tag))
        failures = item.get("failure_messages")
        if isinstance(failures, Mapping):
            section.extend(
                f"Failure of `{name}`:\n{fenced(clip(str(message), 2_000))}"
                for name, message in failures.items()
            )
        sections.append("\n".join(section))
    return "\n\n".join(sections) or "(none)"


def format_json(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, default=str)
