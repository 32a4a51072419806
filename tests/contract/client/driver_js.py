"""Runs inside the isolated environment of the released codeflash client (never imported by the
project's tests). It reads the service's answers to the captured JavaScript/TypeScript requests and
parses them with the client's own code: ``AiServiceClient._get_valid_candidates`` (its markdown
regex, then its tree-sitter validation of each block with the grammar of the block's path) for
candidates, its JS/TS ``validate_syntax`` for generated tests, and its ``normalize_code`` (the
"early dedup" of candidates equal to the original or to each other).

Usage: python driver_js.py answers.json report.json
"""

import json
import sys
from pathlib import Path
from typing import Any

from codeflash.api.aiservice import AiServiceClient
from codeflash.languages.registry import get_language_support
from codeflash.models.models import CodeStringsMarkdown, OptimizedCandidateSource

SOURCES = {
    "/ai/optimize": OptimizedCandidateSource.OPTIMIZE,
    "/ai/optimize-line-profiler": OptimizedCandidateSource.OPTIMIZE_LP,
    "/ai/refinement": OptimizedCandidateSource.REFINE,
}


def _candidates(answer: dict[str, Any]) -> list[dict[str, Any]]:
    body = answer["response"]
    client = AiServiceClient.__new__(AiServiceClient)  # only the parsing, no HTTP session needed
    items = body.get("optimizations", body.get("refinements", []))
    language = answer["language"]
    support = get_language_support(language)
    original = CodeStringsMarkdown.parse_markdown_code(answer["original"], expected_language=language)
    original_normalized = {
        str(block.file_path): support.normalize_code(block.code) for block in original.code_strings
    }
    parsed = client._get_valid_candidates(items, SOURCES[answer["endpoint"]], language)
    report = []
    for candidate in parsed:
        blocks = candidate.source_code.code_strings
        normalized = {str(block.file_path): support.normalize_code(block.code) for block in blocks}
        report.append(
            {
                "optimization_id": candidate.optimization_id,
                "files": [
                    {
                        "path": None if block.file_path is None else block.file_path.as_posix(),
                        "code": block.code,
                    }
                    for block in blocks
                ],
                "same_as_original": normalized == original_normalized,
                "normalized": json.dumps(normalized, sort_keys=True),
            }
        )
    return report


def _tests(answer: dict[str, Any]) -> dict[str, Any]:
    body = answer["response"]
    suffix = ".test.ts" if answer["language"] == "typescript" else ".test.js"
    support = get_language_support(answer["language"])
    return {
        "keys": sorted(body),
        "valid": support.validate_syntax(body["generated_tests"], file_path=Path("tests/generated" + suffix)),
    }


def main() -> None:
    answers: list[dict[str, Any]] = json.loads(Path(sys.argv[1]).read_text())
    report: dict[str, Any] = {}
    for answer in answers:
        if answer["endpoint"] in SOURCES:
            report[answer["name"]] = {
                "candidates": _candidates(answer),
                "sent": len(
                    answer["response"].get("optimizations", answer["response"].get("refinements", []))
                ),
            }
        elif answer["endpoint"] == "/ai/testgen":
            report[answer["name"]] = _tests(answer)
    Path(sys.argv[2]).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
