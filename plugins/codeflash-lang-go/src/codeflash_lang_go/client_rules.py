"""One candidate file rewritten into what the client's replacer keeps (``client-contract-go.md`` §4).

The client takes only the target function (with the doc comment above it, else the original's is
lost) and merges new imports and new package-level ``var``/``const``; new functions, methods and
types are lost and edits to existing helpers ignored. So here:

- a new or changed helper function the target calls is folded into the target as a local closure
  (directly called closures can be inlined by the compiler, and a local name cannot collide with a
  package-level name the client did not show); one that a new package-level ``var``/``const``
  needs becomes a function-typed ``var``;
- a new type the target needs becomes a local type of the target;
- what cannot be kept that way (a new method, a generic helper, a new ``init``, a changed type)
  drops the candidate, with the reason;
- new imports nothing uses are removed (the client would merge them and the build would fail);
- the original doc comment is put back when the candidate left it out.

The result is re-parsed; ``Effective`` is what the client would apply, for de-duplication.
"""

from collections.abc import Iterable, Mapping

from attrs import frozen
from tree_sitter import Node

from codeflash_lang_go.syntax import (
    GoDeclaration,
    GoFile,
    GoFunction,
    GoImport,
    doc_start,
    fingerprint,
    identifiers,
    package_qualifiers,
    read_file,
    text,
    walk,
)
from codeflash_lang_go.target import Target
from codeflash_lang_go.versions import NEWER_BUILTINS, NEWER_PACKAGES, GoVersion


class Unkeepable(Exception):
    """The candidate cannot be put into a form the client applies; the message says why."""


@frozen
class Effective:
    """What the client applies from a candidate, compared without comments and formatting."""

    target: tuple[str, ...]
    declarations: frozenset[tuple[str, ...]]
    imports: frozenset[str]


@frozen
class Rewritten:
    code: str
    effective: Effective


@frozen
class _Edit:
    start: int
    end: int
    replacement: bytes


def _find(file: GoFile, target: Target) -> GoFunction | None:
    for function in file.functions:
        if function.name == target.name and function.receiver_type == target.receiver_type:
            return function
    return None


def effective(file: GoFile, original: GoFile, target: Target) -> Effective:
    function = _find(file, target)
    if function is None:
        raise Unkeepable(f"the code has no function {target.qualified_name}")
    original_declarations = {fingerprint(d.node) for d in original.declarations if d.kind != "type"}
    declarations = frozenset(
        fingerprint(d.node)
        for d in file.declarations
        if d.kind != "type" and fingerprint(d.node) not in original_declarations
    )
    original_paths = {i.path for i in original.imports}
    imports = frozenset(i.path for i in file.imports if i.path not in original_paths)
    return Effective(fingerprint(function.node), declarations, imports)


def _references(node: Node, names: Iterable[str]) -> set[str]:
    return identifiers(node) & set(names)


def _signature(function: GoFunction) -> str:
    """``func(a int) (int, error)``: the function's type."""
    parameters = function.field("parameters")
    result = function.field("result")
    return f"func{text(parameters) if parameters is not None else '()'}" + (
        f" {text(result)}" if result is not None else ""
    )


def _literal(function: GoFunction) -> str:
    body = function.field("body")
    return f"{_signature(function)} {text(body) if body is not None else '{}'}"


