"""Postprocessing cost of the JavaScript plugin per candidate, against its floor: one tree-sitter
parse per candidate.

Run: uv run python bench/bench_js_postprocess.py
Five full-file candidates of a ~400-line CommonJS module (22 helpers and a class; the client sends
the target and its helpers) go through ``postprocess``: every helper re-formatted but unchanged, the
target method rewritten, and a new top-level helper function (rewritten into a ``const`` arrow
function). The ratio divides its time by the time of the kit's ``parse`` of the same five texts;
both are timed alternately, so load from other processes hits both alike.
"""

import statistics
import time
from collections.abc import Callable

from codeflash_lang_js.languages import JAVASCRIPT
from codeflash_lang_js.plugin import postprocess

from codeflash_engine.domain import Candidate, SourceFile, Task, TaskRequest
from codeflash_engine.treesitter import parse

RUNS = 15
PATH = "src/stats.js"
GOAL = 8.0

HELPER = """
/** Scale, filter and summarise values (helper {n}). */
function helper{n}(values, scale = {n}) {{
  const result = [];
  for (let index = 0; index < values.length; index++) {{
    const value = values[index];
    if (value === null || value === undefined) {{
      continue;
    }}
    const scaled = value * scale + index;
    if (scaled % {m} === 0) {{
      result.push(Math.floor(scaled / {m}));
    }} else {{
      result.push(scaled);
    }}
  }}
  const total = result.reduce((a, b) => a + b, 0);
  return {{ count: result.length, total, mean: result.length ? total / result.length : 0 }};
}}
"""
TARGET = """
class Histogram {
  constructor(bins) {
    this.bins = bins;
  }

  counts(values) {
    const counts = new Array(this.bins).fill(0);
    for (const value of values) {
      for (let position = 0; position < this.bins; position++) {
        if (position <= value && value < position + 1) {
          counts[position] += 1;
        }
      }
    }
    return counts;
  }
}
"""
FAST_TARGET = """
function bucketOf(value) {{
  return value >= 0 ? Math.floor(value) : -1;
}}

class Histogram {{
  constructor(bins) {{
    this.bins = bins;
  }}

  counts(values) {{
    const counts = new Array(this.bins).fill(0);
    for (const value of values) {{
      const position = bucketOf(value);
      if (position >= 0 && position < this.bins) counts[position] += {variant};
    }}
    return counts;
  }}
}}
"""


def original_module() -> str:
    header = "const { performance } = require('node:perf_hooks');\n"
    return header + TARGET + "".join(HELPER.format(n=n, m=n % 5 + 2) for n in range(22))


def candidate_module(variant: int) -> str:
    helpers = "".join(
        HELPER.format(n=n, m=n % 5 + 2).replace("  const total", "\n  const total").replace(";\n", "\n")
        for n in range(22)
    )
    header = 'const { performance } = require("node:perf_hooks")\n'
    return header + FAST_TARGET.format(variant=variant) + helpers


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    original = original_module()
    request = TaskRequest(
        task=Task.OPTIMIZE,
        language="javascript",
        trace_id="bench",
        files=(SourceFile(PATH, original),),
        language_version="20.20.2",
        details={"qualified_name": "Histogram.counts"},
    )
    texts = [candidate_module(variant) for variant in range(1, 6)]
    candidates = [Candidate(f"c{index}", (SourceFile(PATH, text),)) for index, text in enumerate(texts)]
    result = postprocess(request, candidates)
    assert len(result.kept) == 5, result.dropped
    assert all("const bucketOf = (value) =>" in kept.files[0].code for kept in result.kept)

    floors: list[float] = []
    totals: list[float] = []
    for _ in range(RUNS):
        floors.append(seconds(lambda: [parse(JAVASCRIPT, text) for text in texts]))
        totals.append(seconds(lambda: postprocess(request, candidates)))
    print(f"module: {original.count(chr(10))} lines; candidates: 5 x {texts[0].count(chr(10))} lines")
    for name, pick in (("min", min), ("median", statistics.median)):
        floor, total = pick(floors), pick(totals)
        print(
            f"{name:>6}: tree-sitter parse x5 (floor) {floor * 1000:.1f} ms, postprocess x5 "
            f"{total * 1000:.1f} ms ({total * 200:.1f} ms per candidate), "
            f"ratio {total / floor:.2f} (goal <= {GOAL})"
        )


if __name__ == "__main__":
    main()
