"""What a block of Java code declares, as the client's replacer sees it.

A context block is a compilation unit without its ``package`` line: ``import`` lines, one class
skeleton (header, fields, constructors, the target method) and the same-class helpers *after* the
class's closing brace, which tree-sitter-java reads as top-level methods. Helper-file blocks hold
bare methods. ``read_unit`` reads all three shapes into one list of members.
"""

import re
from functools import lru_cache

from attrs import frozen

from codeflash_lang_java.grammar import Node, node_fingerprint, parse, text

TYPE_DECLARATIONS = frozenset(
    {
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
        "annotation_type_declaration",
    }
)
_QUALIFIER = re.compile(r"\b(?:[a-z_][\w]*\.)+(?=[A-Z_$])")
_SPACE = re.compile(r"\s+")


def normalized_type(type_text: str) -> str:
    """``java.util.List< String >`` and ``List<String>`` name one type for a signature check."""
    return _QUALIFIER.sub("", _SPACE.sub("", type_text))


@frozen
class Signature:
    """What the client's replacer and the callers of a method rely on."""

    name: str
    type_parameters: str
    parameter_types: tuple[str, ...]
    return_type: str
    is_static: bool
    throws: frozenset[str]

    def describe(self) -> str:
        static = "static " if self.is_static else ""
        throws = f" throws {', '.join(sorted(self.throws))}" if self.throws else ""
        generic = f"{self.type_parameters} " if self.type_parameters else ""
        return f"{static}{generic}{self.return_type} {self.name}({', '.join(self.parameter_types)}){throws}"


@frozen
class Member:
    """A method, constructor, field, nested type or initializer; ``fingerprint`` ignores comments
    and layout. Fields declaring several variables carry all their names."""

    kind: str
    names: tuple[str, ...]
    fingerprint: str
    start_byte: int
    end_byte: int
    signature: Signature | None = None
    inside_class: bool = True

    @property
    def name(self) -> str:
        return ", ".join(self.names)


@frozen
class Import:
    path: str
    is_static: bool
    is_wildcard: bool
    start_byte: int
    end_byte: int

    @property
    def simple_name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@frozen
class JavaUnit:
    """One block. ``class_name``/``header`` are those of its first top-level type (``None`` for a
    block of bare methods); ``members`` are that type's body members, then top-level methods."""

    source: str
    package: str | None
    package_span: tuple[int, int] | None
    imports: tuple[Import, ...]
    class_name: str | None
    header: str | None
    members: tuple[Member, ...]
    extra_types: tuple[str, ...]

    def methods(self, name: str) -> list[Member]:
        return [member for member in self.members if member.kind == "method" and name in member.names]


def _signature(node: Node, data: bytes) -> Signature:
    modifiers = next((child for child in node.children if child.type == "modifiers"), None)
    is_static = modifiers is not None and any(child.type == "static" for child in modifiers.children)
    parameters = node.child_by_field_name("parameters")
    parameter_types: list[str] = []
    for parameter in parameters.named_children if parameters is not None else ():
        if parameter.type == "formal_parameter":
            kind = parameter.child_by_field_name("type")
            dimensions = parameter.child_by_field_name("dimensions")
            parameter_types.append(
                normalized_type(text(kind, data) if kind else "")
                + (text(dimensions, data).replace(" ", "") if dimensions else "")
            )
        elif parameter.type == "spread_parameter":
            kind = next((child for child in parameter.named_children if child.type != "modifiers"), None)
            parameter_types.append(normalized_type(text(kind, data) if kind else "") + "...")
    throws = next((child for child in node.children if child.type == "throws"), None)
    type_parameters = node.child_by_field_name("type_parameters")
    return_type = node.child_by_field_name("type")
    dimensions = node.child_by_field_name("dimensions")
    name = node.child_by_field_name("name")
    return Signature(
        name=text(name, data) if name is not None else "",
        type_parameters=_SPACE.sub("", text(type_parameters, data)) if type_parameters else "",
        parameter_types=tuple(parameter_types),
        return_type=normalized_type(text(return_type, data) if return_type else "")
        + (text(dimensions, data).replace(" ", "") if dimensions else ""),
        is_static=is_static,
        throws=frozenset(normalized_type(text(kind, data)) for kind in throws.named_children)
        if throws
        else frozenset(),
    )


