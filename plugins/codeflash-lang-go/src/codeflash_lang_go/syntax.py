"""Go source as the client sees it: tree-sitter-go trees (through the engine's tree-sitter kit) and
the top-level declarations of a file.

The client parses with tree-sitter-go too (validation, finding the target, merging imports and
package-level ``var``/``const``), so reading the same trees here sees candidates as it will. Trees
from the kit's ``parse`` do not carry their source, so every text comes from the file's bytes.
"""

from collections.abc import Iterator
from functools import lru_cache

from attrs import field, frozen
from tree_sitter import Node, Tree

from codeflash_engine.domain import Diagnostic
from codeflash_engine.errors import InvalidCodeError
from codeflash_engine.treesitter import (
    DefinitionRule,
    DefinitionRules,
    Grammar,
    ParseTimeoutError,
    definitions,
    node_text,
    parse,
    walk,
)
from codeflash_engine.treesitter import fingerprint as token_fingerprint
from codeflash_engine.treesitter import syntax_diagnostics as tree_diagnostics

GO = Grammar("tree_sitter_go", name="go")
GO_RULES = DefinitionRules(
    (
        DefinitionRule("function_declaration", "function"),
        DefinitionRule(
            "method_declaration",
            "method",
            qualifier_field="receiver",
            qualifier_types={"type_identifier"},
        ),
    )
)
"""Top-level functions and methods, methods qualified by their receiver type (``Counter.Total``),
as the client names them."""

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


class Unparsable(InvalidCodeError):
    """The code could not be parsed in time (pathological input): the client gets a 422."""


def syntax_diagnostics(code: str, path: str | None) -> list[Diagnostic]:
    """Syntax errors as the client's tree-sitter check finds them, plus top-level statements."""
    if "\x00" in code:
        return [Diagnostic("the code contains a NUL byte", path=path)]
    if len(code.encode("utf-8", errors="replace")) > MAX_SOURCE_BYTES:
        return [Diagnostic(f"the code is larger than {MAX_SOURCE_BYTES} bytes", path=path)]
    if not code.strip():
        return [Diagnostic("the code is empty", path=path)]
    try:
        tree = parse(GO, code)
    except ParseTimeoutError as exc:
        return [Diagnostic(str(exc), path=path)]
    problems = tree_diagnostics(GO, code, path=path, tree=tree, max_diagnostics=5)
    for node in tree.root_node.named_children:
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
class GoFile:
    """One parsed Go file; ``text`` reads any of its nodes."""

    code: str
    data: bytes = field(repr=False)
    tree: Tree = field(repr=False, eq=False)
    package: str | None
    imports: tuple["GoImport", ...]
    functions: tuple["GoFunction", ...]
    declarations: tuple["GoDeclaration", ...]

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def text(self, node: Node) -> str:
        return node_text(node, self.data)

    def function(self, name: str, receiver_type: str | None = None) -> "GoFunction | None":
        for function in self.functions:
            if function.name == name and function.receiver_type == receiver_type:
                return function
        return None

    def fingerprint(self, node: Node) -> str:
        """The node's tokens without comments and layout (what gofmt changes), hashed."""
        return token_fingerprint(GO, self.data, node=node)

    def identifiers(self, node: Node) -> set[str]:
        """Every plain identifier used in ``node`` (not field names after a dot)."""
        return {self.text(leaf) for leaf in walk(node) if leaf.type in ("identifier", "type_identifier")}

    def package_qualifiers(self, node: Node) -> set[str]:
        """Names used as ``x.`` in ``x.Sel`` or ``x.Type``: the packages the code may refer to."""
        found: set[str] = set()
        for child in walk(node):
            operand = None
            if child.type == "selector_expression":
                operand = child.child_by_field_name("operand")
            elif child.type == "qualified_type":
                operand = child.child_by_field_name("package")
            if operand is not None and operand.type in ("identifier", "package_identifier"):
                found.add(self.text(operand))
        return found


