"""Rendering for the client and reading the client's markdown, checked with its published regex."""

import pytest

from codeflash_engine.domain import SourceFile
from codeflash_engine.extraction import (
    CLIENT_MARKDOWN_PATTERN,
    RenderError,
    extract_code,
    parse_markdown_files,
    render_markdown,
)


def test_renders_exactly_the_clients_form() -> None:
    text = render_markdown([SourceFile("pkg/a.py", "x = 1"), SourceFile("b.py", "y = 2")], "python")
    assert text == "```python:pkg/a.py\nx = 1\n```\n```python:b.py\ny = 2\n```"


def test_client_regex_reads_the_rendering_back() -> None:
    files = [
        SourceFile("a.py", 'def f():\n    """\n    ```\n    doc\n    ```\n    """\n'),
        SourceFile("b.py", ""),
    ]
    text = render_markdown(files, "python")
    found = [
        (match.group(1), match.group(2), match.group(3)) for match in CLIENT_MARKDOWN_PATTERN.finditer(text)
    ]
    assert found == [("python", "a.py", files[0].code), ("python", "b.py", "")]
    assert parse_markdown_files(text) == tuple(files)


def test_path_less_block_gets_a_bare_tag() -> None:
    assert render_markdown([SourceFile(None, "x")], "python") == "```python\nx\n```"


def test_code_with_a_fence_line_is_refused() -> None:
    code = 'HELP = """\nUsage:\n```\nrun it\n```\n"""'
    with pytest.raises(RenderError, match="line 3"):
        render_markdown([SourceFile("a.py", code)], "python")
    naive = f"```python:a.py\n{code}\n```"
    match = CLIENT_MARKDOWN_PATTERN.search(naive)
    assert match is not None
    assert match.group(3) == 'HELP = """\nUsage:'  # what the client would have read


def test_bad_tags_and_paths_are_refused() -> None:
    for tag in ("python3.11", "", "c++"):
        with pytest.raises(RenderError):
            render_markdown([SourceFile("a.py", "x")], tag)
    for path in ("/abs/a.py", "C:\\a.py", " a.py", "a\nb.py", ""):
        with pytest.raises(RenderError):
            render_markdown([SourceFile(path, "x")], "python")


def test_extract_reads_our_rendering_back() -> None:
    files = [SourceFile("a.py", "x = 1\n\ny = 2"), SourceFile("lib/b.py", "z = 3")]
    assert extract_code(render_markdown(files, "python")).files == tuple(files)


def test_parse_markdown_files_behaves_like_the_client() -> None:
    assert parse_markdown_files("```python:mypkg/slow.py\ndef f():\n    return 1\n```") == (
        SourceFile("mypkg/slow.py", "def f():\n    return 1"),
    )
    assert parse_markdown_files("```\nx\n```") == ()
    assert parse_markdown_files("```python :a.py\nx\n```") == ()
    assert parse_markdown_files("```python:a.py\nx\n") == ()
    assert parse_markdown_files("```python: a.py \nx\n```") == (SourceFile("a.py", "x"),)
    assert parse_markdown_files("```python:a.py\r\nx\r\n```") == (SourceFile("a.py", "x\r"),)
    assert parse_markdown_files("```python:a.py\nA = '''\n```\n'''\n```") == (SourceFile("a.py", "A = '''"),)
    assert parse_markdown_files("```python\nx\n```") == (SourceFile(None, "x"),)
