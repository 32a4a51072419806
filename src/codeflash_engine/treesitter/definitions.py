"""Functions, methods and classes in a syntax tree, described per language as data.

The kit knows no language: a plugin lists which node types define what (``DefinitionRule``), and
the kit finds them, names them and qualifies their names by the enclosing scopes.
"""

from collections.abc import Collection, Iterable, Iterator

from attrs import field, frozen
from tree_sitter import Node, Tree

from codeflash_engine.treesitter.grammar import Grammar
from codeflash_engine.treesitter.parsing import as_bytes, node_text, parse


def _node_types(types: Iterable[str]) -> frozenset[str]:
    return frozenset(types)


@frozen
class DefinitionRule:
    """How one node type defines something.

    - ``node_type``: the defining node (``function_declaration``, ``method_definition``).
    - ``kind``: what it defines, reported as is (``"function"``, ``"method"``, ``"class"``).
    - ``name_field``: the field holding its name.
    - ``value_field``/``value_types``: for a binding that defines a function only through its value
      (``const f = () => ...``: ``variable_declarator`` whose ``value`` is an ``arrow_function``;
      ``var f = func() ...`` in Go, whose value is an ``expression_list`` of one ``func_literal``).
      The value node, or its only named child, must have one of ``value_types``.
    - ``scope``: the definition's name qualifies what is defined inside it (classes).
    - ``qualifier_field``/``qualifier_types``: a name qualifier outside the node's scopes, taken from
      the first node of ``qualifier_types`` inside that field (a Go method's receiver type).
    - ``wrapper_types``: parent node types the definition's span extends over when the definition
      is their only named child (``export_statement``, ``lexical_declaration``), so the span is the
      whole statement.
    """

    node_type: str
    kind: str
    name_field: str = "name"
    value_field: str | None = None
    value_types: frozenset[str] = field(default=frozenset(), converter=_node_types)
    scope: bool = False
    qualifier_field: str | None = None
    qualifier_types: frozenset[str] = field(default=frozenset(), converter=_node_types)
    wrapper_types: frozenset[str] = field(default=frozenset(), converter=_node_types)


@frozen
class DefinitionRules:
    """A language's definition rules; ``separator`` joins qualified names (``Class.method``)."""

    rules: tuple[DefinitionRule, ...]
    separator: str = "."

    def by_node_type(self) -> dict[str, tuple[DefinitionRule, ...]]:
        by_type: dict[str, tuple[DefinitionRule, ...]] = {}
        for rule in self.rules:
            by_type[rule.node_type] = (*by_type.get(rule.node_type, ()), rule)
        return by_type


@frozen
class Definition:
    """One definition found in a source.

    Spans are tree-sitter's: bytes into the UTF-8 source, points as 0-based ``(row, byte column)``.
    ``start_line``/``end_line`` are 1-based. ``depth`` counts enclosing definitions of any kind
    (0: not inside another function or class); ``wrappers`` are the node types the span extends over.
    """

    name: str
    qualified_name: str
    kind: str
    node_type: str
    start_byte: int
    end_byte: int
    start_point: tuple[int, int]
    end_point: tuple[int, int]
    text: str
    depth: int = 0
    wrappers: tuple[str, ...] = ()

    @property
    def start_line(self) -> int:
        return self.start_point[0] + 1

    @property
    def end_line(self) -> int:
        return self.end_point[0] + 1


def definitions(
    grammar: Grammar, source: str | bytes, rules: DefinitionRules, *, tree: Tree | None = None
) -> list[Definition]:
    """Every definition in ``source``, in document order (a class before its methods)."""
    data = as_bytes(source)
    root = (tree or parse(grammar, data)).root_node
    return list(_definitions(root, data, rules))


def find_definition(
    grammar: Grammar,
    source: str | bytes,
    rules: DefinitionRules,
    name: str,
    *,
    tree: Tree | None = None,
) -> Definition | None:
    """The definition named ``name``: a qualified name (``Class.method``) or a bare one.

    An exact qualified-name match wins; otherwise a bare name matches by its last part. Among
    several matches the shallowest, then the first, is returned.
    """
    found = definitions(grammar, source, rules, tree=tree)
    exact = [definition for definition in found if definition.qualified_name == name]
    if exact:
        return min(exact, key=lambda definition: definition.depth)
    if rules.separator in name:
        return None
    by_name = [definition for definition in found if definition.name == name]
    return min(by_name, key=lambda definition: definition.depth) if by_name else None


def _defining_nodes(root: Node, node_types: Collection[str]) -> Iterator[Node]:
    """Nodes of the defining types in document order, by a cursor walk (no recursion, no child
    lists; a tree-sitter query is quadratic on deeply nested error trees). Types are compared by
    name: a grammar may give one name several symbol ids (aliases)."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None and node.type in node_types:
            yield node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def _definitions(root: Node, data: bytes, rules: DefinitionRules) -> Iterator[Definition]:
    by_type = rules.by_node_type()
    # Enclosing definitions come from a stack of open spans: the walk is in document order.
    open_definitions: list[tuple[int, tuple[str, ...], int]] = []  # (end byte, scopes inside, depth inside)
    for node in _defining_nodes(root, by_type.keys()):
        while open_definitions and open_definitions[-1][0] <= node.start_byte:
            open_definitions.pop()
        scopes, depth = (open_definitions[-1][1], open_definitions[-1][2]) if open_definitions else ((), 0)
        for rule in by_type[node.type]:
            name = _name(node, rule, data)
            if name is None:
                continue
            qualifier = _qualifier(node, rule, data)
            qualified = rules.separator.join((*scopes, *qualifier, name))
            yield _definition(node, rule, name, qualified, depth=depth, data=data)
            inner_scopes = (*scopes, *qualifier, name) if rule.scope else scopes
            open_definitions.append((node.end_byte, inner_scopes, depth + 1))
            break


def _name(node: Node, rule: DefinitionRule, data: bytes) -> str | None:
    name_node = node.child_by_field_name(rule.name_field)
    if name_node is None:
        return None
    if rule.value_field is not None:
        value = node.child_by_field_name(rule.value_field)
        if value is None or not _is_value_of_types(value, rule.value_types):
            return None
    return node_text(name_node, data)


def _is_value_of_types(value: Node, types: frozenset[str]) -> bool:
    if value.type in types:
        return True
    named = value.named_children
    return len(named) == 1 and named[0].type in types


def _qualifier(node: Node, rule: DefinitionRule, data: bytes) -> tuple[str, ...]:
    if rule.qualifier_field is None:
        return ()
    holder = node.child_by_field_name(rule.qualifier_field)
    if holder is None:
        return ()
    stack = [holder]
    while stack:
        current = stack.pop()
        if current.type in rule.qualifier_types:
            return (node_text(current, data),)
        stack.extend(reversed(current.named_children))
    return ()


def _definition(
    node: Node, rule: DefinitionRule, name: str, qualified: str, *, depth: int, data: bytes
) -> Definition:
    outer = node
    wrappers: list[str] = []
    while (parent := outer.parent) is not None and parent.type in rule.wrapper_types:
        if [child for child in parent.named_children if not child.is_extra] != [outer]:
            break
        wrappers.append(parent.type)
        outer = parent
    return Definition(
        name=name,
        qualified_name=qualified,
        kind=rule.kind,
        node_type=node.type,
        start_byte=outer.start_byte,
        end_byte=outer.end_byte,
        start_point=(outer.start_point.row, outer.start_point.column),
        end_point=(outer.end_point.row, outer.end_point.column),
        text=node_text(outer, data),
        depth=depth,
        wrappers=tuple(wrappers),
    )
