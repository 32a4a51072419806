"""Definitions by name and qualified name, from per-language rules given as data."""

import pickle

from codeflash_engine.treesitter import definitions, find_definition, parse
from tests.treesitter.languages import GO, GO_RULES, JAVA, JAVA_RULES, JAVASCRIPT, JS_RULES, TSX, TYPESCRIPT

JS_SOURCE = """\
const { normalize } = require('./util');

/** Doubles. */
function double(a) {
  return a * 2;
}

export const triple = (a) => a * 3;
const LIMIT = 10;
var legacy = function (a) { return a; };

class Histogram {
  constructor() { this.counts = new Map(); }
  mostCommon() {
    const pick = () => 1;
    return pick();
  }
}
"""


def test_javascript_functions_arrow_constants_classes_and_methods() -> None:
    found = {(d.qualified_name, d.kind) for d in definitions(JAVASCRIPT, JS_SOURCE, JS_RULES)}
    assert found == {
        ("double", "function"),
        ("triple", "function"),
        ("legacy", "function"),
        ("Histogram", "class"),
        ("Histogram.constructor", "method"),
        ("Histogram.mostCommon", "method"),
        ("Histogram.pick", "function"),
    }


def test_a_definition_carries_its_span_and_text() -> None:
    double = find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "double")
    assert double is not None
    assert double.text == "function double(a) {\n  return a * 2;\n}"
    assert (double.start_line, double.end_line) == (4, 6)
    assert double.start_point == (3, 0)
    assert JS_SOURCE.encode()[double.start_byte : double.end_byte].decode() == double.text
    assert double.depth == 0


def test_a_const_arrow_function_spans_its_whole_exported_statement() -> None:
    triple = find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "triple")
    assert triple is not None
    assert triple.text == "export const triple = (a) => a * 3;"
    assert triple.wrappers == ("lexical_declaration", "export_statement")
    assert find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "LIMIT") is None


def test_a_method_is_found_by_qualified_or_bare_name() -> None:
    by_qualified = find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "Histogram.mostCommon")
    by_name = find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "mostCommon")
    assert by_qualified == by_name
    assert by_qualified is not None
    assert by_qualified.kind == "method"
    assert by_qualified.text.startswith("mostCommon() {")
    assert find_definition(JAVASCRIPT, JS_SOURCE, JS_RULES, "Other.mostCommon") is None


def test_a_nested_helper_is_deeper_than_a_top_level_one() -> None:
    source = "function pick() { return 0 }\nclass A { m() { const pick = () => 1; return pick() } }"
    pick = find_definition(JAVASCRIPT, source, JS_RULES, "pick")
    assert pick is not None
    assert pick.depth == 0
    assert pick.text.startswith("function pick")
    nested = [d for d in definitions(JAVASCRIPT, source, JS_RULES) if d.name == "pick" and d.depth]
    assert [d.depth for d in nested] == [2]


def test_typescript_generic_class_methods_and_exported_functions() -> None:
    source = (
        "export class Histogram<T> {\n  private counts = new Map<T, number>();\n"
        "  mostCommon(): T | undefined { return undefined; }\n}\n"
        "export function bbox(points: Point[]): Box { return points[0] as Box; }\n"
        "export abstract class Shape { abstract area(): number; size(): number { return 1 } }\n"
    )
    names = [d.qualified_name for d in definitions(TYPESCRIPT, source, JS_RULES)]
    assert names == ["Histogram", "Histogram.mostCommon", "bbox", "Shape", "Shape.size"]
    bbox = find_definition(TYPESCRIPT, source, JS_RULES, "bbox")
    assert bbox is not None
    assert bbox.wrappers == ("export_statement",)


def test_tsx_components() -> None:
    source = (
        "export const Row = ({ n }: { n: number }) => <td>{n}</td>;\nfunction Table() { return <table/> }\n"
    )
    assert [d.name for d in definitions(TSX, source, JS_RULES)] == ["Row", "Table"]


def test_java_methods_in_nested_classes() -> None:
    source = (
        "package p;\npublic class Outer {\n  public Outer() {}\n  int f(int x) { return x; }\n"
        "  static class Inner { long g() { return 1L; } }\n  interface Shape { double area(); }\n}\n"
    )
    found = [(d.qualified_name, d.kind) for d in definitions(JAVA, source, JAVA_RULES)]
    assert found == [
        ("Outer", "class"),
        ("Outer.Outer", "constructor"),
        ("Outer.f", "method"),
        ("Outer.Inner", "class"),
        ("Outer.Inner.g", "method"),
        ("Outer.Shape", "interface"),
        ("Outer.Shape.area", "method"),
    ]
    g = find_definition(JAVA, source, JAVA_RULES, "Outer.Inner.g")
    assert g is not None
    assert g.text == "long g() { return 1L; }"


def test_go_functions_methods_on_their_receiver_type_and_func_literals() -> None:
    source = (
        "package p\n\ntype Stack[T any] struct{ items []T }\n\n"
        "func (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }\n\n"
        "func (s Stack[T]) Len() int { return len(s.items) }\n\n"
        "func Sum(xs []int) int { return 0 }\n\nvar double = func(x int) int { return 2 * x }\n\nvar n = 3\n"
    )
    found = [(d.qualified_name, d.kind) for d in definitions(GO, source, GO_RULES)]
    assert found == [
        ("Stack", "type"),
        ("Stack.Push", "method"),
        ("Stack.Len", "method"),
        ("Sum", "function"),
        ("double", "function"),
    ]
    push = find_definition(GO, source, GO_RULES, "Push")
    assert push is not None
    assert push.qualified_name == "Stack.Push"


def test_definitions_and_rules_pickle() -> None:
    [found] = [d for d in definitions(JAVASCRIPT, JS_SOURCE, JS_RULES) if d.name == "double"]
    assert pickle.loads(pickle.dumps(found)) == found
    assert pickle.loads(pickle.dumps(JS_RULES)) == JS_RULES


def test_a_parsed_tree_is_reused() -> None:
    tree = parse(JAVA, "class A { void f() {} }")
    assert [
        d.qualified_name for d in definitions(JAVA, "class A { void f() {} }", JAVA_RULES, tree=tree)
    ] == [
        "A",
        "A.f",
    ]
