"""Optimization candidates rewritten into what the client's replacer keeps, or dropped with the
reason, through the engine's facade (``codeflash_host.for_language``)."""

from pathlib import Path

import pytest
from codeflash_lang_go import plugin
from codeflash_lang_go.syntax import read_file
from golang_samples import JOIN_REPEAT, JOIN_REPEAT_BUILDER, SAMPLE_PATH
from gotool import run_go, write_module

from codeflash_engine.domain import Candidate, PostprocessResult, SourceFile, Task, TaskRequest
from codeflash_engine.plugins import PluginHost

SQUARES = """package mathx

import "strconv"

// SumSquares returns the sum of i*i for i in [0, n).
func SumSquares(n int) int {
\ttotal := 0
\tfor i := 0; i < n; i++ {
\t\ttotal += square(i)
\t}
\treturn total
}

func square(x int) int { return x * x }

// Label is not a helper of SumSquares; it keeps strconv in use.
func Label(n int) string { return strconv.Itoa(n) }
"""
SQUARES_PATH = "mathx/sum.go"


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (plugin,)


def request(
    code: str = JOIN_REPEAT,
    path: str = SAMPLE_PATH,
    task: Task = Task.OPTIMIZE,
    version: str | None = "1.19",
    language: str = "go",
    **details: object,
) -> TaskRequest:
    return TaskRequest(
        task=task,
        language=language,
        trace_id="t",
        files=(SourceFile(path, code),),
        language_version=version,
        details=details,
    )


def run(host: PluginHost, req: TaskRequest, *codes: str) -> PostprocessResult:
    path = req.files[0].path
    candidates = [
        Candidate(candidate_id=f"c{i}", files=(SourceFile(path, code),)) for i, code in enumerate(codes)
    ]
    return host.for_language("go").postprocess(req, candidates)


def kept_code(result: PostprocessResult) -> str:
    [candidate] = result.kept
    return candidate.files[0].code


def dropped_reason(result: PostprocessResult) -> str:
    assert result.kept == ()
    [dropped] = result.dropped
    return f"{dropped.step}: {dropped.reason}"


def test_golang_is_routed_to_the_plugin(codeflash_host: PluginHost) -> None:
    hooks = codeflash_host.for_language("golang")
    assert hooks.language.name == "go"
    assert hooks.language.tag == "go"


def test_a_plain_rewrite_is_kept_as_written(codeflash_host: PluginHost) -> None:
    assert kept_code(run(codeflash_host, request(), JOIN_REPEAT_BUILDER)) == JOIN_REPEAT_BUILDER


def test_copies_and_formatting_variants_are_duplicates(codeflash_host: PluginHost) -> None:
    reformatted = JOIN_REPEAT_BUILDER.replace("\t", "    ").replace("b.Grow(", "b.Grow( ") + "// trailing\n"
    recommented = JOIN_REPEAT.replace('\tout := ""', '\tout := "" // start empty')
    result = run(codeflash_host, request(), JOIN_REPEAT_BUILDER, reformatted, recommented)
    assert [c.candidate_id for c in result.kept] == ["c0"]
    reasons = {d.candidate_id: d.reason for d in result.dropped}
    assert "an earlier candidate" in reasons["c1"]
    assert "the original" in reasons["c2"]


def test_a_refinement_equal_to_its_parent_is_dropped(codeflash_host: PluginHost) -> None:
    parent = f"```go:{SAMPLE_PATH}\n{JOIN_REPEAT_BUILDER}```"
    req = request(task=Task.REFINE, optimized_source_code=parent)
    assert "being refined" in dropped_reason(run(codeflash_host, req, JOIN_REPEAT_BUILDER))


def test_the_doc_comment_is_put_back(codeflash_host: PluginHost) -> None:
    without = JOIN_REPEAT_BUILDER.replace(
        "// JoinRepeat concatenates s n times, with sep between the copies.\n", ""
    )
    code = kept_code(run(codeflash_host, request(), without))
    assert "// JoinRepeat concatenates s n times, with sep between the copies.\nfunc JoinRepeat(" in code


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (
            JOIN_REPEAT_BUILDER.replace("n int) string {", "n int, extra int) string {"),
            "changes the signature of JoinRepeat",
        ),
        (JOIN_REPEAT_BUILDER + "\nfunc init() { _ = 1 }\n", "adds an init function"),
        (JOIN_REPEAT_BUILDER + "\ntype T struct{}\n\nfunc (T) M() {}\n", "adds the method T.M"),
        (
            JOIN_REPEAT_BUILDER.replace("b.Grow(", "_ = pick(1, 2)\n\tb.Grow(")
            + "\nfunc pick[T any](a, b T) T { return a }\n",
            "generic helper pick",
        ),
        (
            JOIN_REPEAT_BUILDER.replace("if n <= 0", "n = max(n, 0)\n\tif n <= 0"),
            "builtin max, new in Go 1.21",
        ),
        (
            JOIN_REPEAT_BUILDER.replace('import "strings"', 'import (\n\t"slices"\n\t"strings"\n)').replace(
                "b.Grow(", "_ = slices.Contains([]int{1}, 1)\n\tb.Grow("
            ),
            "imports slices, new in Go 1.21",
        ),
        (JOIN_REPEAT_BUILDER.replace("func JoinRepeat", "func joinRepeat"), "has no function JoinRepeat"),
    ],
)
def test_what_the_client_would_lose_or_reject_is_dropped(
    codeflash_host: PluginHost, candidate: str, reason: str
) -> None:
    assert reason in dropped_reason(run(codeflash_host, request(), candidate))


