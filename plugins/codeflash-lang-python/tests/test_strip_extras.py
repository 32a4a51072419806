import ast

from codeflash_lang_python.postprocessing.render import render_file
from codeflash_lang_python.postprocessing.strip_extras import is_main_guard, strip_extras
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile
from pylang_samples import ORIGINAL, PATH


def _strip(code: str, original_code: str = ORIGINAL) -> str:
    original = OriginalFile(PATH, original_code, ast.parse(original_code))
    return render_file(strip_extras(WorkingFile(PATH, code, ast.parse(code)), original)).code


FAST = "def sum_of_squares(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n"


def test_main_block_test_function_prints_and_example_calls_are_stripped() -> None:
    code = (
        FAST
        + "\n\ndef test_sum_of_squares():\n    assert sum_of_squares(3) == 5\n"
        + (
            "\n\nclass TestSum(unittest.TestCase):\n    def test_zero(self):\n"
            "        self.assertEqual(sum_of_squares(0), 0)\n"
        )
        + '\n\nif __name__ == "__main__":\n    print(sum_of_squares(10))\n'
        + (
            "\nprint('debug', sum_of_squares(4))\nsum_of_squares(5)\nresult = sum_of_squares(6)\n"
            "assert result == 55\n"
        )
        + "for n in range(3):\n    print(n, sum_of_squares(n))\n"
    )
    assert _strip(code) == FAST


def test_precomputed_table_and_compiled_regex_stay() -> None:
    code = "import re\n_WORD = re.compile(r'\\w+')\n_SQUARES = [i * i for i in range(1000)]\n\n\n" + FAST
    assert _strip(code) == code


def test_statements_the_original_has_stay() -> None:
    original = (
        "import logging\nlogging.basicConfig()\n\n\ndef main():\n    return 1\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    assert _strip(original, original) == original


def test_main_guard_is_recognized_either_way_round() -> None:
    assert is_main_guard(ast.parse("if '__main__' == __name__:\n    pass\n").body[0])
    assert not is_main_guard(ast.parse("if __name__ == 'mypkg':\n    pass\n").body[0])


def test_semicolon_separated_debug_print_is_removed_alone() -> None:
    code = FAST + "_CACHE = {}; print(_CACHE)\n"
    assert _strip(code) == FAST + "_CACHE = {}; \n" or _strip(code) == FAST + "_CACHE = {};\n"
