"""SEARCH/REPLACE behaviours re-authored from what aider's editblock tests cover."""

import pytest

from codeflash_engine.diff import EditApplyError, EditLimits, MatchKind, apply_search_replace

CODE = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n"


def block(search: str, replace: str, marker: int = 7) -> str:
    return f"{'<' * marker} SEARCH\n{search}{'=' * marker}\n{replace}{'>' * marker} REPLACE\n"


def test_filename_above_the_fence() -> None:
    reply = "calc.py\n```python\n" + block("    return a + b\n", "    return b + a\n") + "```\n"
    result = apply_search_replace({"calc.py": CODE}, reply)
    assert "return b + a" in result.files["calc.py"]
    assert result.matches[0].kind is MatchKind.EXACT
    assert result.matches[0].line == 2


def test_filename_inside_the_fence() -> None:
    reply = "```\ncalc.py\n" + block("    return a * b\n", "    return b * a\n") + "```\n"
    assert "return b * a" in apply_search_replace({"calc.py": CODE, "other.py": ""}, reply).files["calc.py"]


def test_filename_on_the_fence_info_string() -> None:
    reply = "```python:pkg/calc.py\n" + block("    return a * b\n", "    return b * a\n") + "```\n"
    result = apply_search_replace({"pkg/calc.py": CODE, "other.py": ""}, reply)
    assert "return b * a" in result.files["pkg/calc.py"]


def test_decorated_filename_lines() -> None:
    reply = "### `calc.py`\n```python\n" + block("    return a * b\n", "    return a * b * 1\n") + "```\n"
    assert "a * b * 1" in apply_search_replace({"calc.py": CODE, "x.py": ""}, reply).files["calc.py"]


def test_several_blocks_with_prose_between_and_an_inherited_filename() -> None:
    reply = (
        "First:\n\ncalc.py\n```python\n"
        + block("    return a + b\n", "    return a - b\n")
        + "```\n...then the other one...\n```python\n"
        + block("    return a * b\n", "    return a / b\n")
        + "```\n"
    )
    result = apply_search_replace({"calc.py": CODE, "x.py": ""}, reply)
    assert "return a - b" in result.files["calc.py"]
    assert "return a / b" in result.files["calc.py"]
    assert [match.hunk for match in result.matches] == [1, 2]


def test_blocks_apply_to_the_text_left_by_earlier_blocks() -> None:
    reply = block("    return a + b\n", "    total = a + b\n    return total\n") + block(
        "    return total\n", "    return int(total)\n"
    )
    assert "return int(total)" in apply_search_replace({"calc.py": CODE}, reply).files["calc.py"]


def test_marker_lengths_five_to_nine_and_a_stray_angle() -> None:
    for marker in (5, 9):
        reply = block("    return a + b\n", "    return 0\n", marker)
        assert "return 0" in apply_search_replace({"calc.py": CODE}, reply).files["calc.py"]
    reply = "<<<<<<< SEARCH>\n    return a + b\n=======\n    return 1\n>>>>>>> REPLACE\n"
    assert "return 1" in apply_search_replace({"calc.py": CODE}, reply).files["calc.py"]


def test_without_filename_and_several_files_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="names no file"):
        apply_search_replace({"a.py": "x\n", "b.py": "y\n"}, block("x\n", "z\n"))


def test_a_single_file_needs_no_filename() -> None:
    assert apply_search_replace({"a.py": "x\n"}, block("x\n", "z\n")).files["a.py"] == "z\n"


def test_unclosed_block_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="truncated"):
        apply_search_replace({"a.py": "x\n"}, "<<<<<<< SEARCH\nx\n=======\nz\n")
    with pytest.raises(EditApplyError, match="======="):
        apply_search_replace({"a.py": "x\n"}, "<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n")


def test_no_final_newline_in_the_reply() -> None:
    reply = block("x\n", "z\n").rstrip("\n")
    assert apply_search_replace({"a.py": "x\n"}, reply).files["a.py"] == "z\n"


def test_empty_search_creates_a_new_file_next_to_others() -> None:
    reply = "pkg/util.py\n```python\n" + block("", "def helper():\n    return 1\n") + "```\n"
    result = apply_search_replace({"pkg/main.py": "import util\n"}, reply)
    assert result.files["pkg/util.py"] == "def helper():\n    return 1\n"
    assert result.added == ("pkg/util.py",)
    assert result.matches[0].kind is MatchKind.NEW_FILE


def test_empty_search_appends_to_an_existing_file() -> None:
    result = apply_search_replace({"a.py": "x = 1\n"}, "a.py\n" + block("", "y = 2\n"))
    assert result.files["a.py"] == "x = 1\ny = 2\n"
    assert result.matches[0].kind is MatchKind.INSERTION


def test_trailing_whitespace_is_ignored() -> None:
    result = apply_search_replace({"a.py": "x = 1  \ny = 2\n"}, block("x = 1\ny = 2\n", "x = 3\n"))
    assert result.files["a.py"] == "x = 3\n"
    assert result.matches[0].kind is MatchKind.TRAILING_WHITESPACE


def test_missing_leading_whitespace_is_restored_on_the_replacement() -> None:
    result = apply_search_replace(
        {"calc.py": CODE}, block("return a * b\n", "result = a * b\nreturn result\n")
    )
    assert result.files["calc.py"].endswith("    result = a * b\n    return result\n")
    assert result.matches[0].kind is MatchKind.INDENTATION


