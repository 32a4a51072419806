"""Test files made runnable for the client: package, names, per-request uniqueness, braces."""

import pytest
from codeflash_lang_go import plugin
from codeflash_lang_go.syntax import read_file
from golang_samples import JOIN_REPEAT, JOIN_REPEAT_TESTS, SAMPLE_PATH

from codeflash_engine.domain import Candidate, PostprocessResult, SourceFile, Task, TaskRequest
from codeflash_engine.plugins import PluginHost


@pytest.fixture
def codeflash_plugins() -> tuple[object, ...]:
    return (plugin,)


def postprocess_tests(host: PluginHost, tests: str, index: int = 0) -> PostprocessResult:
    request = TaskRequest(
        task=Task.TESTGEN,
        language="go",
        trace_id="t",
        files=(SourceFile(SAMPLE_PATH, JOIN_REPEAT),),
        language_version="1.19",
        details={
            "function_to_optimize": {
                "function_name": "JoinRepeat",
                "file_path": f"/p/{SAMPLE_PATH}",
                "parents": [],
            },
            "test_index": index,
            "test_module_path": f"textx.test_JoinRepeat__unit_test_{index}_test",
        },
    )
    candidate = Candidate(candidate_id="t", files=(SourceFile("x_test.go", tests),))
    return host.for_language("go").postprocess(request, [candidate])


def cleaned(result: PostprocessResult) -> str:
    [candidate] = result.kept
    code = candidate.files[0].code
    assert candidate.artifacts["instrumented_behavior_tests"] == code
    assert candidate.artifacts["instrumented_perf_tests"] == code
    return code


def test_a_good_file_is_kept_as_it_is(codeflash_host: PluginHost) -> None:
    assert cleaned(postprocess_tests(codeflash_host, JOIN_REPEAT_TESTS)) == JOIN_REPEAT_TESTS


def test_names_the_client_would_not_time_are_renamed(codeflash_host: PluginHost) -> None:
    tests = JOIN_REPEAT_TESTS.replace("TestJoinRepeat_Basic", "TestBasic").replace(
        "TestJoinRepeat_Zero", "TestJoinRepeatZero"
    )
    names = [f.name for f in read_file(cleaned(postprocess_tests(codeflash_host, tests))).functions]
    assert names == ["TestJoinRepeat_Basic", "TestJoinRepeat_Zero", "TestJoinRepeat_Large"]


def test_the_external_test_package_becomes_the_package_under_test(codeflash_host: PluginHost) -> None:
    tests = (
        JOIN_REPEAT_TESTS.replace("package textx", "package textx_test")
        .replace('import "testing"', 'import (\n\t"testing"\n\n\t"example.com/m/textx"\n)')
        .replace("JoinRepeat(", "textx.JoinRepeat(")
        .replace("func Testtextx.", "func Test")
    )
    code = cleaned(postprocess_tests(codeflash_host, tests))
    assert code.startswith("package textx\n")
    assert "example.com" not in code and "textx.JoinRepeat" not in code


def test_package_level_names_are_unique_per_test_index(codeflash_host: PluginHost) -> None:
    tests = JOIN_REPEAT_TESTS.replace(
        'import "testing"',
        'import "testing"\n\nvar sep = ","\n\nfunc twice(s string) string { return s + s }',
    ).replace('JoinRepeat("ab", ",", 3)', 'JoinRepeat(twice("a")[:2]+"b"[:0]+"b"[1:], sep, 3)')
    first, second = (cleaned(postprocess_tests(codeflash_host, tests, index)) for index in (0, 1))
    assert "func twice_0(" in first and "twice_0(" in first and "var sep_0 =" in first
    assert "func twice_1(" in second and "sep_1, 3)" in second


def test_a_copy_of_the_function_under_test_is_removed(codeflash_host: PluginHost) -> None:
    tests = JOIN_REPEAT_TESTS + '\nfunc JoinRepeat(s, sep string, n int) string { return "" }\n'
    code = cleaned(postprocess_tests(codeflash_host, tests))
    assert code.count("func JoinRepeat(") == 0 and "JoinRepeat_0" not in code


def test_benchmarks_examples_and_test_main_go_with_their_imports(codeflash_host: PluginHost) -> None:
    tests = JOIN_REPEAT_TESTS.replace('import "testing"', 'import (\n\t"fmt"\n\t"os"\n\t"testing"\n)') + (
        "\nfunc TestMain(m *testing.M) { os.Exit(m.Run()) }\n"
        '\nfunc BenchmarkJoinRepeat(b *testing.B) { fmt.Sprint(JoinRepeat("a", "b", 9)) }\n'
        '\nfunc ExampleJoinRepeat() { fmt.Println(JoinRepeat("a", "-", 2)) }\n'
    )
    code = cleaned(postprocess_tests(codeflash_host, tests))
    assert "TestMain" not in code and "Benchmark" not in code and "Example" not in code
    assert '"fmt"' not in code and '"os"' not in code


def test_braces_in_strings_are_escaped_for_the_clients_brace_counter(codeflash_host: PluginHost) -> None:
    tests = JOIN_REPEAT_TESTS.replace('t.Fatalf("got %q", got)', 't.Fatalf("got %q, want {", got) // }}}', 1)
    code = cleaned(postprocess_tests(codeflash_host, tests))
    assert 'want \\x7b"' in code
    assert "// )))" in code


@pytest.mark.parametrize(
    ("tests", "reason"),
    [
        (JOIN_REPEAT_TESTS.split("func TestJoinRepeat_Large")[0], "2 test(s) calling JoinRepeat"),
        (
            JOIN_REPEAT_TESTS.replace(
                'import "testing"', 'import (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n)'
            )
            + "\nvar _ = assert.Equal\n",
            "github.com/stretchr/testify/assert",
        ),
        ("package textx\n\nfunc TestJoinRepeat(t *testing.T) {\n", "syntax error"),
    ],
)
def test_unusable_files_are_dropped(codeflash_host: PluginHost, tests: str, reason: str) -> None:
    result = postprocess_tests(codeflash_host, tests)
    assert result.kept == ()
    assert reason in result.dropped[0].reason
