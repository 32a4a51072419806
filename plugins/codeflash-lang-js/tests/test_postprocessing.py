"""Every postprocessing rule, on JavaScript and TypeScript candidates."""

from codeflash_lang_js.postprocessing import postprocess_optimizations
from jslang_samples import (
    JS_FASTER,
    JS_ORIGINAL,
    JS_PATH,
    TS_FASTER,
    TS_METHOD,
    TS_ORIGINAL,
    js_request,
    ts_request,
)

from codeflash_engine.domain import Candidate, PostprocessResult, SourceFile, Task, TaskRequest


def run(request: TaskRequest, *codes: str, path: str | None = None) -> PostprocessResult:
    file_path = path or request.files[0].path
    candidates = [
        Candidate(candidate_id=f"c{i}", files=(SourceFile(file_path, code),)) for i, code in enumerate(codes)
    ]
    return postprocess_optimizations(request, candidates)


def only_drop(result: PostprocessResult) -> tuple[str, str]:
    assert result.kept == ()
    [dropped] = result.dropped
    return dropped.step, dropped.reason


def test_the_captured_candidates_are_kept_unchanged() -> None:
    js = run(js_request(), JS_FASTER)
    assert [file.code for file in js.kept[0].files] == [JS_FASTER]
    ts = run(ts_request(), TS_FASTER)
    assert [file.code for file in ts.kept[0].files] == [TS_FASTER]


def test_typescript_syntax_under_a_js_path_is_dropped_with_the_grammar_named() -> None:
    typed = JS_FASTER.replace(
        "function findDuplicates(items) {", "function findDuplicates(items: number[]) {"
    )
    step, reason = only_drop(run(js_request(), typed))
    assert step == "validate"
    assert "src/dups.js:4" in reason
    assert "as javascript" in reason


def test_typescript_syntax_is_valid_under_a_ts_path_of_a_javascript_request() -> None:
    request = TaskRequest(
        task=Task.OPTIMIZE,
        language="javascript",
        trace_id="t",
        files=(SourceFile("src/stats.ts", TS_ORIGINAL),),
    )
    assert run(request, TS_FASTER).kept


def test_jsx_under_a_ts_path_is_dropped() -> None:
    with_jsx = TS_FASTER.replace("return best;", "return <b>{best}</b> as any;")
    step, _ = only_drop(run(ts_request(), with_jsx))
    assert step == "validate"


def test_a_bare_method_is_wrapped_in_its_class() -> None:
    result = run(ts_request(qualified_name="Histogram.mostCommon"), TS_METHOD)
    [kept] = result.kept
    code = kept.files[0].code
    assert code.startswith("class Histogram {\n")
    assert "counts.set(value" in code
    again = postprocess_optimizations(ts_request(qualified_name="Histogram.mostCommon"), result.kept)
    assert again.kept == result.kept


def test_the_target_is_inferred_from_the_clients_layout_and_must_be_present() -> None:
    other = "class Histogram {\n  median(): number {\n    return 0;\n  }\n}\n"
    step, reason = only_drop(run(ts_request(), other))
    assert step == "target"
    assert "Histogram.mostCommon" in reason
    renamed = JS_FASTER.replace("function findDuplicates(", "function findDups(")
    step, reason = only_drop(run(js_request(), renamed))
    assert (step, reason) == ("target", "the candidate does not define `findDuplicates`")


def test_a_new_top_level_helper_function_becomes_a_const_arrow_function() -> None:
    with_helper = "function byValue(a, b) {\n  return a < b ? -1 : a > b ? 1 : 0;\n}\n\n" + JS_FASTER.replace(
        "(a, b) => (a < b ? -1 : a > b ? 1 : 0)", "byValue"
    )
    [kept] = run(js_request(), with_helper).kept
    code = kept.files[0].code
    assert code.startswith("const byValue = (a, b) => {\n  return a < b ? -1 : a > b ? 1 : 0;\n};")
    assert "function byValue" not in code


def test_a_helper_using_this_or_arguments_stays_a_function_expression() -> None:
    with_helper = "async function total() {\n  return arguments.length;\n}\n" + JS_FASTER
    [kept] = run(js_request(), with_helper).kept
    assert kept.files[0].code.startswith("const total = async function total() {")


def test_a_typed_helper_keeps_its_types() -> None:
    with_helper = (
        "function countOf<T>(m: Map<T, number>, v: T): number {\n  return m.get(v) ?? 0;\n}\n" + TS_FASTER
    )
    [kept] = run(ts_request(), with_helper).kept
    assert kept.files[0].code.startswith("const countOf = <T>(m: Map<T, number>, v: T): number => {")


