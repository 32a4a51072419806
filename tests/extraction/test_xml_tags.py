"""Code in XML-style tags, as Anthropic-style prompts request it."""

from codeflash_engine.extraction import ExtractedBlock, extract_code


def test_plain_code_tag() -> None:
    reply = "Sure.\n<code>\ndef f():\n    return 1\n</code>\nDone."
    assert extract_code(reply).blocks == (ExtractedBlock(None, None, "def f():\n    return 1"),)


def test_file_attribute_sets_path_and_language() -> None:
    block = extract_code('<code file="pkg/a.py">\nx = 1\ny = 2\n</code>').blocks[0]
    assert (block.language, block.path, block.code) == ("python", "pkg/a.py", "x = 1\ny = 2")


def test_named_tags_such_as_optimized_code() -> None:
    block = extract_code("<optimized_code language='py'>\nx = 1\ny = 2\n</optimized_code>").blocks[0]
    assert (block.language, block.code) == ("python", "x = 1\ny = 2")


def test_fence_inside_the_tag_is_unwrapped() -> None:
    reply = '<code file="a.py">\n```python\nx = 1\n```\n</code>'
    assert extract_code(reply).blocks == (ExtractedBlock("python", "a.py", "x = 1"),)


def test_html_escaped_body_is_unescaped() -> None:
    reply = "<code>\nif a &lt; b and c &gt; d:\n    s = &quot;&amp;&quot;\n</code>"
    assert extract_code(reply).blocks[0].code == 'if a < b and c > d:\n    s = "&"'


def test_raw_body_with_comparisons_is_left_alone() -> None:
    reply = "<code>\nif a < b:\n    s = '&lt;'\n</code>"
    assert extract_code(reply).blocks[0].code == "if a < b:\n    s = '&lt;'"


def test_several_tags_are_several_files() -> None:
    reply = '<code file="a.py">\nA = 1\nA += 1\n</code>\n<code file="b.py">\nB = 2\nB += 1\n</code>'
    assert [block.path for block in extract_code(reply).blocks] == ["a.py", "b.py"]


def test_tags_win_over_fences_outside_them() -> None:
    reply = "Example:\n```python\nold = 1\n```\n<code>\nnew = 1\nnew += 1\n</code>"
    assert [block.code for block in extract_code(reply).blocks] == ["new = 1\nnew += 1"]


def test_closing_tag_inside_a_string_is_not_the_end() -> None:
    reply = '<code>\nhtml = "<code>x</code>"\nreturn html\n</code>'
    assert extract_code(reply).blocks[0].code == 'html = "<code>x</code>"\nreturn html'


def test_tags_inside_fenced_code_are_code() -> None:
    reply = '```python:t.py\nT = """\n<code>\nraw\n</code>\n"""\n```'
    assert extract_code(reply).blocks == (
        ExtractedBlock("python", "t.py", 'T = """\n<code>\nraw\n</code>\n"""'),
    )


def test_inline_code_in_prose_is_not_a_file() -> None:
    reply = "I changed <code>total</code> to a generator:\n```python:a.py\nx = 1\n```"
    assert [block.path for block in extract_code(reply).blocks] == ["a.py"]


def test_unclosed_tag_is_truncated() -> None:
    result = extract_code("<code>\ndef f():\n    return")
    assert result.blocks == ()
    assert result.truncated


def test_unclosed_tag_counts_as_closed_after_a_stop_sequence() -> None:
    result = extract_code("<code>\ndef f():\n    return 1\n", closed_by_stop_sequence=True)
    assert result.blocks[0].code == "def f():\n    return 1"
    assert not result.truncated


def test_tag_on_the_same_line_as_code() -> None:
    assert extract_code("<code>x = 1\ny = 2</code>").blocks[0].code == "x = 1\ny = 2"
