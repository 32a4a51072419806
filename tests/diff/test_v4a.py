"""V4A scenarios re-authored from the behaviours the codex and openai-agents tests describe."""

import pytest

from codeflash_engine.diff import EditApplyError, EditFormat, MatchKind, apply_v4a


def patch(*lines: str) -> str:
    return "\n".join(["*** Begin Patch", *lines, "*** End Patch"]) + "\n"


SHAPES = (
    "class Circle:\n"
    "    def area(self):\n"
    "        return 3 * self.r ** 2\n"
    "\n"
    "class Square:\n"
    "    def area(self):\n"
    "        return self.side ** 2\n"
)


def test_add_file_creates_it_with_a_final_newline() -> None:
    result = apply_v4a({}, patch("*** Add File: pkg/new.py", "+x = 1", "+", "+y = 2"))
    assert result.files == {"pkg/new.py": "x = 1\n\ny = 2\n"}
    assert result.added == ("pkg/new.py",)
    assert result.matches[0].kind is MatchKind.NEW_FILE
    assert result.format is EditFormat.V4A


def test_delete_file_removes_it_and_reports_it() -> None:
    result = apply_v4a({"old.py": "x\n", "keep.py": "y\n"}, patch("*** Delete File: old.py"))
    assert result.files == {"keep.py": "y\n"}
    assert result.deleted == ("old.py",)


def test_update_replaces_lines_between_context() -> None:
    files = {"m.py": "a = 1\nb = 2\nc = 3\n"}
    result = apply_v4a(files, patch("*** Update File: m.py", "@@", " a = 1", "-b = 2", "+b = 20", " c = 3"))
    assert result.files["m.py"] == "a = 1\nb = 20\nc = 3\n"
    assert result.modified == ("m.py",)
    assert result.matches[0].kind is MatchKind.EXACT
    assert result.matches[0].line == 1


def test_first_hunk_may_omit_its_at_at_line() -> None:
    result = apply_v4a({"m.py": "one\ntwo\n"}, patch("*** Update File: m.py", "-one", "+uno", " two"))
    assert result.files["m.py"] == "uno\ntwo\n"


def test_move_to_renames_and_edits() -> None:
    files = {"src/a.py": "x = 1\n"}
    result = apply_v4a(
        files, patch("*** Update File: src/a.py", "*** Move to: src/b.py", "@@", "-x = 1", "+x = 2")
    )
    assert result.files == {"src/b.py": "x = 2\n"}
    assert result.added == ("src/b.py",)
    assert result.deleted == ("src/a.py",)


def test_several_hunks_apply_in_order() -> None:
    text = "".join(f"line {n}\n" for n in range(1, 21))
    result = apply_v4a(
        {"f.txt": text},
        patch(
            "*** Update File: f.txt",
            "@@",
            " line 2",
            "-line 3",
            "+LINE 3",
            " line 4",
            "@@",
            " line 15",
            "-line 16",
            " line 17",
        ),
    )
    assert "LINE 3\n" in result.files["f.txt"]
    assert "line 16\n" not in result.files["f.txt"]
    assert [match.line for match in result.matches] == [2, 15]


def test_interleaved_deletes_and_inserts_in_one_hunk() -> None:
    result = apply_v4a(
        {"f.txt": "a\nb\nc\nd\ne\n"},
        patch("*** Update File: f.txt", "@@", " a", "-b", "+B", " c", "-d", "+D", "+D2", " e"),
    )
    assert result.files["f.txt"] == "a\nB\nc\nD\nD2\ne\n"


def test_stacked_anchors_narrow_to_the_named_method() -> None:
    result = apply_v4a(
        {"shapes.py": SHAPES},
        patch(
            "*** Update File: shapes.py",
            "@@ class Square:",
            "@@     def area(self):",
            "-        return self.side ** 2",
            "+        return self.side * self.side",
        ),
    )
    assert result.files["shapes.py"].endswith("        return self.side * self.side\n")
    assert "return 3 * self.r ** 2" in result.files["shapes.py"]


def test_a_hunk_may_reuse_the_previous_hunks_anchor() -> None:
    text = "class K:\n    a = 1\n    b = 2\n    c = 3\n"
    result = apply_v4a(
        {"k.py": text},
        patch(
            "*** Update File: k.py",
            "@@ class K:",
            "-    a = 1",
            "+    a = 10",
            "@@ class K:",
            "-    c = 3",
            "+    c = 30",
        ),
    )
    assert result.files["k.py"] == "class K:\n    a = 10\n    b = 2\n    c = 30\n"


def test_missing_anchor_is_an_error_naming_it() -> None:
    with pytest.raises(EditApplyError, match="class Triangle") as caught:
        apply_v4a(
            {"shapes.py": SHAPES}, patch("*** Update File: shapes.py", "@@ class Triangle:", "-x", "+y")
        )
    assert caught.value.path == "shapes.py"
    assert caught.value.hunk == 1


