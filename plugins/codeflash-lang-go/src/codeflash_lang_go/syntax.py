"""Go source as the client sees it: tree-sitter-go trees and the top-level declarations of a file.

The client parses with tree-sitter-go too (validation, finding the target, merging imports and
package-level ``var``/``const``), so reading the same trees here sees candidates as it will.
"""

from collections.abc import Iterator

import tree_sitter_go
from attrs import frozen
from tree_sitter import Language, Node, Parser, Tree

from codeflash_engine.domain import Diagnostic

GO = Language(tree_sitter_go.language())
MAX_SOURCE_BYTES = 1_000_000
"""Larger code is refused: no Go function the client sends comes near it."""

TOP_LEVEL = frozenset(
    {
        "package_clause",
        "import_declaration",
        "function_declaration",
        "method_declaration",
        "var_declaration",
        "const_declaration",
        "type_declaration",
        "comment",
    }
)
"""What a Go file holds at its top level; tree-sitter-go also accepts statements there (and so does
the client's check), which ``go build`` then rejects."""


def parse(code: str) -> Tree:
    return Parser(GO).parse(code.encode("utf-8"))


def text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def walk(node: Node) -> Iterator[Node]:
    """``node`` and everything below it, depth first, without recursion (deep input stays safe)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def syntax_diagnostics(code: str, path: str | None) -> list[Diagnostic]:
    """Syntax errors as the client's tree-sitter check finds them, plus top-level statements."""
    if "\x00" in code:
        return [Diagnostic("the code contains a NUL byte", path=path)]
    if len(code.encode("utf-8")) > MAX_SOURCE_BYTES:
        return [Diagnostic(f"the code is larger than {MAX_SOURCE_BYTES} bytes", path=path)]
    if not code.strip():
        return [Diagnostic("the code is empty", path=path)]
    root = parse(code).root_node
    problems: list[Diagnostic] = []
    if root.has_error:
        for node in walk(root):
            if node.is_error or node.is_missing:
                row, column = node.start_point
                what = f"missing {node.type}" if node.is_missing else "syntax error"
                problems.append(Diagnostic(what, path=path, line=row + 1, column=column + 1))
                break
        else:
            problems.append(Diagnostic("syntax error", path=path, line=1, column=1))
    for node in root.named_children:
        if node.type not in TOP_LEVEL:
            row, column = node.start_point
            problems.append(
                Diagnostic(
                    f"a {node.type.replace('_', ' ')} cannot stand at the top level of a Go file",
                    path=path,
                    line=row + 1,
                    column=column + 1,
                )
            )
            break
    return problems


def fingerprint(node: Node) -> tuple[str, ...]:
    """The node's tokens without comments: equal for code that differs only in comments and
    formatting (what gofmt changes), which is how the client compares candidates too."""
    return tuple(
        text(leaf)
        for leaf in walk(node)
        if (leaf.child_count == 0 or leaf.type in _STRING_TYPES)
        and leaf.type != "comment"
        and text(leaf).strip() not in ("", ";")
        and not _inside_string(leaf)
    )


_STRING_TYPES = frozenset({"interpreted_string_literal", "raw_string_literal", "rune_literal"})


def _inside_string(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in _STRING_TYPES


def doc_start(node: Node) -> Node:
    """The first line of the comment block directly above ``node`` (its doc comment), else ``node``:
    the range the client replaces starts there."""
    first = node
    previous = node.prev_named_sibling
    while (
        previous is not None
        and previous.type == "comment"
        and previous.end_point[0] + 1 == first.start_point[0]
    ):
        first = previous
        previous = previous.prev_named_sibling
    return first


@frozen
class GoImport:
    path: str
    alias: str | None
    grouped: bool
    """Inside ``import ( ... )``; the client breaks a file whose last import is not."""

    @property
    def package_name(self) -> str:
        """The name the file refers to the package by (the alias, else the path's last element)."""
        if self.alias:
            return self.alias
        last = self.path.rsplit("/", 1)[-1]
        # gopkg.in/yaml.v3 and example.com/mod/v2 style paths name the package before the version.
        if last.startswith("v") and last[1:].isdigit() and "/" in self.path:
            last = self.path.rsplit("/", 2)[-2]
        return last.split(".")[0].replace("-", "_")


@frozen
class GoFunction:
    """A top-level function or method."""

    name: str
    receiver_type: str | None
    node: Node

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.receiver_type, self.name)

    @property
    def qualified_name(self) -> str:
        return f"{self.receiver_type}.{self.name}" if self.receiver_type else self.name

    def field(self, name: str) -> Node | None:
        return self.node.child_by_field_name(name)

    def signature(self) -> tuple[tuple[str, ...], ...]:
        """Receiver type, type parameters, parameters and results, without names' formatting."""
        receiver = self.field("receiver")
        parts = [_types_of(receiver) if receiver is not None else ()]
        for field in ("type_parameters", "parameters", "result"):
            node = self.field(field)
            parts.append(fingerprint(node) if node is not None else ())
        return tuple(parts)

    def has_doc_comment(self) -> bool:
        return doc_start(self.node) is not self.node

    def with_doc(self) -> str:
        """The function's text from its doc comment on, as the client extracts it."""
        start = doc_start(self.node)
        return self.node.text.decode("utf-8") if start is self.node else _span(start, self.node)  # type: ignore[union-attr]


