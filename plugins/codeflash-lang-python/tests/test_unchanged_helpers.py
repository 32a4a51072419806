import ast

from codeflash_lang_python.postprocessing.render import render_file
from codeflash_lang_python.postprocessing.unchanged_helpers import remove_unchanged_definitions
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile
from pylang_samples import ORIGINAL, PATH

FAST = "def sum_of_squares(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n"
REFORMATTED_DESCRIBE = (
    "def describe(values):\n    # count first\n    tally = Counter( values )\n"
    "    return {key: math.sqrt(count) for key, count in tally.items()}\n"
)


def _trim(code: str, original_code: str = ORIGINAL, target: str | None = "sum_of_squares") -> tuple[str, int]:
    original = OriginalFile(PATH, original_code, ast.parse(original_code))
    trimmed, changed = remove_unchanged_definitions(
        WorkingFile(PATH, code, ast.parse(code)), original, target
    )
    return render_file(trimmed).code, changed


def test_reformatted_helper_with_renamed_locals_is_removed() -> None:
    code, changed = _trim(
        "import math\nfrom collections import Counter\n\n\n" + REFORMATTED_DESCRIBE + "\n\n" + FAST
    )
    assert code == "import math\nfrom collections import Counter\n\n\n" + FAST
    assert changed == 1


def test_helper_with_only_a_new_docstring_is_removed() -> None:
    code, _ = _trim('def _square(x):\n    """Return x squared."""\n    return x * x\n\n\n' + FAST)
    assert code == FAST


def test_changed_and_new_helpers_stay() -> None:
    source = "def _square(x):\n    return x ** 2\n\n\ndef _closed_form(n):\n    return n\n\n\n" + FAST
    code, changed = _trim(source)
    assert code == source
    assert changed == 3


def test_unchanged_target_stays_and_counts_as_no_change() -> None:
    source = (
        "def sum_of_squares(n):\n    total = 0\n    for i in range(n):\n"
        "        total = total + _square(i)\n    return total\n"
    )
    code, changed = _trim(source)
    assert code == source
    assert changed == 0


def test_unchanged_methods_of_a_changed_class_are_removed() -> None:
    original = (
        "class Stats:\n    def mean(self, xs):\n        return sum(xs) / len(xs)\n\n"
        "    def total(self, xs):\n        return sum(xs)\n"
    )
    source = (
        "class Stats:\n    def mean(self, xs):\n        return sum(xs) / len(xs)\n\n"
        "    def total(self, xs):\n        return math.fsum(xs)\n"
    )
    code, changed = _trim(source, original, target="Stats.total")
    assert code == "class Stats:\n    def total(self, xs):\n        return math.fsum(xs)\n"
    assert changed == 1