def test_a_new_import_becomes_a_require_in_commonjs() -> None:
    code = "import { isDeepStrictEqual as same } from 'node:util';\nimport os from 'os';\n" + JS_FASTER
    [kept] = run(js_request(code=JS_ORIGINAL + "module.exports = { findDuplicates };\n"), code).kept
    assert kept.files[0].code.startswith(
        "const { isDeepStrictEqual: same } = require('node:util');\nconst os = require('os');\n"
    )


def test_a_new_import_in_an_es_module_drops_the_candidate() -> None:
    code = "import { inspect } from 'node:util';\n" + TS_FASTER
    step, reason = only_drop(run(ts_request(), code))
    assert step == "top_level"
    assert "ignores new imports" in reason


def test_an_import_the_original_has_is_kept() -> None:
    original = "import { clamp } from './util';\n\n" + TS_ORIGINAL
    assert run(ts_request(code=original), 'import { clamp } from "./util";\n' + TS_FASTER).kept


def test_a_new_method_the_candidate_calls_is_dropped() -> None:
    code = TS_FASTER.replace("    return best;\n", "    return this.pick(best);\n").replace(
        "  /** Return", "  pick(v: T | undefined): T | undefined {\n    return v;\n  }\n\n  /** Return"
    )
    step, reason = only_drop(run(ts_request(), code))
    assert step == "top_level"
    assert "Histogram.pick" in reason


def test_a_changed_signature_is_dropped() -> None:
    code = JS_FASTER.replace(
        "function findDuplicates(items) {", "function findDuplicates(items, sorted = true) {"
    )
    assert only_drop(run(js_request(), code)) == (
        "contract",
        "`findDuplicates` changes its signature (parameters)",
    )
    typed = TS_FASTER.replace("mostCommon(): T | undefined {", "mostCommon(): T {")
    assert only_drop(run(ts_request(), typed)) == (
        "contract",
        "`Histogram.mostCommon` changes its signature (return type)",
    )


def test_a_change_of_async_is_dropped() -> None:
    code = JS_FASTER.replace("function findDuplicates(", "async function findDuplicates(")
    assert only_drop(run(js_request(), code)) == ("contract", "`findDuplicates` becomes async")


def test_a_removed_return_is_dropped() -> None:
    code = JS_FASTER.replace("return [...dups]", "[...dups]")
    assert only_drop(run(js_request(), code)) == ("contract", "`findDuplicates` no longer returns a value")


def test_a_function_that_is_no_longer_exported_is_dropped() -> None:
    original = "export " + JS_ORIGINAL.split("*/\n", 1)[1]
    code = JS_FASTER.split("*/\n", 1)[1].replace("\nmodule.exports = { findDuplicates };\n", "")
    assert only_drop(run(js_request(code=original), code)) == (
        "contract",
        "`findDuplicates` is no longer exported",
    )


def test_copies_and_reformattings_of_the_original_are_dropped() -> None:
    assert only_drop(run(js_request(), JS_ORIGINAL)) == ("deduplicate", "a copy of the original")
    reformatted = JS_ORIGINAL.replace("  ", "    ").replace(";\n", "\n").replace("/**", "// reformatted\n/**")
    assert only_drop(run(js_request(), reformatted)) == ("deduplicate", "only reformats the original")


def test_duplicates_are_dropped_with_the_candidate_they_repeat() -> None:
    result = run(js_request(), JS_FASTER, JS_FASTER.replace("  ", "\t"))
    assert [kept.candidate_id for kept in result.kept] == ["c0"]
    [dropped] = result.dropped
    assert (dropped.candidate_id, dropped.step, dropped.reason) == (
        "c1",
        "deduplicate",
        "a duplicate of candidate c0",
    )


def test_a_refinement_equal_to_the_candidate_being_refined_is_dropped() -> None:
    request = js_request(Task.REFINE, optimized_source_code=f"```javascript:{JS_PATH}\n{JS_FASTER}```")
    assert only_drop(run(request, JS_FASTER)) == ("deduplicate", "a duplicate of the candidate being refined")


def test_postprocessing_is_idempotent_on_rewritten_candidates() -> None:
    code = "function byValue(a, b) {\n  return a - b;\n}\n" + JS_FASTER.replace(
        "(a, b) => (a < b ? -1 : a > b ? 1 : 0)", "byValue"
    )
    first = run(js_request(), code)
    second = postprocess_optimizations(js_request(), first.kept)
    assert second.kept == first.kept
    assert second.dropped == ()


def test_deeply_nested_and_binary_candidates_are_handled_without_raising() -> None:
    deep = "function findDuplicates(items) { return " + "[" * 20_000 + "]" * 20_000 + " }\n"
    result = run(js_request(), deep, "\x00" * 100)
    assert [kept.candidate_id for kept in result.kept] == ["c0"]
    assert [(dropped.candidate_id, dropped.step) for dropped in result.dropped] == [("c1", "validate")]