def _reachable(start: set[str], graph: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(start)
    while stack:
        name = stack.pop()
        if name in seen or name not in graph:
            continue
        seen.add(name)
        stack.extend(graph[name])
    return seen


def _order(names: set[str], graph: Mapping[str, set[str]]) -> tuple[list[str], set[str]]:
    """Callees before callers; the names on a cycle (or calling themselves) are returned apart."""
    cyclic = {name for name in names if name in _reachable(graph[name] & names, graph)}
    ordered: list[str] = []
    placed: set[str] = set()
    pending = sorted(names - cyclic)
    while pending:
        ready = [name for name in pending if not (graph[name] & names - cyclic - placed - {name})]
        if not ready:  # unreachable: a cycle would have been found above
            ready = pending[:1]
        for name in ready:
            ordered.append(name)
            placed.add(name)
            pending.remove(name)
    return ordered, cyclic


def _check_version(function: GoFunction, file: GoFile, version: GoVersion, original: GoFile) -> None:
    declared = {f.name for f in file.functions} | {n for d in file.declarations for n in d.names}
    for node in walk(function.node):
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            name = text(callee) if callee is not None and callee.type == "identifier" else ""
            since = NEWER_BUILTINS.get(name)
            if since and name not in declared and not version.allows(since):
                raise Unkeepable(
                    f"it calls the builtin {name}, new in Go {since[0]}.{since[1]} (module: Go {version.label})"
                )
    original_paths = {i.path for i in original.imports}
    for imported in file.imports:
        since = NEWER_PACKAGES.get(imported.path)
        if since and imported.path not in original_paths and not version.allows(since):
            raise Unkeepable(
                f"it imports {imported.path}, new in Go {since[0]}.{since[1]} (module: Go {version.label})"
            )


def rewrite(
    code: str, original: GoFile, target: Target, version: GoVersion, read_only: str = ""
) -> Rewritten:
    """``code`` as the client will apply it, or ``Unkeepable``."""
    file = read_file(code)
    function = _find(file, target)
    if function is None:
        raise Unkeepable(f"the candidate has no function {target.qualified_name}")
    original_function = _find(original, target)
    if original_function is not None and function.signature() != original_function.signature():
        raise Unkeepable(
            f"it changes the signature of {target.qualified_name} (receiver, parameters or results): "
            "its callers would no longer build"
        )
    _check_version(function, file, version, original)

    originals = {f.key: f for f in original.functions}
    known_types = _type_fingerprints(original) | _type_fingerprints(read_file(read_only))
    helpers: dict[str, GoFunction] = {}
    removals: list[Node] = []
    for other in file.functions:
        if other is function:
            continue
        before = originals.get(other.key)
        if before is not None and fingerprint(before.node) == fingerprint(other.node):
            removals.append(other.node)  # the client keeps the original anyway
            continue
        if other.name in ("main", "init") and other.receiver_type is None:
            if other.name == "init":
                raise Unkeepable("it adds an init function, which the client does not apply")
            removals.append(other.node)
            continue
        if other.receiver_type is not None:
            change = "changes" if before is not None else "adds"
            raise Unkeepable(
                f"it {change} the method {other.qualified_name}, which the client does not apply"
            )
        if other.field("type_parameters") is not None:
            raise Unkeepable(f"it adds the generic helper {other.name}, which cannot become a closure")
        helpers[other.name] = other
        removals.append(other.node)

    new_types: dict[str, GoDeclaration] = {}
    for declaration in file.declarations:
        if declaration.kind != "type":
            continue
        if fingerprint(declaration.node) in known_types:
            removals.append(declaration.node)
            continue
        if any(name in known_types_names(original, read_only) for name in declaration.names):
            raise Unkeepable(
                f"it changes the type {', '.join(declaration.names)}, which the client does not apply"
            )
        for name in declaration.names:
            new_types[name] = declaration

    new_values = [d for d in file.declarations if d.kind in ("var", "const")]
    graph = {
        name: _references(helper.field("body") or helper.node, helpers) for name, helper in helpers.items()
    }
    package_level = _reachable(set().union(*(_references(d.node, helpers) for d in new_values)), graph)
    folded = _reachable(_references(function.node, helpers), graph) - package_level
    for name in package_level:
        if (
            name in graph[name]
            or target.name in identifiers(helpers[name].node)
            or graph[name] - package_level
        ):
            raise Unkeepable(
                f"the helper {name} is needed by a package-level declaration and cannot become a "
                "function-typed var (it is recursive or calls back into the code)"
            )
    if package_level and _order(package_level, graph)[1]:
        raise Unkeepable("helpers needed by package-level declarations call each other in a cycle")

    type_users = [function.node, *(helpers[name].node for name in folded)]
    local_types = {name for name in new_types if any(name in identifiers(node) for node in type_users)}
    if any(name in identifiers(d.node) for d in new_values for name in new_types):
        raise Unkeepable("a new package-level declaration uses a new type, which the client does not apply")
    if any(_has_methods(file, name) for name in local_types):
        raise Unkeepable("it adds methods to a new type, which the client does not apply")
    removals.extend(d.node for d in {id(d): d for d in new_types.values()}.values())

    edits: list[_Edit] = []
    if removals or local_types or folded or package_level:
        for node in removals:
            start = doc_start(node)
            name_node = node.child_by_field_name("name")
            name = text(name_node) if name_node is not None else ""
            replacement = b""
            if node.type == "function_declaration" and name in package_level:
                replacement = f"var {name} = {_literal(helpers[name])}".encode()
            edits.append(_Edit(start.start_byte, node.end_byte, replacement))
        edits.append(_fold_edit(function, file, folded, local_types, new_types, helpers, graph))
    edits.extend(_doc_edit(function, original_function))
    rewritten = _apply(code, edits)
    rewritten = _drop_unused_imports(rewritten, original)
    result = read_file(rewritten)
    if result.tree.root_node.has_error:
        raise Unkeepable("rewriting it for the client produced invalid code")
    return Rewritten(rewritten, effective(result, original, target))


def known_types_names(original: GoFile, read_only: str) -> set[str]:
    names = {n for d in original.declarations if d.kind == "type" for n in d.names}
    return names | {n for d in read_file(read_only).declarations if d.kind == "type" for n in d.names}


def _type_fingerprints(file: GoFile) -> set[tuple[str, ...]]:
    return {fingerprint(d.node) for d in file.declarations if d.kind == "type"}


def _has_methods(file: GoFile, type_name: str) -> bool:
    return any(f.receiver_type == type_name for f in file.functions)


def _fold_edit(
    function: GoFunction,
    file: GoFile,
    folded: set[str],
    local_types: set[str],
    new_types: Mapping[str, GoDeclaration],
    helpers: Mapping[str, GoFunction],
    graph: Mapping[str, set[str]],
) -> _Edit:
    """Local types and helper closures at the top of the target's body."""
    body = function.field("body")
    assert body is not None
    lines: list[str] = []
    seen_types: set[int] = set()
    for name in sorted(local_types):
        declaration = new_types[name]
        if id(declaration) not in seen_types:
            seen_types.add(id(declaration))
            lines.append(text(declaration.node))
    ordered, cyclic = _order(folded, graph)
    # A closure that calls itself (or one of a cycle) must be declared before it is assigned.
    lines.extend(f"var {name} {_signature(helpers[name])}" for name in sorted(cyclic))
    lines.extend(f"{name} := {_literal(helpers[name])}" for name in ordered)
    lines.extend(f"{name} = {_literal(helpers[name])}" for name in sorted(cyclic))
    parameters = {
        text(node)
        for node in walk(function.field("parameters") or function.node)
        if node.type == "identifier"
    }
    clashes = (folded | local_types) & parameters
    if clashes:
        raise Unkeepable(f"the helper {sorted(clashes)[0]} has the name of a parameter of {function.name}")
    insertion = "\n" + "\n".join(lines) + "\n" if lines else ""
    return _Edit(body.start_byte + 1, body.start_byte + 1, insertion.encode())


def _doc_edit(function: GoFunction, original: GoFunction | None) -> list[_Edit]:
    if original is None or function.has_doc_comment() or not original.has_doc_comment():
        return []
    start = doc_start(original.node)
    doc = original.with_doc()[: original.node.start_byte - start.start_byte]
    return [_Edit(function.node.start_byte, function.node.start_byte, doc.encode())]


def _apply(code: str, edits: list[_Edit]) -> str:
    data = code.encode("utf-8")
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        data = data[: edit.start] + edit.replacement + data[edit.end :]
    return data.decode("utf-8")


def _drop_unused_imports(code: str, original: GoFile) -> str:
    """New imports the code never refers to: the client would merge them and the build fail."""
    file = read_file(code)
    used = package_qualifiers(file.root)
    original_paths = {i.path for i in original.imports}
    edits: list[_Edit] = []
    for node in file.root.named_children:
        if node.type != "import_declaration":
            continue
        for spec in walk(node):
            if spec.type != "import_spec":
                continue
            path_node = spec.child_by_field_name("path")
            alias_node = spec.child_by_field_name("name")
            path = text(path_node).strip('"`') if path_node is not None else ""
            alias = text(alias_node) if alias_node is not None else None
            if path in original_paths or alias in ("_", "."):
                continue
            if GoImport(path, alias, grouped=True).package_name in used:
                continue
            whole = spec.parent is node  # ``import "x"``: the declaration goes with it
            target_node = node if whole else spec
            edits.append(_Edit(target_node.start_byte, target_node.end_byte, b""))
    return _apply(code, edits) if edits else code
