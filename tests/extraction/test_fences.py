"""Code in markdown fences, as CommonMark defines them, with the sloppiness of real replies."""

from codeflash_engine.extraction import ExtractedBlock, extract_code


def test_one_python_fence_with_a_path_and_prose_around() -> None:
    reply = (
        "Here is the faster version:\n\n```python:pkg/slow.py\ndef f():\n    return 1\n```\n\n"
        "It avoids a loop."
    )
    result = extract_code(reply)
    assert result.blocks == (ExtractedBlock("python", "pkg/slow.py", "def f():\n    return 1"),)
    assert not result.truncated
    assert result.problems == ()


def test_language_aliases_are_normalised() -> None:
    tags = {"py": "python", "python3": "python", "js": "javascript", "ts": "typescript", "golang": "go"}
    for tag, language in tags.items():
        assert extract_code(f"```{tag}\nx\n```").blocks[0].language == language


def test_path_without_language_takes_the_language_of_its_extension() -> None:
    block = extract_code("```src/app.ts\nlet x = 1;\n```").blocks[0]
    assert (block.language, block.path) == ("typescript", "src/app.ts")


def test_path_as_a_second_word_or_attribute() -> None:
    assert extract_code("```python a/b.py\nx\n```").blocks[0].path == "a/b.py"
    assert extract_code('```python file="a/b.py"\nx\n```').blocks[0].path == "a/b.py"


def test_several_files_in_order() -> None:
    reply = "```python:a.py\nA = 1\n```\nand\n```python:b.py\nB = 2\n```\n"
    assert [(block.path, block.code) for block in extract_code(reply).blocks] == [
        ("a.py", "A = 1"),
        ("b.py", "B = 2"),
    ]


def test_longer_fence_keeps_inner_triple_backticks() -> None:
    code = 'DOC = """\n```\nexample\n```\n"""'
    reply = f"````python:doc.py\n{code}\n````\n"
    assert extract_code(reply).blocks[0].code == code


def test_tilde_fence_and_closing_fence_longer_than_opening() -> None:
    assert extract_code("~~~python\nx = 1\n```\n~~~~~\n").blocks[0].code == "x = 1\n```"


def test_closing_fence_must_use_the_same_character() -> None:
    result = extract_code("```python\nx = 1\n~~~\n")
    assert result.blocks == ()
    assert result.truncated


def test_unclosed_final_fence_is_truncated_and_never_accepted() -> None:
    result = extract_code("```python:a.py\nok = 1\n```\n```python:b.py\ndef half(")
    assert [block.path for block in result.blocks] == ["a.py"]
    assert result.truncated
    assert any("truncated" in problem for problem in result.problems)


def test_blocks_without_paths_are_dropped_when_others_have_one() -> None:
    reply = "Run:\n```bash\npytest\n```\nCode:\n```python:a.py\nx = 1\n```\n"
    result = extract_code(reply)
    assert [block.path for block in result.blocks] == ["a.py"]
    assert result.problems


def test_blocks_without_paths_are_kept_when_none_has_one() -> None:
    result = extract_code("```python\nx = 1\n```")
    assert result.blocks == (ExtractedBlock("python", None, "x = 1"),)
    assert result.files[0].path is None


def test_filename_on_the_line_before_the_fence() -> None:
    for line in ("a.py", "### a.py", "**a.py**:", "`pkg/a.py`"):
        block = extract_code(f"{line}\n```\nx = 1\n```").blocks[0]
        assert block.path is not None and block.path.endswith("a.py")
        assert block.language == "python"


def test_indented_fence_removes_the_fence_indentation() -> None:
    assert extract_code("  ```python\n  x = 1\n    y = 2\n  ```").blocks[0].code == "x = 1\n  y = 2"


def test_language_filter_drops_other_languages() -> None:
    reply = "```python\nx = 1\n```\n```js\nlet y;\n```"
    result = extract_code(reply, language="py")
    assert [block.language for block in result.blocks] == ["python"]


def test_crlf_reply_gives_lf_code() -> None:
    assert extract_code("```python:a.py\r\nx = 1\r\ny = 2\r\n```\r\n").blocks[0].code == "x = 1\ny = 2"


def test_backtick_fence_info_may_not_contain_backticks() -> None:
    assert extract_code("```py`thon\nx\n```").blocks == ()
