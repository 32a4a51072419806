import ast

from codeflash_lang_python.postprocessing.drop_invalid import parse_valid
from codeflash_lang_python.postprocessing.signatures import signature_problem
from codeflash_lang_python.postprocessing.working import OriginalCode, OriginalFile, WorkingCandidate
from pylang_samples import ORIGINAL, PATH, candidate

HELPER = '\n\ndef _square(x):\n    """Square a number."""\n    return x * x\n'


def _problem(code: str, target: str | None = "sum_of_squares") -> str | None:
    original = OriginalCode({PATH: OriginalFile(PATH, ORIGINAL, ast.parse(ORIGINAL))}, target)
    parsed = parse_valid(candidate(code), None)
    assert isinstance(parsed, WorkingCandidate)
    return signature_problem(parsed, original)


def test_same_signature_passes() -> None:
    assert _problem("def sum_of_squares(n):\n    return n * (n - 1) * (2 * n - 1) // 6\n") is None


def test_added_parameter_is_rejected() -> None:
    assert (
        _problem("def sum_of_squares(n, cache=None):\n    return 0\n")
        == "changes the signature of sum_of_squares"
    )


def test_renamed_parameter_is_rejected() -> None:
    assert _problem("def sum_of_squares(count):\n    return 0\n") == "changes the signature of sum_of_squares"


def test_async_is_part_of_the_signature() -> None:
    assert (
        _problem("async def sum_of_squares(n):\n    return 0\n") == "changes the signature of sum_of_squares"
    )


def test_return_annotation_is_part_of_the_signature() -> None:
    assert (
        _problem("def sum_of_squares(n) -> int:\n    return 0\n") == "changes the signature of sum_of_squares"
    )


def test_parameter_annotations_alone_are_accepted() -> None:
    assert _problem("def sum_of_squares(n: int):\n    return 0\n") is None


def test_changed_helper_signature_is_rejected() -> None:
    code = "def _square(x, y=2):\n    return x**y\n\n\ndef sum_of_squares(n):\n    return 0\n"
    assert _problem(code) == "changes the signature of _square"


def test_new_helper_may_have_any_signature() -> None:
    assert (
        _problem("def _fast(n, *, k=1):\n    return n\n\n\ndef sum_of_squares(n):\n    return _fast(n)\n")
        is None
    )


def test_missing_target_is_rejected() -> None:
    assert _problem("def _square(x):\n    return x * x\n") == "the target function sum_of_squares is missing"


def test_without_a_target_some_original_function_must_be_replaced() -> None:
    assert (
        _problem("def unrelated():\n    return 1\n", target=None)
        == "defines none of the original's functions"
    )
    assert _problem(HELPER, target=None) is None
