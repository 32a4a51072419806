"""Language features newer than the project's Java version.

tree-sitter-java reads every release's syntax, so a candidate using ``var`` parses fine and only
fails in the client's ``javac`` on a Java 8 project. Each finding names the release it needs.
"""

from collections.abc import Iterator

from codeflash_engine.domain import Diagnostic
from codeflash_lang_java.grammar import Node, captures, parse, text

_CANDIDATES = """[
  (local_variable_declaration) (enhanced_for_statement) (string_literal) (switch_rule)
  (yield_statement) (record_declaration) (instanceof_expression) (permits) (modifiers)
  (method_invocation)
] @node"""
_FACTORY_OWNERS = frozenset({"List", "Set", "Map", "java.util.List", "java.util.Set", "java.util.Map"})


def _needs(node: Node, data: bytes) -> Iterator[tuple[int, str]]:
    """``(release, feature)`` for what ``node`` itself uses."""
    kind = node.type
    if kind in ("local_variable_declaration", "enhanced_for_statement"):
        declared = node.child_by_field_name("type")
        if declared is not None and declared.type == "type_identifier" and text(declared, data) == "var":
            yield 10, "`var` local variables"
    elif kind == "string_literal" and text(node, data).startswith('"""'):
        yield 15, "text blocks"
    elif kind == "switch_rule":
        yield 14, "`case ... ->` switch rules"
    elif kind == "yield_statement":
        yield 14, "`yield` in switch expressions"
    elif kind == "record_declaration":
        yield 16, "records"
    elif kind == "instanceof_expression" and (
        node.child_by_field_name("name") is not None
        or any(child.type in ("record_pattern", "type_pattern") for child in node.named_children)
    ):
        yield 16, "pattern matching in `instanceof`"
    elif kind == "permits" or (
        kind == "modifiers" and any(child.type in ("sealed", "non-sealed") for child in node.children)
    ):
        yield 17, "sealed types"
    elif kind == "method_invocation":
        owner = node.child_by_field_name("object")
        name = node.child_by_field_name("name")
        if owner is not None and name is not None and text(owner, data) in _FACTORY_OWNERS:
            if text(name, data) == "of":
                yield 9, f"`{text(owner, data)}.of`"
            elif text(name, data) == "copyOf":
                yield 10, f"`{text(owner, data)}.copyOf`"


def newer_features(source: str, path: str | None, release: int) -> list[Diagnostic]:
    """One diagnostic per use of a feature ``release`` lacks (first use of each feature only)."""
    seen: set[str] = set()
    diagnostics = []
    data = source.encode("utf-8")
    nodes = captures(parse(source).root_node, _CANDIDATES).get("node", [])
    for node in sorted(nodes, key=lambda node: node.start_byte):
        for needed, feature in _needs(node, data):
            if needed > release and feature not in seen:
                seen.add(feature)
                line, column = node.start_point
                diagnostics.append(
                    Diagnostic(
                        message=f"{feature} need Java {needed}, the project compiles for Java {release}",
                        path=path,
                        line=line + 1,
                        column=column + 1,
                    )
                )
    return diagnostics
