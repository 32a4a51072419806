"""Files parsed once with the grammar the client would use, and the code the request sent."""

from collections.abc import Callable, Sequence

from attrs import field, frozen
from tree_sitter import Node, Tree

from codeflash_engine.domain import SourceFile, TaskRequest
from codeflash_engine.treesitter import Definition, Grammar, definitions, parse
from codeflash_lang_js import project
from codeflash_lang_js.languages import FUNCTION_NODE_TYPES, RULES, grammar_for


@frozen
class ParsedFile:
    path: str | None
    code: str
    data: bytes
    grammar: Grammar
    tree: Tree
    definitions: tuple[Definition, ...]

    def find(self, qualified_name: str) -> Definition | None:
        found = [d for d in self.definitions if d.qualified_name == qualified_name]
        return min(found, key=lambda definition: definition.depth) if found else None

    def top_level_names(self) -> set[str]:
        return {d.name for d in self.definitions if d.depth == 0}


def parse_file(file: SourceFile, language: str) -> ParsedFile:
    grammar = grammar_for(file.path, language)
    data = file.code.encode("utf-8", errors="surrogatepass")
    tree = parse(grammar, data)
    return ParsedFile(
        file.path, file.code, data, grammar, tree, tuple(definitions(grammar, data, RULES, tree=tree))
    )


def function_node(file: ParsedFile, definition: Definition) -> Node | None:
    """The function node a function or method definition stands for, inside its wrappers
    (``export_statement`` > ``lexical_declaration`` > ``variable_declarator``)."""
    node = file.tree.root_node.descendant_for_byte_range(definition.start_byte, definition.end_byte)
    for _ in definition.wrappers:
        if node is None or node.type == definition.node_type:
            break
        node = next((child for child in node.named_children if not child.is_extra), None)
    if node is None or node.type != definition.node_type:
        return None
    if node.type == "variable_declarator":
        return node.child_by_field_name("value")
    return node if node.type in FUNCTION_NODE_TYPES else None


@frozen
class OriginalCode:
    """The request's files, parsed, and the target: its file and qualified name.

    ``prints`` caches the fingerprints of each original file, computed once per request rather
    than once per candidate.
    """

    files: tuple[ParsedFile, ...]
    target: str | None
    target_path: str | None
    module_system: str
    _prints: dict[str | None, tuple[dict[str, str], set[str]]] = field(factory=dict, eq=False, repr=False)

    def file(self, path: str | None) -> ParsedFile | None:
        return next((file for file in self.files if file.path == path), None)

    def prints(
        self,
        path: str | None,
        definition_prints: Callable[[ParsedFile], dict[str, str]],
        statement_prints: Callable[[ParsedFile], set[str]],
    ) -> tuple[dict[str, str], set[str]]:
        """The original file's definition and statement fingerprints (empty for a new file)."""
        if path not in self._prints:
            before = self.file(path)
            self._prints[path] = (
                (definition_prints(before), statement_prints(before)) if before is not None else ({}, set())
            )
        return self._prints[path]

    @property
    def target_class(self) -> str | None:
        return self.target.rsplit(".", 1)[0] if self.target and "." in self.target else None


def _inferred_target(first: ParsedFile) -> str | None:
    """The client sends the target first (after the imports), then its helpers; a class holds its
    fields and constructor before the target method."""
    top = [d for d in first.definitions if d.depth == 0]
    if not top:
        return None
    if top[0].kind != "class":
        return top[0].qualified_name
    methods = [
        d
        for d in first.definitions
        if d.qualified_name.startswith(top[0].name + ".") and d.depth == 1 and d.name != "constructor"
    ]
    return methods[0].qualified_name if methods else None


def _target_path(request: TaskRequest, files: Sequence[ParsedFile]) -> str | None:
    function = project.function_to_optimize(request)
    absolute = str(function.get("file_path") or (request.target.file_path if request.target else "") or "")
    for file in files:
        if file.path and absolute and (absolute == file.path or absolute.endswith("/" + file.path)):
            return file.path
    return files[0].path if files else None


def parse_originals(request: TaskRequest) -> OriginalCode:
    files = tuple(parse_file(file, request.language) for file in request.files)
    target_path = _target_path(request, files)
    target = project.qualified_target(request)
    if target is None and files:
        target_file = next((file for file in files if file.path == target_path), files[0])
        target = _inferred_target(target_file)
    return OriginalCode(files, target, target_path, project.module_system(request))