def _span(first: Node, last: Node) -> str:
    root = first
    while root.parent is not None:
        root = root.parent
    return (root.text or b"")[first.start_byte : last.end_byte].decode("utf-8")


def _types_of(receiver: Node) -> tuple[str, ...]:
    """A receiver's type tokens (``*Counter``), not its name: renaming ``c`` changes nothing."""
    tokens: list[str] = []
    for parameter in receiver.named_children:
        kind = parameter.child_by_field_name("type")
        if kind is not None:
            tokens.extend(fingerprint(kind))
    return tuple(tokens)


def receiver_type_name(node: Node) -> str | None:
    """``Counter`` for ``func (c *Counter[T]) ...``."""
    receiver = node.child_by_field_name("receiver")
    if receiver is None:
        return None
    for parameter in receiver.named_children:
        kind = parameter.child_by_field_name("type")
        while kind is not None and kind.type in ("pointer_type", "generic_type", "parenthesized_type"):
            inner = kind.child_by_field_name("type") if kind.type == "generic_type" else None
            kind = inner if inner is not None else (kind.named_children[0] if kind.named_children else None)
        if kind is not None:
            return text(kind)
    return None


@frozen
class GoDeclaration:
    """A top-level ``var``, ``const`` or ``type`` declaration."""

    kind: str
    names: tuple[str, ...]
    node: Node


@frozen
class GoFile:
    code: str
    tree: Tree
    package: str | None
    imports: tuple[GoImport, ...]
    functions: tuple[GoFunction, ...]
    declarations: tuple[GoDeclaration, ...]

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def function(self, name: str, receiver_type: str | None = None) -> GoFunction | None:
        for function in self.functions:
            if function.name == name and (receiver_type is None or function.receiver_type == receiver_type):
                return function
        return None

    def import_node(self) -> Node | None:
        nodes = [node for node in self.root.named_children if node.type == "import_declaration"]
        return nodes[-1] if nodes else None


def read_file(code: str) -> GoFile:
    tree = parse(code)
    root = tree.root_node
    package = None
    imports: list[GoImport] = []
    functions: list[GoFunction] = []
    declarations: list[GoDeclaration] = []
    for node in root.named_children:
        if node.type == "package_clause":
            names = [child for child in node.named_children if child.type == "package_identifier"]
            package = text(names[0]) if names else None
        elif node.type == "import_declaration":
            imports.extend(_imports(node))
        elif node.type in ("function_declaration", "method_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                functions.append(GoFunction(text(name), receiver_type_name(node), node))
        elif node.type in ("var_declaration", "const_declaration", "type_declaration"):
            declarations.append(GoDeclaration(node.type.split("_")[0], _declared_names(node), node))
    return GoFile(code, tree, package, tuple(imports), tuple(functions), tuple(declarations))


def _imports(declaration: Node) -> Iterator[GoImport]:
    for child in declaration.named_children:
        specs = child.named_children if child.type == "import_spec_list" else [child]
        for spec in specs:
            if spec.type != "import_spec":
                continue
            path = spec.child_by_field_name("path")
            alias = spec.child_by_field_name("name")
            if path is not None:
                yield GoImport(
                    path=text(path).strip('"`'),
                    alias=text(alias) if alias is not None else None,
                    grouped=child.type == "import_spec_list",
                )


def _declared_names(declaration: Node) -> tuple[str, ...]:
    names: list[str] = []
    for node in walk(declaration):
        if node.type in ("var_spec", "const_spec", "type_spec", "type_alias"):
            names.extend(
                text(child)
                for child in node.children_by_field_name("name")
                if child.type in ("identifier", "type_identifier")
            )
    return tuple(names)


def identifiers(node: Node) -> set[str]:
    """Every plain identifier used in ``node`` (not field names after a dot)."""
    return {text(leaf) for leaf in walk(node) if leaf.type in ("identifier", "type_identifier")}


def package_qualifiers(node: Node) -> set[str]:
    """Names used as ``x.`` in ``x.Sel`` or ``x.Type``: the packages the code may refer to."""
    found: set[str] = set()
    for child in walk(node):
        if child.type == "selector_expression":
            operand = child.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                found.add(text(operand))
        elif child.type == "qualified_type":
            package = child.child_by_field_name("package")
            if package is not None:
                found.add(text(package))
    return found
