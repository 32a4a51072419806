"""New top-level code in the forms the client's replacer keeps.

The client replaces the target and its known helpers by name and inserts new module-level
``const``/``let``/``var``/``class``/``type`` declarations; it ignores new ``import`` statements and
new top-level ``function`` declarations. So a new helper function becomes a ``const`` arrow
function (a function expression when it uses ``this`` or ``arguments``), a new import becomes a
``require`` in a CommonJS file, and what cannot be rewritten drops the candidate with the reason.
"""

from attrs import frozen
from tree_sitter import Node

from codeflash_engine.domain import SourceFile
from codeflash_engine.treesitter import fingerprint, node_text, walk
from codeflash_lang_js.languages import IGNORED_TOKENS
from codeflash_lang_js.postprocessing.parsed import OriginalCode, ParsedFile, parse_file

_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})


class TopLevelError(ValueError):
    """The candidate needs a top-level form the client ignores and that cannot be rewritten."""


@frozen
class _Edit:
    start: int
    end: int
    text: str


def _declaration(statement: Node) -> Node:
    inner = statement.child_by_field_name("declaration") if statement.type == "export_statement" else None
    return inner or statement


def _uses_own_binding(body: Node, data: bytes) -> bool:
    """``this`` or ``arguments`` in the function's own scope: an arrow function would change them."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "this" or (node.type == "identifier" and node_text(node, data) == "arguments"):
            return True
        if node.type in ("function_declaration", "function_expression", "function", "method_definition"):
            continue
        stack.extend(node.named_children)
    return False


def _as_const(function: Node, data: bytes) -> str:
    def text(field: str) -> str:
        child = function.child_by_field_name(field)
        return node_text(child, data) if child is not None else ""

    name, parameters, body = text("name"), text("parameters"), text("body")
    type_parameters, return_type = text("type_parameters"), text("return_type")
    is_async = any(child.type == "async" for child in function.children)
    prefix = "async " if is_async else ""
    body_node = function.child_by_field_name("body")
    if body_node is not None and _uses_own_binding(body_node, data):
        return f"const {name} = {prefix}function {name}{type_parameters}{parameters}{return_type} {body};"
    return f"const {name} = {prefix}{type_parameters}{parameters}{return_type} => {body};"


def _import_as_require(statement: Node, data: bytes) -> str:
    source = statement.child_by_field_name("source")
    clause = next((child for child in statement.named_children if child.type == "import_clause"), None)
    if source is None or clause is None:
        raise TopLevelError(f"adds `{node_text(statement, data)}`, an import the client's replacer ignores")
    module = node_text(source, data)
    parts: list[str] = []
    for child in clause.named_children:
        if child.type == "identifier":
            parts.append(f"const {node_text(child, data)} = require({module});")
        elif child.type == "namespace_import":
            namespace = next(n for n in child.named_children if n.type == "identifier")
            parts.append(f"const {node_text(namespace, data)} = require({module});")
        elif child.type == "named_imports":
            names = []
            for specifier in child.named_children:
                imported = specifier.child_by_field_name("name")
                alias = specifier.child_by_field_name("alias")
                if imported is None:
                    continue
                names.append(
                    f"{node_text(imported, data)}: {node_text(alias, data)}"
                    if alias is not None
                    else node_text(imported, data)
                )
            parts.append(f"const {{ {', '.join(names)} }} = require({module});")
    return "\n".join(parts)


def _is_type_only(statement: Node) -> bool:
    return any(child.type == "type" for child in statement.children)


def rewrite_top_level(file: ParsedFile, original: OriginalCode, language: str) -> ParsedFile:
    """``file`` with new top-level functions and (CommonJS) imports rewritten; raises
    ``TopLevelError`` for what the client would ignore and cannot be rewritten."""
    before = original.file(file.path)
    known_names = before.top_level_names() if before is not None else set()
    known_imports = (
        {
            fingerprint(
                before.grammar, before.data, tree=before.tree, node=node, ignored_tokens=IGNORED_TOKENS
            )
            for node in before.tree.root_node.named_children
            if node.type == "import_statement"
        }
        if before is not None
        else set()
    )
    edits: list[_Edit] = []
    for statement in file.tree.root_node.named_children:
        declaration = _declaration(statement)
        if declaration.type in _FUNCTION_DECLARATIONS:
            name_node = declaration.child_by_field_name("name")
            name = node_text(name_node, file.data) if name_node is not None else ""
            if name in known_names:
                continue
            if declaration.type == "generator_function_declaration":
                raise TopLevelError(
                    f"adds the generator function `{name}`, which the client's replacer ignores"
                )
            edits.append(_Edit(statement.start_byte, statement.end_byte, _as_const(declaration, file.data)))
        elif statement.type == "import_statement" and not _is_type_only(statement):
            key = fingerprint(
                file.grammar, file.data, tree=file.tree, node=statement, ignored_tokens=IGNORED_TOKENS
            )
            if key in known_imports:
                continue
            if original.module_system == "esm":
                raise TopLevelError(
                    f"adds `{node_text(statement, file.data)}`: the client's replacer ignores new imports"
                )
            edits.append(
                _Edit(statement.start_byte, statement.end_byte, _import_as_require(statement, file.data))
            )
    _check_new_methods(file, original)
    if not edits:
        return file
    data = file.data
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.text.encode() + data[edit.end :]
    return parse_file(SourceFile(file.path, data.decode("utf-8", errors="surrogatepass")), language)


def _check_new_methods(file: ParsedFile, original: OriginalCode) -> None:
    """A new method of an existing class is ignored by the client; calling it breaks the candidate."""
    before = original.file(file.path)
    if before is None:
        return
    known = {d.qualified_name for d in before.definitions}
    classes = {d.qualified_name for d in before.definitions if d.kind == "class"}
    for definition in file.definitions:
        owner = definition.qualified_name.rpartition(".")[0]
        if definition.kind != "method" or owner not in classes or definition.qualified_name in known:
            continue
        calls = [
            node
            for node in walk(file.tree.root_node)
            if node.type == "property_identifier"
            and node_text(node, file.data) == definition.name
            and not (definition.start_byte <= node.start_byte < definition.end_byte)
        ]
        if calls:
            raise TopLevelError(
                f"adds the method `{definition.qualified_name}` and calls it; the client's replacer "
                "only replaces existing methods"
            )