@frozen
class GoFunction:
    """A top-level function or method; ``data`` is its file's source."""

    name: str
    receiver_type: str | None
    node: Node = field(eq=False)
    data: bytes = field(eq=False, repr=False)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.receiver_type, self.name)

    @property
    def qualified_name(self) -> str:
        return f"{self.receiver_type}.{self.name}" if self.receiver_type else self.name

    def text(self, node: Node | None = None) -> str:
        """The text of ``node`` (default: the whole function)."""
        return node_text(node if node is not None else self.node, self.data)

    def fingerprint(self) -> str:
        return token_fingerprint(GO, self.data, node=self.node)

    def field(self, name: str) -> Node | None:
        return self.node.child_by_field_name(name)

    def text_of(self, name: str) -> str:
        node = self.field(name)
        return node_text(node, self.data) if node is not None else ""

    def signature(self) -> tuple[str, ...]:
        """Receiver type, type parameters, parameters and results, without layout."""
        receiver = self.field("receiver")
        parts = [self._receiver_types(receiver) if receiver is not None else ""]
        for name in ("type_parameters", "parameters", "result"):
            node = self.field(name)
            parts.append(token_fingerprint(GO, self.data, node=node) if node is not None else "")
        return tuple(parts)

    def _receiver_types(self, receiver: Node) -> str:
        """A receiver's type (``*Counter``), not its name: renaming ``c`` changes nothing."""
        kinds = [p.child_by_field_name("type") for p in receiver.named_children]
        return " ".join(token_fingerprint(GO, self.data, node=kind) for kind in kinds if kind is not None)

    def has_doc_comment(self) -> bool:
        return doc_start(self.node) is not self.node

    def doc_comment(self) -> str:
        """The comment lines directly above, with the line break before the function."""
        start = doc_start(self.node)
        return self.data[start.start_byte : self.node.start_byte].decode("utf-8", errors="replace")


@frozen
class GoDeclaration:
    """A top-level ``var``, ``const`` or ``type`` declaration."""

    kind: str
    names: tuple[str, ...]
    node: Node = field(eq=False)


@lru_cache(maxsize=32)
def read_file(code: str) -> GoFile:
    """The parsed file; cached, because one hook reads the request's files several times (the
    target, the package, the imports) and the trees are only read."""
    data = code.encode("utf-8", errors="replace")
    try:
        tree = parse(GO, data)
    except ParseTimeoutError as exc:
        raise Unparsable(str(exc)) from exc
    root = tree.root_node
    package = None
    imports: list[GoImport] = []
    declarations: list[GoDeclaration] = []
    for node in root.named_children:
        if node.type == "package_clause":
            names = [child for child in node.named_children if child.type == "package_identifier"]
            package = node_text(names[0], data) if names else None
        elif node.type == "import_declaration":
            imports.extend(_imports(node, data))
        elif node.type in ("var_declaration", "const_declaration", "type_declaration"):
            declarations.append(GoDeclaration(node.type.split("_")[0], _declared_names(node, data), node))
    by_start = {node.start_byte: node for node in root.named_children}
    functions = tuple(
        GoFunction(
            definition.name,
            definition.qualified_name.rpartition(".")[0] or None,
            by_start[definition.start_byte],
            data,
        )
        for definition in definitions(GO, data, GO_RULES, tree=tree)
        if definition.depth == 0 and definition.start_byte in by_start
    )
    return GoFile(code, data, tree, package, tuple(imports), functions, tuple(declarations))


def _imports(declaration: Node, data: bytes) -> Iterator[GoImport]:
    for child in declaration.named_children:
        specs = child.named_children if child.type == "import_spec_list" else [child]
        for spec in specs:
            if spec.type != "import_spec":
                continue
            path = spec.child_by_field_name("path")
            alias = spec.child_by_field_name("name")
            if path is not None:
                yield GoImport(
                    path=node_text(path, data).strip('"`'),
                    alias=node_text(alias, data) if alias is not None else None,
                    grouped=child.type == "import_spec_list",
                )


def _declared_names(declaration: Node, data: bytes) -> tuple[str, ...]:
    names: list[str] = []
    for node in walk(declaration):
        if node.type in ("var_spec", "const_spec", "type_spec", "type_alias"):
            names.extend(
                node_text(child, data)
                for child in node.children_by_field_name("name")
                if child.type in ("identifier", "type_identifier")
            )
    return tuple(names)