def _field_names(node: Node, data: bytes) -> tuple[str, ...]:
    return tuple(
        text(name, data)
        for declarator in node.named_children
        if declarator.type == "variable_declarator" and (name := declarator.child_by_field_name("name"))
    )


def _member(node: Node, source: str, data: bytes, *, inside_class: bool) -> Member | None:
    kind = {
        "method_declaration": "method",
        "constructor_declaration": "constructor",
        "compact_constructor_declaration": "constructor",
        "field_declaration": "field",
        "static_initializer": "initializer",
        "block": "initializer",
    }.get(node.type, "type" if node.type in TYPE_DECLARATIONS else None)
    if kind is None:
        return None
    name_node = node.child_by_field_name("name")
    if kind == "field":
        names = _field_names(node, data)
    elif name_node is not None:
        names = (text(name_node, data),)
    else:
        names = (node.type,)
    return Member(
        kind=kind,
        names=names,
        fingerprint=node_fingerprint(source, node),
        start_byte=node.start_byte,
        end_byte=node.end_byte,
        signature=_signature(node, data) if kind in ("method", "constructor") else None,
        inside_class=inside_class,
    )


def _import(node: Node, data: bytes) -> Import:
    names = [child for child in node.named_children if child.type in ("scoped_identifier", "identifier")]
    return Import(
        path=text(names[0], data) if names else "",
        is_static=any(child.type == "static" for child in node.children),
        is_wildcard=any(child.type == "asterisk" for child in node.children),
        start_byte=node.start_byte,
        end_byte=node.end_byte,
    )


def _header(node: Node, source: str) -> str:
    body = node.child_by_field_name("body")
    return " ".join(
        node_fingerprint(source, child)
        for child in node.children
        if child != body and child.type not in ("line_comment", "block_comment")
    )


@lru_cache(maxsize=64)
def read_unit(source: str) -> JavaUnit:
    data = source.encode("utf-8")
    root = parse(source).root_node
    package: str | None = None
    package_span: tuple[int, int] | None = None
    imports: list[Import] = []
    members: list[Member] = []
    class_node: Node | None = None
    extra_types: list[str] = []
    for node in root.named_children:
        if node.type == "package_declaration":
            name = next((child for child in node.named_children if child.type != "annotation"), None)
            package = text(name, data) if name is not None else None
            package_span = (node.start_byte, node.end_byte)
        elif node.type == "import_declaration":
            imports.append(_import(node, data))
        elif node.type in TYPE_DECLARATIONS:
            if class_node is None:
                class_node = node
                body = node.child_by_field_name("body")
                for child in body.named_children if body is not None else ():
                    if child.type == "enum_body_declarations":
                        members.extend(
                            m
                            for grand in child.named_children
                            if (m := _member(grand, source, data, inside_class=True))
                        )
                    elif (member := _member(child, source, data, inside_class=True)) is not None:
                        members.append(member)
            else:
                name_node = node.child_by_field_name("name")
                extra_types.append(text(name_node, data) if name_node else node.type)
        elif (
            member := _member(node, source, data, inside_class=False)
        ) is not None and member.kind != "type":
            members.append(member)
    name_node = class_node.child_by_field_name("name") if class_node is not None else None
    return JavaUnit(
        source=source,
        package=package,
        package_span=package_span,
        imports=tuple(imports),
        class_name=text(name_node, data) if name_node is not None else None,
        header=_header(class_node, source) if class_node is not None else None,
        members=tuple(members),
        extra_types=tuple(extra_types),
    )