def test_newer_builtins_are_fine_on_a_newer_go(codeflash_host: PluginHost) -> None:
    candidate = JOIN_REPEAT_BUILDER.replace("if n <= 0", "n = max(n, 0)\n\tif n <= 0")
    assert run(codeflash_host, request(version="1.22"), candidate).kept


@pytest.mark.parametrize(
    ("imports", "reason"),
    [
        ('import "strconv"', 'one-line form (import "x")'),
        ('import (\n\t"strconv"\n)', "almost certainly written in the one-line form"),
        ('import (\n\t"sort"\n\t"strconv"\n)', None),
    ],
)
def test_new_imports_are_dropped_where_the_client_would_break_the_file(
    codeflash_host: PluginHost, imports: str, reason: str | None
) -> None:
    original = SQUARES.replace('import "strconv"', imports)
    candidate = original.replace(imports, 'import (\n\t"math/bits"\n\t"sort"\n\t"strconv"\n)').replace(
        "total := 0", "total := bits.Len(0)"
    )
    result = run(codeflash_host, request(original, SQUARES_PATH), candidate)
    if reason is None:
        assert result.kept
    else:
        assert reason in dropped_reason(result)
        prompt = codeflash_host.for_language("go").build_context(request(original, SQUARES_PATH))
        assert "Do not add imports" in prompt.system


def test_unused_new_imports_are_removed(codeflash_host: PluginHost) -> None:
    candidate = JOIN_REPEAT_BUILDER.replace('import "strings"', 'import (\n\t"sort"\n\t"strings"\n)')
    code = kept_code(run(codeflash_host, request(), candidate))
    assert '"sort"' not in code and '"strings"' in code


HELPER_CASES = {
    "new helper": (
        SQUARES.replace("total += square(i)", "total += sq(i)") + "\nfunc sq(x int) int { return x * x }\n",
        "sq := func(x int) int { return x * x }",
    ),
    "changed helper": (
        SQUARES.replace(
            "func square(x int) int { return x * x }", "func square(x int) int { return x * x + 0 }"
        ),
        "square := func(x int) int { return x * x + 0 }",
    ),
    "recursive helper": (
        SQUARES.replace("total += square(i)", "total += tri(i) - tri(i) + square(i)")
        + "\nfunc tri(x int) int {\n\tif x <= 0 {\n\t\treturn 0\n\t}\n\treturn x + tri(x-1)\n}\n",
        "var tri func(x int) int",
    ),
    "local type": (
        SQUARES.replace("total := 0", "acc := pair{}\n\ttotal := acc.a").replace(
            "return total", "return total + acc.b"
        )
        + "\ntype pair struct{ a, b int }\n",
        "type pair struct{ a, b int }",
    ),
    "table helper": (
        SQUARES.replace("total += square(i)", "total += square(i) + int(zeros[0])")
        + "\nvar zeros = makeZeros()\n\nfunc makeZeros() [4]uint8 { return [4]uint8{} }\n",
        "var makeZeros = func() [4]uint8 { return [4]uint8{} }",
    ),
}


@pytest.mark.parametrize("case", sorted(HELPER_CASES))
def test_helpers_and_types_are_rewritten_into_what_the_client_keeps(
    codeflash_host: PluginHost, case: str, tmp_path: Path
) -> None:
    candidate, expected = HELPER_CASES[case]
    code = kept_code(run(codeflash_host, request(SQUARES, SQUARES_PATH), candidate))
    assert expected in code, code
    rewritten = read_file(code)
    assert [f.name for f in rewritten.functions] == ["SumSquares"]
    assert {d.kind for d in rewritten.declarations} <= {"var"}
    # Idempotent: the rewritten candidate is kept as it is.
    assert kept_code(run(codeflash_host, request(SQUARES, SQUARES_PATH), code)) == code
    # What the client applies: the target and the new package-level declarations, in the real file.
    applied = _as_client_applies(SQUARES, code)
    module = write_module(tmp_path, {SQUARES_PATH: applied})
    built = run_go("build", "./...", cwd=module)
    assert built.returncode == 0, f"{applied}\n{built.stderr}"


def _as_client_applies(original: str, candidate: str) -> str:
    """The client's merge in short: new top-level var declarations after the imports, the target
    swapped in (from its doc comment on), everything else of the original kept."""
    before, after = read_file(original), read_file(candidate)
    target = after.function("SumSquares")
    old = before.function("SumSquares")
    assert target is not None and old is not None
    known = {name for d in before.declarations for name in d.names}
    new_vars = [after.text(d.node) for d in after.declarations if not set(d.names) & known]
    data = original.encode()
    start = old.node.start_byte - len(old.doc_comment().encode())
    merged = data[:start].decode() + target.doc_comment() + target.text() + data[old.node.end_byte :].decode()
    return merged.replace('import "strconv"\n', 'import "strconv"\n\n' + "\n".join(new_vars) + "\n", 1)
