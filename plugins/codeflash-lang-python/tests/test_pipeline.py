import pytest
from codeflash_lang_python.plugin import postprocess
from codeflash_lang_python.testgen import INSTRUMENTED_BEHAVIOR_TESTS
from pylang_samples import ORIGINAL, PATH, RequestFactory, candidate

from codeflash_engine.domain import Candidate, SourceFile, Task
from codeflash_engine.extraction import CLIENT_MARKDOWN_PATTERN, render_markdown

FULL_FILE_REPLY = '''import math
from collections import Counter
import pytest


def _square(x):
    # square it
    return x*x


def describe(values):
    counts = Counter(values)
    return {key: math.sqrt(count) for key, count in counts.items()}


def sum_of_squares(n):
    """Closed form: 0^2 + ... + (n-1)^2."""
    if n <= 0:
        return 0
    return (n - 1) * n * (2 * n - 1) // 6


def test_sum_of_squares():
    assert sum_of_squares(4) == 14


if __name__ == "__main__":
    print(sum_of_squares(10))
'''

EXPECTED = '''def sum_of_squares(n):
    """Closed form: 0^2 + ... + (n-1)^2."""
    if n <= 0:
        return 0
    return (n - 1) * n * (2 * n - 1) // 6
'''


def test_full_file_reply_is_reduced_to_the_changed_function(make_request: RequestFactory) -> None:
    result = postprocess(make_request(), [candidate(FULL_FILE_REPLY)])
    (kept,) = result.kept
    assert kept.files == (SourceFile(PATH, EXPECTED),)
    assert result.dropped == ()


def test_every_drop_is_counted_with_its_step(make_request: RequestFactory) -> None:
    renamed_local = EXPECTED.replace("return (n - 1)", "result = (n - 1)") + "    return result\n"
    renamed_again = renamed_local.replace("result", "value")
    candidates = [
        candidate("def sum_of_squares(n):\n    return (n - 1) * n * (2 * n - 1) //\n", "broken"),
        candidate("def sum_of_squares(n, memo=None):\n    return 0\n", "signature"),
        candidate(ORIGINAL.replace("total", "acc"), "same"),
        candidate(renamed_local, "first"),
        candidate("# a comment\n" + renamed_again, "second"),
    ]
    result = postprocess(make_request(), candidates)
    assert [kept.candidate_id for kept in result.kept] == ["first"]
    assert {(dropped.candidate_id, dropped.step) for dropped in result.dropped} == {
        ("broken", "validate"),
        ("signature", "signature"),
        ("same", "deduplicate"),
        ("second", "deduplicate"),
    }


def test_among_duplicates_the_smallest_diff_is_kept(make_request: RequestFactory) -> None:
    close = (
        "def sum_of_squares(n):\n    total = 0\n    for i in range(n):\n"
        "        total += _square(i)\n    return total\n"
    )
    far = "def sum_of_squares(n):\n    t = 0\n    for i in range(n):\n        t += _square(i)\n    return t\n"
    result = postprocess(make_request(), [candidate(far, "far"), candidate(close, "close")])
    assert [kept.candidate_id for kept in result.kept] == ["close"]


def test_refinement_equal_to_the_refined_candidate_is_dropped(make_request: RequestFactory) -> None:
    request = make_request(task=Task.REFINE, optimized_source_code=f"```python:{PATH}\n{EXPECTED}```")
    result = postprocess(
        request, [candidate(EXPECTED.replace('    """Closed form: 0^2 + ... + (n-1)^2."""\n', ""))]
    )
    assert result.kept == ()
    assert result.dropped[0].reason == "same code as the candidate being refined"


def test_312_syntax_is_dropped_for_a_39_client(make_request: RequestFactory) -> None:
    code = "type Number = int\n\n\ndef sum_of_squares(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n"
    result = postprocess(make_request(language_version="3.9.18"), [candidate(code)])
    assert result.kept == ()
    assert result.dropped[0].step == "validate"


def test_hostile_candidates_are_dropped_not_crashing(make_request: RequestFactory) -> None:
    nested = "x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n"
    concatenation = "x = " + " + ".join(['"ab"'] * 1_000_000) + "\n"
    chain = "x = " + " + ".join(['"ab"'] * 3_000) + "\n"
    result = postprocess(
        make_request(), [candidate(code, str(i)) for i, code in enumerate((nested, concatenation, chain))]
    )
    assert result.kept == ()
    assert [dropped.step for dropped in result.dropped] == ["validate"] * 3


def test_output_survives_the_clients_regex(make_request: RequestFactory) -> None:
    two_files = (
        SourceFile(PATH, ORIGINAL),
        SourceFile("mypkg/util.py", "def helper(x):\n    return x + 1\n"),
    )
    request = make_request(files=two_files)
    reply = Candidate(
        "c1",
        (SourceFile("mypkg/util.py", "def helper(x):\n    return 1 + x\n"), SourceFile(PATH, EXPECTED)),
    )
    (kept,) = postprocess(request, [reply]).kept
    markdown = render_markdown(kept.files, "python")
    parsed = [
        (match.group(1), match.group(2), match.group(3))
        for match in CLIENT_MARKDOWN_PATTERN.finditer(markdown)
    ]
    assert parsed == [("python", file.path, file.code) for file in kept.files]
    for _, path, code in parsed:
        compile(code, str(path), "exec")


@pytest.mark.parametrize("task", [Task.TESTGEN, Task.TESTGEN_REPAIR])
def test_testgen_tasks_go_to_the_testgen_package(make_request: RequestFactory, task: Task) -> None:
    request = make_request(task=task, module_path="mypkg.slow", test_module_path="tests.test_slow")
    tests = "def test_x():\n    assert sum_of_squares(3) == 5\n"
    (kept,) = postprocess(request, [candidate(tests, path="tests/test_slow.py")]).kept
    assert "from mypkg.slow import sum_of_squares" in kept.files[0].code
    assert "_codeflash_call(" in kept.artifacts[INSTRUMENTED_BEHAVIOR_TESTS]
