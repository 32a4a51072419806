"""The fingerprint ignores comments, whitespace and layout, and sees every real token change."""

from codeflash_engine.treesitter import fingerprint, parse
from tests.treesitter.languages import GO, JAVA, JAVASCRIPT, TSX, TYPESCRIPT

JS_QUIET = frozenset({";", "'", '"'})


def test_javascript_layout_comments_semicolons_and_quotes_do_not_count() -> None:
    original = "function f(a) {\n  // double it\n  return a * 2 + 'x';\n}\n"
    reformatted = 'function f(a){ /* why */ return a*2+"x" }'
    assert fingerprint(JAVASCRIPT, original, ignored_tokens=JS_QUIET) == fingerprint(
        JAVASCRIPT, reformatted, ignored_tokens=JS_QUIET
    )
    assert fingerprint(JAVASCRIPT, original) != fingerprint(JAVASCRIPT, reformatted)


def test_a_changed_token_changes_the_fingerprint() -> None:
    assert fingerprint(TYPESCRIPT, "const a: number = 1") != fingerprint(TYPESCRIPT, "const a: number = 2")
    assert fingerprint(TYPESCRIPT, "f(ab)") != fingerprint(TYPESCRIPT, "f(a, b)")
    assert fingerprint(TSX, "<a>x</a>") != fingerprint(TSX, "<a>y</a>")


def test_java_comments_of_both_kinds_do_not_count() -> None:
    assert fingerprint(JAVA, "class A { /** doc */ int f() { return 1; } // end\n}") == fingerprint(
        JAVA, "class A {\n    int f() {\n        return 1;\n    }\n}\n"
    )


def test_go_newlines_are_layout() -> None:
    assert fingerprint(GO, "package p\nfunc F() int {\n\treturn 1\n}\n") == fingerprint(
        GO, "package p\n\n// F is one.\nfunc F() int { return 1 }"
    )


def test_a_subtree_can_be_fingerprinted() -> None:
    source = "function f() { return 1 }\nfunction g() { return 1 }\n"
    tree = parse(JAVASCRIPT, source)
    f, g = tree.root_node.named_children
    f_body, g_body = f.child_by_field_name("body"), g.child_by_field_name("body")
    assert f_body is not None and g_body is not None
    assert fingerprint(JAVASCRIPT, source, node=f_body) == fingerprint(JAVASCRIPT, source, node=g_body)
    assert fingerprint(JAVASCRIPT, source, node=f) != fingerprint(JAVASCRIPT, source, node=g)
