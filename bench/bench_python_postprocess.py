"""Postprocessing cost of the Python plugin against its floor: one libcst parse per candidate.

Run: uv run python bench/bench_python_postprocess.py
Five full-file candidates of a ~350-line module (what LLMs usually return: the whole file, helpers
re-formatted, the target rewritten, a demo block at the end) go through ``postprocess``; the ratio
divides its time by the time of ``libcst.parse_module`` on the same five texts. The two are timed
alternately, so load from other processes hits both alike; minimum and median are printed.
"""

import statistics
import time
from collections.abc import Callable

import libcst as cst
from codeflash_lang_python.plugin import postprocess

from codeflash_engine.domain import Candidate, SourceFile, TargetFunction, Task, TaskRequest

RUNS = 15
PATH = "pkg/stats.py"
GOAL = 2.0

HELPER = '''

def helper_{n}(values, scale={n}):
    """Scale, filter and summarise values (helper {n})."""
    result = []
    for index, value in enumerate(values):
        if value is None:
            continue
        scaled = value * scale + index
        if scaled % {m} == 0:
            result.append(scaled // {m})
        else:
            result.append(scaled)
    total = sum(result)
    return {{"count": len(result), "total": total, "mean": total / len(result) if result else 0.0}}
'''

TARGET = """

class Histogram:
    def __init__(self, bins):
        self.bins = bins

    def counts(self, values):
        counts = [0] * self.bins
        for value in values:
            for position in range(self.bins):
                if position <= value < position + 1:
                    counts[position] += 1
        return counts
"""

FAST_TARGET = """

class Histogram:
    def __init__(self, bins):
        self.bins = bins

    def counts(self, values):
        counts = [0] * self.bins
        for value in values:
            position = int(value) if value >= 0 else -1
            if 0 <= position < self.bins:
                counts[position] += {variant}
        return counts
"""

DEMO = """

if __name__ == "__main__":
    print(Histogram(4).counts([0.5, 1.5, 3.2]))
"""


def original_module() -> str:
    header = '"""Statistics helpers."""\nimport math\nimport statistics\n'
    return header + "".join(HELPER.format(n=n, m=n % 5 + 2) for n in range(22)) + TARGET


def candidate_module(variant: int) -> str:
    """The whole file back: helpers re-formatted (extra blank lines, other quotes), target rewritten."""
    helpers = "".join(
        HELPER.format(n=n, m=n % 5 + 2).replace("    total = sum", "\n    total = sum") for n in range(22)
    )
    header = "'''Statistics helpers.'''\nimport math\nimport statistics\nimport pytest\n"
    return header + helpers + FAST_TARGET.format(variant=variant) + DEMO


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def interleaved(first: Callable[[], object], second: Callable[[], object]) -> tuple[list[float], list[float]]:
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        timings[0].append(seconds(first))
        timings[1].append(seconds(second))
    return timings


def main() -> None:
    original = original_module()
    request = TaskRequest(
        task=Task.OPTIMIZE,
        language="python",
        trace_id="bench",
        files=(SourceFile(PATH, original),),
        language_version="3.11.4",
        target=TargetFunction(name="counts", qualified_name="Histogram.counts", is_method=True),
    )
    texts = [candidate_module(variant) for variant in range(1, 6)]
    candidates = [Candidate(f"c{index}", (SourceFile(PATH, text),)) for index, text in enumerate(texts)]
    result = postprocess(request, candidates)
    assert len(result.kept) == 5, result.dropped
    assert all("helper_" not in kept.files[0].code for kept in result.kept), "unchanged helpers must go"

    floors, totals = interleaved(
        lambda: [cst.parse_module(text) for text in texts], lambda: postprocess(request, candidates)
    )
    print(f"module: {original.count(chr(10))} lines; candidates: 5 x {texts[0].count(chr(10))} lines")
    for name, pick in (("min", min), ("median", statistics.median)):
        floor, total = pick(floors), pick(totals)
        print(
            f"{name:>6}: libcst.parse_module x5 (floor) {floor * 1000:.1f} ms, "
            f"postprocess x5 {total * 1000:.1f} ms, ratio {total / floor:.2f} (goal <= {GOAL})"
        )


if __name__ == "__main__":
    main()
