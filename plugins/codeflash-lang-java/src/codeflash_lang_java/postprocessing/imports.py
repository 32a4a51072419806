"""The client never adds ``import`` lines (its ``add_global_declarations`` returns the original
file), so a candidate's new imports are rewritten into fully qualified names, and common JDK types
used with no import at all are qualified too; what cannot be rewritten drops the candidate."""

import re

from attrs import frozen

from codeflash_lang_java.grammar import Node, captures, parse, text
from codeflash_lang_java.structure import Import, JavaUnit, read_unit

_NAMES = "(type_identifier) @type (identifier) @identifier"

KNOWN_JDK_TYPES = {
    name: f"{package}.{name}"
    for package, names in {
        "java.util": (
            "ArrayDeque ArrayList Arrays BitSet Collection Collections Comparator Deque EnumMap EnumSet "
            "HashMap HashSet IdentityHashMap Iterator LinkedHashMap LinkedHashSet LinkedList List Map "
            "NavigableMap NavigableSet Objects Optional OptionalInt OptionalLong OptionalDouble "
            "PriorityQueue Queue Set SortedMap SortedSet Spliterator StringJoiner TreeMap TreeSet"
        ),
        "java.util.stream": "Collectors IntStream LongStream DoubleStream Stream StreamSupport",
        "java.util.function": (
            "BiConsumer BiFunction BinaryOperator Consumer Function IntBinaryOperator IntFunction "
            "IntPredicate IntUnaryOperator Predicate Supplier ToIntFunction UnaryOperator"
        ),
        "java.util.concurrent": "ConcurrentHashMap ConcurrentMap",
        "java.util.concurrent.atomic": "AtomicInteger AtomicLong",
        "java.math": "BigDecimal BigInteger",
        "java.nio.charset": "StandardCharsets",
    }.items()
    for name in names.split()
}
"""Types an LLM uses without importing, thinking the imports are elided; qualified when the
original neither imports nor mentions the name."""

_DECLARING = frozenset(
    {
        "variable_declarator",
        "formal_parameter",
        "spread_parameter",
        "catch_formal_parameter",
        "method_declaration",
        "constructor_declaration",
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "enum_constant",
        "lambda_expression",
        "inferred_parameters",
        "labeled_statement",
    }
)


class UnqualifiableImportError(ValueError):
    """A new import the candidate relies on cannot be turned into qualified names."""


@frozen
class _Rename:
    start: int
    end: int
    replacement: str


def _is_type_position(node: Node) -> bool:
    """A ``type_identifier`` that starts a type name (not ``Outer.Inner``'s second part)."""
    parent = node.parent
    return not (
        parent is not None and parent.type == "scoped_type_identifier" and parent.named_children[0] != node
    )


def _is_reference(node: Node) -> bool:
    """An ``identifier`` that refers to something by its simple name (not a declaration, not a
    member selected with a dot)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in _DECLARING and parent.child_by_field_name("name") == node:
        return False
    if parent.type in ("inferred_parameters", "lambda_expression"):
        return False
    if parent.type == "field_access" and parent.child_by_field_name("field") == node:
        return False
    if parent.type == "method_invocation" and parent.child_by_field_name("name") == node:
        return parent.child_by_field_name("object") is None
    return parent.type not in ("scoped_identifier", "import_declaration", "package_declaration")


def _renames(root: Node, data: bytes, names: dict[str, str], static_names: dict[str, str]) -> list[_Rename]:
    renames = []
    found = captures(root, _NAMES)
    for node in [*found.get("type", []), *found.get("identifier", [])]:
        if node.type == "type_identifier" and text(node, data) in names and _is_type_position(node):
            renames.append(_Rename(node.start_byte, node.end_byte, names[text(node, data)]))
        elif node.type == "identifier" and _is_reference(node):
            name = text(node, data)
            parent = node.parent
            is_call = (
                parent is not None
                and parent.type == "method_invocation"
                and parent.child_by_field_name("name") == node
            )
            if name in static_names:
                renames.append(_Rename(node.start_byte, node.end_byte, static_names[name]))
            elif name in names and not is_call:
                renames.append(_Rename(node.start_byte, node.end_byte, names[name]))
    return _outside_imports(renames, root)


def _outside_imports(renames: list[_Rename], root: Node) -> list[_Rename]:
    spans = [(n.start_byte, n.end_byte) for n in root.named_children if n.type == "import_declaration"]
    return [r for r in renames if not any(start <= r.start < end for start, end in spans)]


def _used_simple_names(root: Node, data: bytes) -> set[str]:
    found = captures(root, _NAMES)
    return {text(node, data) for node in found.get("type", []) if _is_type_position(node)} | {
        text(node, data) for node in found.get("identifier", []) if _is_reference(node)
    }


def _covered(name: str, original: JavaUnit) -> bool:
    qualified = KNOWN_JDK_TYPES[name]
    package = qualified.rsplit(".", 1)[0]
    return any(
        (imp.is_wildcard and not imp.is_static and imp.path == package) or imp.simple_name == name
        for imp in original.imports
    )


def qualify_new_imports(candidate: str, original: JavaUnit) -> str:
    """The candidate with new imports removed and their names fully qualified.

    Raises ``UnqualifiableImportError`` for a new wildcard import or a name clash.
    """
    unit = read_unit(candidate)
    known = {(imp.path, imp.is_static, imp.is_wildcard) for imp in original.imports}
    new_imports: list[Import] = [
        imp for imp in unit.imports if (imp.path, imp.is_static, imp.is_wildcard) not in known
    ]
    taken = {imp.simple_name: imp.path for imp in original.imports if not imp.is_wildcard}
    declared = {original.class_name, unit.class_name, *unit.extra_types} - {None}
    names: dict[str, str] = {}
    static_names: dict[str, str] = {}
    for imp in new_imports:
        if imp.is_wildcard:
            raise UnqualifiableImportError(
                f"adds `import {'static ' if imp.is_static else ''}{imp.path}.*;`, which the client drops"
                " and which cannot be rewritten into qualified names"
            )
        simple = imp.simple_name
        if imp.path.startswith("java.lang.") and imp.path.count(".") == 2 and not imp.is_static:
            continue
        if (taken.get(simple, imp.path) != imp.path) or simple in declared:
            raise UnqualifiableImportError(
                f"adds `import {imp.path};`, whose name {simple} already means something else in the file"
            )
        (static_names if imp.is_static else names)[simple] = imp.path
    tree = parse(candidate)
    source_data = candidate.encode("utf-8")
    used = _used_simple_names(tree.root_node, source_data)
    for name in sorted(used):
        if (
            name in KNOWN_JDK_TYPES
            and name not in names
            and name not in declared
            and name not in taken
            and not _covered(name, original)
            and re.search(rf"\b{name}\b", original.source) is None
        ):
            names[name] = KNOWN_JDK_TYPES[name]
    renames = _renames(tree.root_node, source_data, names, static_names)
    data = source_data
    for imp in sorted(new_imports, key=lambda imp: imp.start_byte):
        end = imp.end_byte + 1 if data[imp.end_byte : imp.end_byte + 1] == b"\n" else imp.end_byte
        renames.append(_Rename(imp.start_byte, end, ""))
    for rename in sorted(renames, key=lambda rename: rename.start, reverse=True):
        data = data[: rename.start] + rename.replacement.encode("utf-8") + data[rename.end :]
    return data.decode("utf-8")
