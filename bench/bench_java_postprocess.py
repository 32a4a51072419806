"""Postprocessing cost of the Java plugin per candidate, against its floor: one tree-sitter-java parse.

Run: uv run python bench/bench_java_postprocess.py
The context is what the client sends for a method of a large class: imports, a skeleton with 30
fields and 4 constructors, the target, and 25 same-class helpers after the closing brace (~330
lines). Five candidates as LLMs return them: the whole block re-sent with the target rewritten,
one adding an import the service must rewrite into qualified names, one adding a field and a
helper, one with an unchanged helper-file block, one reformatted duplicate. ``postprocess`` runs
every step on each (validation, Java-version features, imports, signature, scope, fingerprints,
de-duplication), from cold caches; the ratio divides its time by five uncached tree-sitter parses
of the same texts. The two are
timed alternately so load from other processes hits both alike; minimum and median are printed.
"""

import statistics
import time
from collections.abc import Callable

from codeflash_lang_java.grammar import parse, uncached_parse
from codeflash_lang_java.plugin import postprocess
from codeflash_lang_java.structure import read_unit

from codeflash_engine.domain import Candidate, SourceFile, Task, TaskRequest

RUNS = 15
PATH = "src/main/java/com/example/Ledger.java"
HELPER_PATH = "src/main/java/com/example/model/Entry.java"

FIELDS = "".join(
    f"    private final java.util.Map<String, Integer> table{n} = new HashMap<>();\n" for n in range(30)
)
CONSTRUCTORS = "".join(
    f"    public Ledger(int seed{n}) {{\n        this.seed = seed{n} + {n};\n        rebuild();\n    }}\n"
    for n in range(4)
)
HELPERS = "".join(
    f"""

private int helper{n}(List<Entry> entries, int scale) {{
        int total = 0;
        for (int i = 0; i < entries.size(); i++) {{
            Entry entry = entries.get(i);
            if (entry.amount() % {n + 2} == 0) {{
                total += entry.amount() * scale;
            }} else {{
                total -= entry.amount();
            }}
        }}
        return total + seed;
    }}"""
    for n in range(25)
)
TARGET = """    public long balance(List<Entry> entries) {
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            for (int j = 0; j < entries.size(); j++) {
                if (i == j) {
                    total += entries.get(i).amount();
                }
            }
        }
        return total;
    }
"""
FAST = """    public long balance(List<Entry> entries) {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.amount();
        }
        return total;
    }
"""


def block(target: str, extra_fields: str = "", extra_helpers: str = "", imports: str = "") -> str:
    return (
        f"import java.util.HashMap;\nimport java.util.List;\nimport com.example.model.Entry;\n{imports}\n"
        f"public class Ledger {{\n    private int seed;\n{FIELDS}{extra_fields}{CONSTRUCTORS}{target}}}"
        f"{HELPERS}{extra_helpers}"
    )


ORIGINAL = block(TARGET)
ENTRY_HELPERS = "public int amount() { return amount; }\n\n\n    public String label() { return label; }"
CANDIDATES = [
    [(PATH, block(FAST))],
    [
        (
            PATH,
            block(
                FAST.replace("long total = 0;", "long total = LongStream.empty().sum();"),
                imports="import java.util.stream.LongStream;\n",
            ),
        )
    ],
    [
        (
            PATH,
            block(
                FAST,
                "    private long cached = -1;\n",
                "\n\n    private static long twice(long x) {\n        return 2 * x;\n    }",
            ),
        )
    ],
    [
        (PATH, block(FAST.replace("total += entry.amount();", "total = total + entry.amount();"))),
        (HELPER_PATH, ENTRY_HELPERS),
    ],
    [(PATH, "// again\n" + block(FAST).replace("    ", "  "))],
]
REQUEST = TaskRequest(
    task=Task.OPTIMIZE,
    language="java",
    trace_id="bench",
    files=(SourceFile(path=PATH, code=ORIGINAL), SourceFile(path=HELPER_PATH, code=ENTRY_HELPERS)),
    language_version="17",
)
BATCH = [
    Candidate(candidate_id=str(i), files=tuple(SourceFile(path=p, code=c) for p, c in files))
    for i, files in enumerate(CANDIDATES)
]


def timed(action: Callable[[], object]) -> float:
    # Every request starts cold: the plugin caches parses of one request's texts, not across runs.
    parse.cache_clear()
    read_unit.cache_clear()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    result = postprocess(REQUEST, BATCH)
    assert [k.candidate_id for k in result.kept] == ["0", "1", "2", "3"], result.dropped
    assert [d.reason for d in result.dropped] == ["same as an earlier candidate"]
    texts = [file.code for candidate in BATCH for file in candidate.files[:1]]
    floor: list[float] = []
    full: list[float] = []
    for _ in range(RUNS):
        floor.append(timed(lambda: [uncached_parse(text) for text in texts]))
        full.append(timed(lambda: postprocess(REQUEST, BATCH)))
    lines = ORIGINAL.count("\n") + 1
    print(f"context block: {lines} lines; {len(BATCH)} candidates; {RUNS} runs, timed alternately")
    for label, pick in (("minimum", min), ("median", statistics.median)):
        per_candidate = pick(full) / len(BATCH) * 1000
        ratio = pick(full) / pick(floor)
        print(
            f"{label}: parse x{len(BATCH)} (floor) {pick(floor) * 1000:.1f} ms, postprocess x{len(BATCH)} "
            f"{pick(full) * 1000:.1f} ms = {per_candidate:.1f} ms per candidate, ratio to floor {ratio:.1f}"
        )


if __name__ == "__main__":
    main()
