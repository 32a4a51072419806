"""The line matcher: levels, bounds, and the nearest-lines hint."""

import time

import pytest

from codeflash_engine.diff import EditApplyError, apply_v4a
from codeflash_engine.diff.matching import Level, LineIndex


def test_levels_from_exact_to_unicode() -> None:
    index = LineIndex(["a = 1  ", "  b = \u201cx\u201d", "c"])
    assert list(index.matches(["a = 1  "], Level.EXACT)) == [0]
    assert list(index.matches(["a = 1"], Level.EXACT)) == []
    assert list(index.matches(["a = 1"], Level.RSTRIP)) == [0]
    assert list(index.matches(["b = \u201cx\u201d"], Level.RSTRIP)) == []
    assert list(index.matches(["b = \u201cx\u201d"], Level.STRIP)) == [1]
    assert list(index.matches(['b = "x"'], Level.UNICODE)) == [1]


def test_start_and_stop_bound_the_matches() -> None:
    index = LineIndex(["x", "y", "x", "y", "x"])
    assert list(index.matches(["x", "y"], Level.EXACT)) == [0, 2]
    assert list(index.matches(["x", "y"], Level.EXACT, start=1)) == [2]
    assert list(index.matches(["x", "y"], Level.STRIP, start=1, stop=3)) == []
    assert list(index.matches(["x"] * 6, Level.STRIP)) == []


def test_candidate_loop_and_substring_search_agree() -> None:
    lines = ["x"] * 3000 + ["y"] + ["x"] * 3000
    index = LineIndex(lines)
    wanted = ["x"] * 10 + ["y"]
    assert list(index.matches(wanted, Level.EXACT)) == list(index.matches(wanted, Level.STRIP)) == [2990]
    assert next(index.matches(["x"] * 50, Level.STRIP)) == 0


def test_nearest_points_at_the_most_similar_region() -> None:
    lines = [f"line {number}" for number in range(100)]
    lines[60] = "    total = compute(values)"
    nearest = LineIndex(lines).nearest(["total = compute(value)", "return total"], budget=1000)
    assert any(number == 61 for number, _ in nearest)


def test_a_miss_on_a_large_repetitive_file_is_fast() -> None:
    files = {"big.py": "    total += value\n" * 20_000}
    body = "\n".join(
        ["*** Begin Patch", "*** Update File: big.py", "@@"] + [" " + "    total += value"] * 399
    )
    patch = body + "\n-    total -= value\n*** End Patch\n"
    started = time.perf_counter()
    with pytest.raises(EditApplyError, match="not found"):
        apply_v4a(files, patch)
    assert time.perf_counter() - started < 1.0
