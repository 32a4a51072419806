import time

from codeflash_lang_python.validation import MAX_AST_DEPTH, check_source, validate_files

from codeflash_engine.domain import SourceFile


def test_valid_code_has_no_diagnostics() -> None:
    assert validate_files([SourceFile("a.py", "def f(x):\n    return x\n")], "3.9.18") == []


def test_compile_rejects_what_the_parser_accepts() -> None:
    (diagnostic,) = check_source("x = 1\nreturn x\n", "a.py", None).diagnostics
    assert "outside function" in diagnostic.message
    assert (diagnostic.path, diagnostic.line) == ("a.py", 2)


def test_syntax_error_has_line_and_column() -> None:
    (diagnostic,) = check_source("def f(:\n    pass\n", "a.py", None).diagnostics
    assert (diagnostic.line, diagnostic.column) == (1, 7)


def test_match_statement_rejected_for_a_python_39_client() -> None:
    code = "def f(x):\n    match x:\n        case 1:\n            return 0\n    return 1\n"
    (diagnostic,) = check_source(code, "a.py", "3.9.18").diagnostics
    assert "Python 3.9" in diagnostic.message
    assert diagnostic.line is not None


def test_match_statement_accepted_for_a_python_310_client() -> None:
    code = "def f(x):\n    match x:\n        case 1:\n            return 0\n    return 1\n"
    assert check_source(code, "a.py", "3.10.2").diagnostics == ()


def test_python_312_generics_rejected_for_a_python_39_client() -> None:
    (diagnostic,) = check_source(
        "def first[T](items: list[T]) -> T:\n    return items[0]\n", "a.py", "3.9.1"
    ).diagnostics
    assert diagnostic.line == 1


def test_parenthesized_context_managers_rejected_for_python_38() -> None:
    code = "with (open('a') as f, open('b') as g):\n    pass\n"
    assert check_source(code, "a.py", "3.8.10").diagnostics
    assert check_source(code, "a.py", "3.11.0").diagnostics == ()


def test_line_starting_with_backticks_would_break_the_client_fence() -> None:
    (diagnostic,) = check_source('DOC = """\n```\n"""\n', "a.py", None).diagnostics
    assert diagnostic.line == 2


def test_hundred_thousand_nested_parentheses_give_a_diagnostic() -> None:
    code = "x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n"
    assert check_source(code, "a.py", None).tree is None


def test_five_megabyte_concatenation_gives_a_diagnostic_quickly() -> None:
    code = "x = " + " + ".join(['"ab"'] * 1_000_000) + "\n"
    start = time.perf_counter()
    (diagnostic,) = check_source(code, "a.py", None).diagnostics
    assert "larger than" in diagnostic.message
    assert time.perf_counter() - start < 1.0


def test_long_chain_under_the_size_limit_is_refused_before_libcst() -> None:
    code = "x = " + " + ".join(['"ab"'] * 4_000) + "\n"
    (diagnostic,) = check_source(code, "a.py", None).diagnostics
    assert "nested" in diagnostic.message or "RecursionError" in diagnostic.message


def test_depth_limit_allows_realistic_nesting() -> None:
    code = "x = " + " + ".join(["1"] * (MAX_AST_DEPTH // 2)) + "\n"
    assert check_source(code, "a.py", None).tree is not None


def test_nul_byte_is_a_diagnostic() -> None:
    (diagnostic,) = check_source("x = 1\x00\n", "a.py", None).diagnostics
    assert diagnostic.path == "a.py"
