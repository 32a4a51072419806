"""Format detection and whole-file replies."""

import pytest

from codeflash_engine.diff import EditApplyError, EditFormat, MatchKind, apply_edits, detect_format


def test_detects_each_format() -> None:
    assert detect_format("x\n*** Begin Patch\n*** End Patch") is EditFormat.V4A
    assert detect_format("a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE") is EditFormat.SEARCH_REPLACE
    assert detect_format("```python:a.py\nx\n```") is EditFormat.WHOLE_FILE


def test_apply_edits_dispatches_to_v4a_and_search_replace() -> None:
    files = {"a.py": "x = 1\n"}
    v4a = apply_edits(files, "*** Begin Patch\n*** Update File: a.py\n@@\n-x = 1\n+x = 2\n*** End Patch")
    assert (v4a.format, v4a.files["a.py"]) == (EditFormat.V4A, "x = 2\n")
    sr = apply_edits(files, "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 3\n>>>>>>> REPLACE\n")
    assert (sr.format, sr.files["a.py"]) == (EditFormat.SEARCH_REPLACE, "x = 3\n")


def test_whole_files_replace_by_path_and_add_new_ones() -> None:
    files = {"pkg/a.py": "old\n", "pkg/b.py": "keep\n"}
    result = apply_edits(files, "```python:pkg/a.py\nnew\n```\n```python:pkg/c.py\nadded\n```")
    assert result.files == {"pkg/a.py": "new\n", "pkg/b.py": "keep\n", "pkg/c.py": "added\n"}
    assert result.added == ("pkg/c.py",)
    assert result.modified == ("pkg/a.py",)
    assert [match.kind for match in result.matches] == [MatchKind.WHOLE_FILE, MatchKind.NEW_FILE]


def test_whole_file_without_path_needs_a_single_file() -> None:
    assert apply_edits({"a.py": "x\n"}, "```python\ny\n```").files["a.py"] == "y\n"
    with pytest.raises(EditApplyError, match="names no file"):
        apply_edits({"a.py": "x\n", "b.py": ""}, "```python\ny\n```")


def test_whole_file_keeps_crlf_and_missing_final_newline() -> None:
    assert apply_edits({"w.py": "a\r\nb\r\n"}, "```python:w.py\nc\nd\n```").files["w.py"] == "c\r\nd\r\n"
    assert apply_edits({"n.py": "a"}, "```python:n.py\nb\n```").files["n.py"] == "b"


def test_whole_file_in_code_tags() -> None:
    result = apply_edits({"a.py": "x\n"}, '<code file="a.py">\ny = 1\ny += 1\n</code>')
    assert result.files["a.py"] == "y = 1\ny += 1\n"


def test_truncated_whole_file_reply_is_refused() -> None:
    with pytest.raises(EditApplyError, match="truncated"):
        apply_edits({"a.py": "x\n"}, "```python:a.py\ndef f(")


def test_two_blocks_for_one_file_are_refused() -> None:
    with pytest.raises(EditApplyError, match="two code blocks"):
        apply_edits({"a.py": "x\n"}, "```python:a.py\n1\n```\n```python:a.py\n2\n```")


def test_reply_without_code_is_refused() -> None:
    with pytest.raises(EditApplyError, match="no code block"):
        apply_edits({"a.py": "x\n"}, "I think the code is already optimal.")
