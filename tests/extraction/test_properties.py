"""Property tests: rendering then extracting is the identity; garbage never raises."""

import re
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from codeflash_engine.domain import SourceFile
from codeflash_engine.extraction import (
    CLIENT_MARKDOWN_PATTERN,
    RenderError,
    extract_code,
    parse_markdown_files,
    render_markdown,
)

FAST = settings(deadline=timedelta(milliseconds=500), max_examples=150)

_FENCE_LINE = re.compile(r"^ {0,3}```", re.MULTILINE)
_PATHS = st.from_regex(r"[a-z][a-z0-9_]{0,7}(/[a-z][a-z0-9_]{0,7}){0,2}\.(py|js)", fullmatch=True)
_LINE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20),
    st.sampled_from(["```", "    ```", "~~~", "<code>", "</code>", "````python", "```python:x.py", ""]),
)
_CODE = st.lists(_LINE, max_size=12).map("\n".join)


def _renderable(code: str) -> bool:
    return _FENCE_LINE.search(code) is None


_FILES = st.lists(st.builds(SourceFile, _PATHS, _CODE.filter(_renderable)), max_size=4)


@FAST
@given(_FILES)
def test_render_then_extract_is_the_identity(files: list[SourceFile]) -> None:
    text = render_markdown(files, "python")
    result = extract_code(text)
    assert result.files == tuple(files)
    assert not result.truncated


@FAST
@given(_FILES)
def test_client_regex_reads_back_what_we_render(files: list[SourceFile]) -> None:
    text = render_markdown(files, "python")
    found = [(match.group(2), match.group(3)) for match in CLIENT_MARKDOWN_PATTERN.finditer(text)]
    assert found == [(file.path, file.code) for file in files]
    assert parse_markdown_files(text) == tuple(files)


@FAST
@given(_PATHS, _CODE)
def test_render_refuses_exactly_what_the_client_would_misread(path: str, code: str) -> None:
    try:
        text = render_markdown([SourceFile(path, code)], "python")
    except RenderError:
        assert not _renderable(code)
    else:
        assert parse_markdown_files(text) == (SourceFile(path, code),)


@FAST
@given(
    st.lists(st.one_of(_LINE, st.sampled_from(["```python:a.py", "<code file='a.py'>", "~~~~"])), max_size=40)
)
def test_garbage_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = extract_code(text)
    assert all(isinstance(block.code, str) for block in result.blocks)
    assert isinstance(parse_markdown_files(text), tuple)
