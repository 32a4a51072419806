"""Property tests: edits derived from random before/after pairs, and random garbage."""

from datetime import timedelta
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from codeflash_engine.diff import (
    EditApplyError,
    EditResult,
    apply_edits,
    apply_search_replace,
    apply_v4a,
)

FAST = settings(deadline=timedelta(milliseconds=500), max_examples=150)

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=12)


@st.composite
def before_after(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Two versions of a file whose lines are all distinct, so every derived edit is unambiguous."""
    before = [f"b{number} {text}" for number, text in enumerate(draw(st.lists(_TEXT, max_size=25)))]
    after: list[str] = []
    new = 0
    for line in [*before, None]:
        for text in draw(st.lists(_TEXT, max_size=3)) if draw(st.booleans()) else []:
            after.append(f"n{new} {text}")
            new += 1
        if line is not None and draw(st.integers(0, 3)):
            after.append(line)
    return before, after


def _text(lines: list[str], eol: str) -> str:
    return "".join(line + eol for line in lines)


def search_replace_reply(before: list[str], after: list[str]) -> str:
    blocks = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        prefix, suffix = before[max(0, i1 - 1) : i1], before[i2 : i2 + 1]
        search = [*prefix, *before[i1:i2], *suffix]
        replace = [*prefix, *after[j1:j2], *suffix]
        blocks.append(
            "f.txt\n```\n<<<<<<< SEARCH\n"
            + _text(search, "\n")
            + "=======\n"
            + _text(replace, "\n")
            + ">>>>>>> REPLACE\n```\n"
        )
    return "Changes:\n\n" + "\n".join(blocks)


def v4a_patch(before: list[str], after: list[str]) -> str:
    lines = ["*** Begin Patch", "*** Update File: f.txt"]
    for group in SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(3):
        lines.append("@@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(" " + line for line in before[i1:i2])
                continue
            lines.extend("-" + line for line in before[i1:i2])
            lines.extend("+" + line for line in after[j1:j2])
    lines.append("*** End Patch")
    return "\n".join(lines) + "\n"


@FAST
@given(before_after(), st.sampled_from(["\n", "\r\n"]))
def test_search_replace_from_a_diff_reproduces_the_after_text(
    pair: tuple[list[str], list[str]], eol: str
) -> None:
    before, after = pair
    if before == after:
        return
    eol = eol if before else "\n"  # an empty file has no line ending to keep
    result = apply_search_replace({"f.txt": _text(before, eol)}, search_replace_reply(before, after))
    assert result.files["f.txt"] == _text(after, eol)
    assert result.fuzz == 0


@FAST
@given(before_after(), st.sampled_from(["\n", "\r\n"]))
def test_v4a_from_a_diff_reproduces_the_after_text(pair: tuple[list[str], list[str]], eol: str) -> None:
    before, after = pair
    eol = eol if before else "\n"  # an empty file has no line ending to keep
    result = apply_v4a({"f.txt": _text(before, eol)}, v4a_patch(before, after))
    assert result.files["f.txt"] == _text(after, eol)


_VOCABULARY = [
    "*** Begin Patch",
    "*** End Patch",
    "*** Update File: a.py",
    "*** Add File: b.py",
    "*** Delete File: a.py",
    "*** Move to: c.py",
    "*** End of File",
    "@@",
    "@@ def f():",
    "<<<<<<< SEARCH",
    "=======",
    ">>>>>>> REPLACE",
    "```python:a.py",
    "```",
    "a.py",
    "<code>",
    "</code>",
    "...",
    "-x = 1",
    "+x = 2",
    " def f():",
    "x = 1",
    "def f():",
    "    return 1",
    "",
]
_LINES = st.lists(st.one_of(st.sampled_from(_VOCABULARY), _TEXT), max_size=30).map("\n".join)


def _applies_or_refuses(files: dict[str, str], reply: str) -> None:
    for apply in (apply_edits, apply_search_replace, apply_v4a):
        try:
            result = apply(files, reply)
        except EditApplyError as error:
            assert str(error)
        else:
            assert isinstance(result, EditResult)


@FAST
@given(_LINES, _LINES)
def test_structured_garbage_applies_or_raises_our_error(reply: str, text: str) -> None:
    _applies_or_refuses({"a.py": text, "other.py": "x = 1\n"}, reply)


@FAST
@given(st.text(max_size=400), st.text(max_size=200))
def test_random_text_applies_or_raises_our_error(reply: str, text: str) -> None:
    _applies_or_refuses({"a.py": text}, reply)