def test_extra_leading_whitespace_is_removed_from_the_replacement() -> None:
    search = "        def add(a, b):\n            return a + b\n"
    replace = "        def add(a, b):\n            # faster\n            return a + b\n"
    result = apply_search_replace({"calc.py": CODE}, block(search, replace))
    assert result.files["calc.py"].startswith("def add(a, b):\n    # faster\n    return a + b\n")


def test_indentation_shift_with_a_blank_line_inside() -> None:
    text = "class K:\n    def f(self):\n        a = 1\n\n        return a\n"
    search = "def f(self):\n    a = 1\n\n    return a\n"
    replace = "def f(self):\n    return 1\n"
    result = apply_search_replace({"k.py": text}, block(search, replace))
    assert result.files["k.py"] == "class K:\n    def f(self):\n        return 1\n"


def test_non_uniform_indentation_does_not_match() -> None:
    text = "if x:\n    a()\n    b()\n"
    with pytest.raises(EditApplyError, match="not found"):
        apply_search_replace({"k.py": text}, block("a()\n  b()\n", "c()\n"))


def test_leading_blank_line_in_search_is_tolerated() -> None:
    result = apply_search_replace(
        {"calc.py": CODE},
        block("\ndef mul(a, b):\n    return a * b\n", "\ndef mul(a, b):\n    return b * a\n"),
    )
    assert result.files["calc.py"].endswith("\n\ndef mul(a, b):\n    return b * a\n")


def test_ellipsis_stands_for_unchanged_lines() -> None:
    search = "def add(a, b):\n...\ndef mul(a, b):\n"
    replace = "def add(a: int, b: int):\n...\ndef mul(a: int, b: int):\n"
    result = apply_search_replace({"calc.py": CODE}, block(search, replace))
    assert result.files["calc.py"] == CODE.replace("(a, b)", "(a: int, b: int)")
    assert result.matches[0].kind is MatchKind.ELISION


def test_ambiguous_search_is_an_error_unless_first_match() -> None:
    text = "x = 1\ny = 2\nx = 1\n"
    with pytest.raises(EditApplyError, match=r"more than one place \(lines 1 and 3\)"):
        apply_search_replace({"a.py": text}, block("x = 1\n", "x = 5\n"))
    result = apply_search_replace({"a.py": text}, block("x = 1\n", "x = 5\n"), first_match=True)
    assert result.files["a.py"] == "x = 5\ny = 2\nx = 1\n"


def test_ambiguous_after_indentation_shift_is_an_error() -> None:
    text = "def f():\n    return 1\ndef g():\n        return 1\n"
    with pytest.raises(EditApplyError, match="more than one place"):
        apply_search_replace({"a.py": text}, block("  return 1\n", "  return 2\n"))


def test_not_found_names_file_block_and_nearest_lines() -> None:
    with pytest.raises(EditApplyError) as caught:
        apply_search_replace(
            {"calc.py": CODE}, "calc.py\n" + block("def mul(a, b):\n    return a ** b\n", "pass\n")
        )
    error = caught.value
    assert (error.path, error.hunk) == ("calc.py", 1)
    assert "def mul(a, b):" in str(error)
    assert any("return a * b" in line for _, line in error.nearest)


def test_already_applied_block_is_recognised() -> None:
    with pytest.raises(EditApplyError, match="already in the file"):
        apply_search_replace({"calc.py": CODE}, block("    return a - b\n", "    return a * b\n"))


def test_failure_in_a_later_block_changes_nothing() -> None:
    files = {"calc.py": CODE}
    reply = block("    return a + b\n", "    return 0\n") + block("nowhere\n", "x\n")
    with pytest.raises(EditApplyError) as caught:
        apply_search_replace(files, reply)
    assert caught.value.hunk == 2
    assert files == {"calc.py": CODE}


def test_quadruple_backtick_fence_with_language_tags() -> None:
    for tag in ("python", "sh", "csharp", "text"):
        reply = f"calc.py\n````{tag}\n" + block("    return a + b\n", "    return 7\n") + "````\n"
        assert "return 7" in apply_search_replace({"calc.py": CODE}, reply).files["calc.py"]


def test_crlf_file_and_crlf_reply() -> None:
    reply = block("b\n", "B\n").replace("\n", "\r\n")
    assert apply_search_replace({"w.txt": "a\r\nb\r\n"}, reply).files["w.txt"] == "a\r\nB\r\n"


def test_bogus_directory_prefix_resolves_to_the_unique_file() -> None:
    reply = "src/project/calc.py\n" + block("    return a + b\n", "    return 9\n")
    result = apply_search_replace({"project/calc.py": CODE, "x.py": ""}, reply)
    assert "return 9" in result.files["project/calc.py"]


def test_unknown_file_with_non_empty_search_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="file not found"):
        apply_search_replace({"a.py": "x\n"}, "b.py\n" + block("x\n", "y\n"))


def test_limits_are_enforced() -> None:
    with pytest.raises(EditApplyError, match="limit of 1"):
        apply_search_replace(
            {"a.py": "x\ny\n"}, block("x\n", "1\n") + block("y\n", "2\n"), limits=EditLimits(max_blocks=1)
        )
    with pytest.raises(EditApplyError, match="larger than the limit"):
        apply_search_replace({"a.py": "x\n" * 100}, block("x\n", "1\n"), limits=EditLimits(max_file_bytes=50))
    with pytest.raises(EditApplyError, match="longer than the limit"):
        apply_search_replace({"a.py": "x\n"}, block("x\n" * 3, "1\n"), limits=EditLimits(max_pattern_lines=2))


def test_a_reply_without_blocks_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="no SEARCH/REPLACE"):
        apply_search_replace({"a.py": "x\n"}, "I could not find anything to change.")