def test_unmatched_context_reports_nearest_lines() -> None:
    with pytest.raises(EditApplyError) as caught:
        apply_v4a(
            {"shapes.py": SHAPES},
            patch(
                "*** Update File: shapes.py",
                "@@",
                "     def area(self):",
                "-        return self.side ** 3",
                "+        pass",
            ),
        )
    message = str(caught.value)
    assert "shapes.py: hunk 1" in message
    assert "Nearest lines" in message
    assert "return self.side ** 2" in message


def test_pure_addition_goes_after_its_anchor() -> None:
    result = apply_v4a(
        {"shapes.py": SHAPES},
        patch("*** Update File: shapes.py", "@@ class Square:", "+    sides = 4"),
    )
    assert "class Square:\n    sides = 4\n    def area(self):" in result.files["shapes.py"]
    assert result.matches[0].kind is MatchKind.INSERTION


def test_pure_addition_without_anchor_goes_to_the_end() -> None:
    result = apply_v4a({"m.py": "a\nb\n"}, patch("*** Update File: m.py", "@@", "+c"))
    assert result.files["m.py"] == "a\nb\nc\n"


def test_floating_addition_into_an_empty_file() -> None:
    result = apply_v4a({"e.py": ""}, patch("*** Update File: e.py", "@@", "+first", "+second"))
    assert result.files["e.py"] == "first\nsecond\n"


def test_end_of_file_pins_the_hunk_to_the_last_occurrence() -> None:
    result = apply_v4a({"f": "x\nb\nb\n"}, patch("*** Update File: f", "@@", "-b", "+B", "*** End of File"))
    assert result.files["f"] == "x\nb\nB\n"
    assert result.matches[0].fuzz == 0


def test_end_of_file_that_is_not_at_the_end_costs_fuzz() -> None:
    result = apply_v4a({"f": "a\nb\nc\n"}, patch("*** Update File: f", "@@", "-a", "+A", "*** End of File"))
    assert result.files["f"] == "A\nb\nc\n"
    assert result.matches[0].fuzz >= 10_000


def test_crlf_files_keep_crlf() -> None:
    result = apply_v4a(
        {"w.txt": "a\r\nb\r\nc\r\n"}, patch("*** Update File: w.txt", "@@", " a", "-b", "+B", "+B2")
    )
    assert result.files["w.txt"] == "a\r\nB\r\nB2\r\nc\r\n"


def test_crlf_patch_on_lf_file_gives_lf() -> None:
    reply = patch("*** Update File: u.txt", "@@", " a", "-b", "+B").replace("\n", "\r\n")
    assert apply_v4a({"u.txt": "a\nb\n"}, reply).files["u.txt"] == "a\nB\n"


def test_mixed_line_endings_survive_on_untouched_lines() -> None:
    result = apply_v4a({"m.txt": "a\r\nb\nc\r\nd\n"}, patch("*** Update File: m.txt", "@@", "-d", "+D"))
    assert result.files["m.txt"].startswith("a\r\nb\nc\r\n")


def test_missing_final_newline_stays_missing() -> None:
    result = apply_v4a({"n.txt": "a\nb"}, patch("*** Update File: n.txt", "@@", " a", "-b", "+c"))
    assert result.files["n.txt"] == "a\nc"


def test_trailing_whitespace_in_file_matches_at_fuzz_one() -> None:
    result = apply_v4a(
        {"t.py": "x = 1   \ny = 2\n"}, patch("*** Update File: t.py", "@@", " x = 1", "-y = 2", "+y = 3")
    )
    assert result.files["t.py"] == "x = 1   \ny = 3\n"
    assert result.matches[0].kind is MatchKind.TRAILING_WHITESPACE
    assert result.matches[0].fuzz == 1


def test_whitespace_insensitive_match_keeps_the_files_context_text() -> None:
    result = apply_v4a(
        {"t.py": "def f():\n    return 1\n"},
        patch("*** Update File: t.py", "@@", " def f():", "-return 1", "+    return 2"),
    )
    assert result.files["t.py"] == "def f():\n    return 2\n"
    assert result.matches[0].kind is MatchKind.WHITESPACE


def test_unicode_punctuation_is_folded() -> None:
    text = "msg = \u201cquoted \u2013 text\u201d\nnext = 1\n"
    result = apply_v4a(
        {"u.py": text},
        patch("*** Update File: u.py", "@@", ' msg = "quoted - text"', "-next = 1", "+next = 2"),
    )
    assert result.files["u.py"] == "msg = \u201cquoted \u2013 text\u201d\nnext = 2\n"
    assert result.matches[0].kind is MatchKind.UNICODE


def test_padded_markers_and_surrounding_prose_are_accepted() -> None:
    reply = (
        "Here is the patch:\n```\n  *** Begin Patch  \n*** Update File: a\n@@\n-1\n+2\n"
        " *** End Patch \n```\nDone."
    )
    assert apply_v4a({"a": "1\n"}, reply).files["a"] == "2\n"


