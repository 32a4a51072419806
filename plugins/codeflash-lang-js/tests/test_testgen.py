"""Generated test files: complete, importing from module_path, calling the target."""

import pytest
from codeflash_lang_js.testgen import postprocess_tests
from jslang_samples import JS_ORIGINAL, TS_ORIGINAL, js_request, ts_request

from codeflash_engine.domain import Candidate, PostprocessResult, SourceFile, Task, TaskRequest

JS_DETAILS = {
    "function_to_optimize": {"function_name": "findDuplicates", "parents": []},
    "module_path": "../src/dups",
    "test_module_path": "test_findDuplicates__unit_test_0.test",
    "test_framework": "vitest",
    "module_system": "commonjs",
    "qualified_name": "findDuplicates",
}
TS_DETAILS = {
    "function_to_optimize": {
        "function_name": "mostCommon",
        "parents": [{"name": "Histogram", "type": "ClassDef"}],
    },
    "module_path": "../src/stats.js",
    "test_module_path": "test_mostCommon__unit_test_0.test",
    "test_framework": "vitest",
    "module_system": "esm",
    "class_name": "Histogram",
    "qualified_name": "Histogram.mostCommon",
}
JS_TESTS = (
    "const { findDuplicates } = require('../src/dups');\n\n"
    "describe('findDuplicates', () => {\n"
    "  it('sorts repeated values', () => {\n"
    "    expect(findDuplicates([5, 3, 5, 3])).toEqual([3, 5]);\n  });\n"
    "});\n"
)
TS_TESTS = (
    "import { describe, it, expect } from 'vitest';\nimport { Histogram } from '../src/stats.js';\n\n"
    "describe('Histogram.mostCommon', () => {\n"
    "  it('finds the mode', () => {\n"
    "    expect(new Histogram<number>([1, 2, 2]).mostCommon()).toBe(2);\n  });\n"
    "});\n"
)


def run(request: TaskRequest, code: str) -> PostprocessResult:
    return postprocess_tests(request, [Candidate(candidate_id="t", files=(SourceFile("t.test.js", code),))])


def generated_of(result: PostprocessResult) -> str:
    [kept] = result.kept
    return kept.files[0].code


def js(**overrides: object) -> TaskRequest:
    return js_request(Task.TESTGEN, JS_ORIGINAL, **{**JS_DETAILS, **overrides})


def ts(**overrides: object) -> TaskRequest:
    return ts_request(Task.TESTGEN, TS_ORIGINAL, **{**TS_DETAILS, **overrides})


def test_good_test_files_are_kept_as_they_are() -> None:
    assert generated_of(run(js(), JS_TESTS)) == JS_TESTS
    assert generated_of(run(ts(), TS_TESTS)) == TS_TESTS


def test_a_wrong_relative_path_to_the_module_is_corrected() -> None:
    fixed = generated_of(run(js(), JS_TESTS.replace("'../src/dups'", "'./dups.js'")))
    assert fixed.startswith("const { findDuplicates } = require('../src/dups');")


def test_a_missing_import_is_added_in_the_module_system_of_the_project() -> None:
    body = JS_TESTS.split("\n\n", 1)[1]
    assert generated_of(run(js(), body)).startswith("const { findDuplicates } = require('../src/dups');\n")
    ts_body = TS_TESTS.replace("import { Histogram } from '../src/stats.js';\n", "")
    assert generated_of(run(ts(), ts_body)).startswith("import { Histogram } from '../src/stats.js';\n")


@pytest.mark.parametrize(
    "pasted", ["function findDuplicates(items) {\n  return [];\n}\n", "const findDuplicates = () => [];\n"]
)
def test_a_pasted_copy_of_the_target_is_removed(pasted: str) -> None:
    code = generated_of(run(js(), pasted + JS_TESTS))
    assert "return [];" not in code and "=> []" not in code
    assert "require('../src/dups')" in code


def test_a_test_file_that_never_calls_the_target_is_dropped() -> None:
    result = run(
        js(), "const { findDuplicates } = require('../src/dups');\nit('x', () => expect(1).toBe(1));\n"
    )
    [dropped] = result.dropped
    assert (dropped.step, dropped.reason) == ("target", "the tests never call `findDuplicates`")


def test_a_test_file_with_a_syntax_error_is_dropped() -> None:
    [dropped] = run(ts(), TS_TESTS.replace("([1, 2, 2])", "([1, 2, 2)")).dropped
    assert dropped.step == "validate"


def test_vitest_imports_are_removed_for_jest() -> None:
    code = generated_of(run(ts(test_framework="jest"), TS_TESTS))
    assert "from 'vitest'" not in code
    assert "import { Histogram } from '../src/stats.js';" in code
