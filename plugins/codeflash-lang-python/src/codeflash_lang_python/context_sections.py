"""Turn the client's structured request fields into prompt text.

Everything here is data the client sent; it is placed inside delimited sections by the templates.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

MAX_FIELD_CHARS = 6_000
"""Test sources and pytest errors can be huge; the LLM needs their gist, not megabytes."""

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


def _fenced(text: str, tag: str = "") -> str:
    # A longer fence than any backtick run inside, so test code cannot close it early.
    fence = "````" if "```" in text else "```"
    return f"{fence}{tag}\n{text}\n{fence}"


def _pass_word(passed: object) -> str:
    return "passed" if passed else "failed"


def format_test_diff(number: int, diff: Mapping[str, Any]) -> str:
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
        lines.append("- the test (instrumented; `codeflash_wrap(f, ...)` calls `f`):")
        lines.append(_fenced(clip(str(test_source)), "python"))
    for key, who in (("candidate_pytest_error", "optimized"), ("original_pytest_error", "original")):
        if error := diff.get(key):
            lines.append(f"- pytest error with the {who} code:")
            lines.append(_fenced(clip(str(error))))
    return "\n".join(lines)


def format_test_diffs(test_diffs: object) -> str:
    """The client's ``test_diffs`` list, one titled section per difference (deduplicated)."""
    if not isinstance(test_diffs, Sequence) or isinstance(test_diffs, str) or not test_diffs:
        return "(the client reported no details)"
    unique: list[Mapping[str, Any]] = []
    for diff in test_diffs:
        if isinstance(diff, Mapping) and diff not in unique:
            unique.append(diff)
    return "\n\n".join(format_test_diff(number, diff) for number, diff in enumerate(unique, start=1))


def format_previous_candidates(candidates: object) -> str:
    """Adaptive optimization's earlier attempts: code, explanation, outcome."""
    if not isinstance(candidates, Sequence) or isinstance(candidates, str) or not candidates:
        return "(none)"
    sections = []
    for number, candidate in enumerate(candidates, start=1):
        if not isinstance(candidate, Mapping):
            continue
        sections.append(
            f"### Attempt {number} (from {candidate.get('source', 'unknown')}): "
            f"{candidate.get('speedup', 'outcome unknown')}\n"
            f"Explanation: {clip(str(candidate.get('explanation', '')), 1_500)}\n"
            f"{candidate.get('source_code', '')}"
        )
    return "\n\n".join(sections) or "(none)"


def format_functions_to_repair(functions: object) -> str:
    if not isinstance(functions, Sequence) or isinstance(functions, str):
        return "(none listed)"
    return "\n".join(
        f"- `{item.get('function_name')}`: {item.get('reason') or 'no reason given'}"
        for item in functions
        if isinstance(item, Mapping)
    )


def format_review_tests(tests: object) -> str:
    if not isinstance(tests, Sequence) or isinstance(tests, str):
        return "(none)"
    sections = []
    for item in tests:
        if not isinstance(item, Mapping):
            continue
        failures = item.get("failure_messages") or {}
        failed = ", ".join(f"`{name}`" for name in item.get("failed_test_functions") or ()) or "none"
        section = [f"### test_index {item.get('test_index')} (failed tests: {failed})"]
        section.append(_fenced(clip(str(item.get("test_source", ""))), "python"))
        if isinstance(failures, Mapping):
            section.extend(
                f"Failure of `{name}`:\n{_fenced(clip(str(message), 2_000))}"
                for name, message in failures.items()
            )
        sections.append("\n".join(section))
    return "\n\n".join(sections) or "(none)"


def format_json(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, default=str)
