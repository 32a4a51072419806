"""Candidates that visibly change a function's contract are dropped.

The released client compares no JavaScript return values (its npm runtime never records them), so
a wrong but faster candidate would be applied. What can be seen statically is checked here: the
parameters, type parameters, return type, ``async`` and generator-ness, accessor/static modifiers,
``export``, and that a function that returned a value still does. The client also keeps the
original signature when it transplants only a body, so a changed signature breaks at run time.
"""

from tree_sitter import Node

from codeflash_engine.treesitter import Definition, fingerprint
from codeflash_lang_js.languages import IGNORED_TOKENS
from codeflash_lang_js.postprocessing.parsed import OriginalCode, ParsedFile, function_node

_MODIFIERS = frozenset({"async", "*", "static", "get", "set"})
_NESTED_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function",
        "generator_function_declaration",
        "class_declaration",
        "class",
    }
)


def _signature(file: ParsedFile, function: Node) -> dict[str, str]:
    parts: dict[str, str] = {}
    for field in ("parameters", "parameter", "type_parameters", "return_type"):
        child = function.child_by_field_name(field)
        if child is not None:
            parts[field] = fingerprint(
                file.grammar, file.data, tree=file.tree, node=child, ignored_tokens=IGNORED_TOKENS
            )
    for child in function.children:
        if child.type in _MODIFIERS:
            parts[child.type] = child.type
    return parts


def _returns_a_value(function: Node) -> bool:
    body = function.child_by_field_name("body")
    if body is None:
        return False
    if function.type == "arrow_function" and body.type != "statement_block":
        return True
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement" and node.named_child_count:
            return True
        if node.type not in _NESTED_FUNCTIONS:
            stack.extend(node.named_children)
    return False


def _describe(field: str) -> str:
    return {
        "parameters": "parameters",
        "parameter": "parameters",
        "type_parameters": "type parameters",
        "return_type": "return type",
        "*": "generator `*`",
    }.get(field, f"`{field}`")


def _problem(
    name: str, before: tuple[ParsedFile, Node, Definition], after: tuple[ParsedFile, Node, Definition]
) -> str | None:
    old_sig, new_sig = _signature(before[0], before[1]), _signature(after[0], after[1])
    if ("async" in old_sig) != ("async" in new_sig):
        return f"`{name}` is no longer async" if "async" in old_sig else f"`{name}` becomes async"
    changed = sorted(
        field for field in old_sig.keys() | new_sig.keys() if old_sig.get(field) != new_sig.get(field)
    )
    if changed:
        return f"`{name}` changes its signature ({', '.join(_describe(field) for field in changed)})"
    if "export_statement" in before[2].wrappers and "export_statement" not in after[2].wrappers:
        return f"`{name}` is no longer exported"
    if _returns_a_value(before[1]) and not _returns_a_value(after[1]):
        return f"`{name}` no longer returns a value"
    return None


def contract_problem(files: tuple[ParsedFile, ...], original: OriginalCode) -> str | None:
    """Why the candidate changes a function's contract, or ``None``; every function the original
    and the candidate both define is checked, the target first."""
    for file in files:
        before_file = original.file(file.path)
        if before_file is None:
            continue
        for definition in file.definitions:
            if definition.kind not in ("function", "method"):
                continue
            previous = before_file.find(definition.qualified_name)
            if previous is None or previous.kind not in ("function", "method"):
                continue
            old_node, new_node = function_node(before_file, previous), function_node(file, definition)
            if old_node is None or new_node is None:
                continue
            problem = _problem(
                definition.qualified_name, (before_file, old_node, previous), (file, new_node, definition)
            )
            if problem is not None:
                return problem
    return None


def target_problem(files: tuple[ParsedFile, ...], original: OriginalCode) -> str | None:
    if original.target is None:
        return None
    holder = next((file for file in files if file.path == original.target_path), None)
    if holder is None:
        return f"the candidate leaves out {original.target_path}, which holds `{original.target}`"
    if holder.find(original.target) is None:
        return f"the candidate does not define `{original.target}`"
    return None