def test_heredoc_wrapper_is_ignored() -> None:
    reply = "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a\n@@\n-1\n+2\n*** End Patch\nEOF\n"
    assert apply_v4a({"a": "1\n"}, reply).files["a"] == "2\n"


def test_unified_diff_header_is_taken_as_a_bare_anchor() -> None:
    result = apply_v4a({"a": "x\ny\n"}, patch("*** Update File: a", "@@ -1,2 +1,2 @@", " x", "-y", "+z"))
    assert result.files["a"] == "x\nz\n"


def test_missing_end_patch_is_treated_as_truncated() -> None:
    with pytest.raises(EditApplyError, match="truncated"):
        apply_v4a({"a": "1\n"}, "*** Begin Patch\n*** Update File: a\n@@\n-1\n+2\n")


def test_no_envelope_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="Begin Patch"):
        apply_v4a({"a": "1\n"}, "just some prose")


def test_failure_in_a_later_file_changes_nothing() -> None:
    files = {"a": "1\n", "b": "2\n"}
    with pytest.raises(EditApplyError) as caught:
        apply_v4a(
            files, patch("*** Update File: a", "@@", "-1", "+one", "*** Update File: b", "@@", "-9", "+nine")
        )
    assert caught.value.path == "b"
    assert files == {"a": "1\n", "b": "2\n"}


def test_adding_an_existing_file_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="already exists"):
        apply_v4a({"a": "1\n"}, patch("*** Add File: a", "+2"))


def test_updating_an_unknown_file_lists_the_known_ones() -> None:
    with pytest.raises(EditApplyError, match="known files: a, b"):
        apply_v4a({"a": "", "b": ""}, patch("*** Update File: c", "@@", "-1", "+2"))


def test_a_line_without_prefix_inside_a_hunk_is_an_error() -> None:
    with pytest.raises(EditApplyError, match="must start with"):
        apply_v4a({"a": "x\ny\n"}, patch("*** Update File: a", "@@", " x", "y", "+z"))


def test_ambiguous_context_is_an_error_unless_first_match() -> None:
    files = {"r.py": "def f():\n    return 1\n\ndef g():\n    return 1\n"}
    body = patch("*** Update File: r.py", "@@", "-    return 1", "+    return 2")
    with pytest.raises(EditApplyError, match="more than one place"):
        apply_v4a(files, body)
    result = apply_v4a(files, body, first_match=True)
    assert result.files["r.py"] == "def f():\n    return 2\n\ndef g():\n    return 1\n"


WRITERS = (
    "class Writer:\n"
    "    def close(self):\n"
    "        self.flush()\n"
    "        self.closed = True\n"
    "\n"
    "class Reader:\n"
    "    def close(self):\n"
    "        self.flush()\n"
    "        self.closed = True\n"
)


def test_an_anchored_hunk_takes_the_first_match_after_its_anchor() -> None:
    # The hunk's lines occur in both classes; the anchor says which one (codex and the agents port
    # both take the first match after the anchor).
    result = apply_v4a(
        {"io.py": WRITERS},
        patch("*** Update File: io.py", "@@ class Writer:", "-        self.flush()", "+        self.sync()"),
    )
    assert result.files["io.py"] == WRITERS.replace("self.flush()", "self.sync()", 1)


def test_stacked_anchors_disambiguate_lines_that_occur_twice() -> None:
    text = "class Other:\n    pass\n\n" + WRITERS
    result = apply_v4a(
        {"io.py": text},
        patch(
            "*** Update File: io.py",
            "@@ class Writer:",
            "@@     def close(self):",
            "         self.flush()",
            "-        self.closed = True",
            "+        self.closed = 1",
        ),
    )
    assert result.files["io.py"].count("self.closed = 1") == 1
    assert result.files["io.py"].index("self.closed = 1") < result.files["io.py"].index("class Reader:")


def test_an_unanchored_ambiguous_hunk_is_refused_and_asked_for_an_anchor() -> None:
    with pytest.raises(EditApplyError, match="add an `@@` line naming the enclosing class"):
        apply_v4a({"io.py": WRITERS}, patch("*** Update File: io.py", "@@", "-        self.flush()", "+x"))


def test_repeated_lines_keep_their_order() -> None:
    result = apply_v4a({"r": "a\nb\n"}, patch("*** Update File: r", "@@", "+b", "-a", " b", "+a"))
    assert result.files["r"] == "b\nb\na\n"


def test_blank_line_before_the_next_hunk_is_not_required_context() -> None:
    result = apply_v4a(
        {"a": "1\n2\n3\n"}, patch("*** Update File: a", "@@", "-1", "+one", "", "@@", " 2", "-3", "+three")
    )
    assert result.files["a"] == "one\n2\nthree\n"


def test_adding_a_file_whose_name_ends_an_existing_path_is_fine() -> None:
    result = apply_v4a({"pkg/a.py": "x\n"}, patch("*** Add File: a.py", "+y"))
    assert result.files == {"pkg/a.py": "x\n", "a.py": "y\n"}
