"""Timings of the edit appliers and the extractor on the shapes that make naive matchers blow up.

Run: uv run python bench/bench_edit_formats.py
Prints the median over several runs of each case and its ratio to the goal of issue 5.
"""

import statistics
import time
from collections.abc import Callable
from difflib import SequenceMatcher

from codeflash_engine.diff import EditApplyError, apply_search_replace, apply_v4a
from codeflash_engine.extraction import extract_code

RUNS = 9
REPEATED = "    total += value"


def median_ms(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def expect_miss(apply: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        try:
            apply()
        except EditApplyError as error:
            return error
        raise AssertionError("the edit was expected to miss")

    return run


def v4a_patch(path: str, hunks: list[tuple[list[str], list[str]]]) -> str:
    lines = ["*** Begin Patch", f"*** Update File: {path}"]
    for old, new in hunks:
        lines.append("@@")
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal":
                lines.extend(" " + line for line in old[i1:i2])
            else:
                lines.extend("-" + line for line in old[i1:i2])
                lines.extend("+" + line for line in new[j1:j2])
    return "\n".join([*lines, "*** End Patch"]) + "\n"


def search_replace(path: str, blocks: list[tuple[list[str], list[str]]]) -> str:
    parts = [
        f"{path}\n```python\n<<<<<<< SEARCH\n"
        + "".join(line + "\n" for line in old)
        + "=======\n"
        + "".join(line + "\n" for line in new)
        + ">>>>>>> REPLACE\n```\n"
        for old, new in blocks
    ]
    return "\n".join(parts)


def miss_cases() -> list[tuple[str, Callable[[], object]]]:
    identical = {"big.py": "".join(REPEATED + "\n" for _ in range(20_000))}
    reference_old = [REPEATED] * 399 + ["    total -= value"]
    # Every pattern line is common, but no run of 400 identical lines exists: all candidates are live.
    broken = {
        "big.py": "".join(
            (f"    checkpoint({number})\n" if number % 300 == 299 else REPEATED + "\n")
            for number in range(20_000)
        )
    }
    run_old = [REPEATED] * 400
    return [
        (
            "V4A, 20,000 identical lines, 400-line hunk that misses",
            expect_miss(lambda: apply_v4a(identical, v4a_patch("big.py", [(reference_old, [])]))),
        ),
        (
            "SEARCH/REPLACE, same file, 400-line SEARCH that misses",
            expect_miss(
                lambda: apply_search_replace(identical, search_replace("big.py", [(reference_old, ["pass"])]))
            ),
        ),
        (
            "V4A, 20,000 lines, every pattern line common, miss",
            expect_miss(lambda: apply_v4a(broken, v4a_patch("big.py", [(run_old, [])]))),
        ),
        (
            "SEARCH/REPLACE, same adversarial miss",
            expect_miss(
                lambda: apply_search_replace(broken, search_replace("big.py", [(run_old, ["pass"])]))
            ),
        ),
    ]


def hunk_cases() -> list[tuple[str, Callable[[], object]]]:
    lines = []
    for number in range(1_000):
        lines += [f"def step_{number}(x):", f"    y = x * {number}", "    y += 1", "    return y", ""]
    files = {"mod.py": "\n".join(lines) + "\n"}
    edits = []
    for number in range(0, 1_000, 20):
        old = [f"def step_{number}(x):", f"    y = x * {number}", "    y += 1", "    return y"]
        new = [f"def step_{number}(x):", f"    y = x * {number} + 1", "    return y"]
        edits.append((old, new))
    patch, reply = v4a_patch("mod.py", edits), search_replace("mod.py", edits)
    assert apply_v4a(files, patch).files == apply_search_replace(files, reply).files
    return [
        ("V4A, 5,000-line file, 50 hunks", lambda: apply_v4a(files, patch)),
        ("SEARCH/REPLACE, 5,000-line file, 50 blocks", lambda: apply_search_replace(files, reply)),
    ]


def extraction_case() -> tuple[str, Callable[[], object]]:
    body = "".join(
        f"def helper_{n}(values):\n    return [v * {n} for v in values if v > {n}]\n\n" for n in range(400)
    )
    parts = []
    while sum(map(len, parts)) < 200_000:
        index = len(parts)
        parts.append(
            f"Explanation {index}: this version avoids a quadratic loop.\n\n"
            f"```python:pkg/m{index}.py\n{body}```\n\n"
        )
    reply = "".join(parts)
    size = len(reply.encode()) // 1024
    assert extract_code(reply).blocks
    return f"extraction from a {size} KB reply ({len(parts)} fences)", lambda: extract_code(reply)


def main() -> None:
    goals = [*((name, run, 50.0) for name, run in miss_cases())]
    goals += [(name, run, 50.0) for name, run in hunk_cases()]
    name, run = extraction_case()
    goals.append((name, run, 10.0))
    print(f"{'case':<58} {'median ms':>10} {'goal ms':>8} {'of goal':>8}")
    for name, run, goal in goals:
        median = median_ms(run)
        print(f"{name:<58} {median:>10.2f} {goal:>8.0f} {median / goal:>7.0%}")


if __name__ == "__main__":
    main()
