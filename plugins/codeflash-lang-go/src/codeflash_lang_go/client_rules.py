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

from codeflash_engine.treesitter import walk
from codeflash_lang_go.syntax import GoDeclaration, GoFile, GoFunction, GoImport, doc_start, read_file
from codeflash_lang_go.target import Target
from codeflash_lang_go.versions import NEWER_BUILTINS, NEWER_PACKAGES, GoVersion


class Unkeepable(Exception):
    """The candidate cannot be put into a form the client applies; the message says why."""


@frozen
class Effective:
    """What the client applies from a candidate, compared without comments and formatting."""

    target: str
    declarations: frozenset[str]
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
    original_declarations = {original.fingerprint(d.node) for d in original.declarations if d.kind != "type"}
    declarations = frozenset(
        file.fingerprint(d.node)
        for d in file.declarations
        if d.kind != "type" and file.fingerprint(d.node) not in original_declarations
    )
    original_paths = {i.path for i in original.imports}
    imports = frozenset(i.path for i in file.imports if i.path not in original_paths)
    return Effective(function.fingerprint(), declarations, imports)


def _references(file: GoFile, node: Node, names: Iterable[str]) -> set[str]:
    return file.identifiers(node) & set(names)


def _signature(function: GoFunction) -> str:
    """``func(a int) (int, error)``: the function's type."""
    result = function.text_of("result")
    return f"func{function.text_of('parameters') or '()'}" + (f" {result}" if result else "")


def _literal(function: GoFunction) -> str:
    return f"{_signature(function)} {function.text_of('body') or '{}'}"


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
            name = file.text(callee) if callee is not None and callee.type == "identifier" else ""
            since = NEWER_BUILTINS.get(name)
            if since and name not in declared and not version.allows(since):
                raise Unkeepable(
                    f"it calls the builtin {name}, new in Go {since[0]}.{since[1]} "
                    f"(the module is on Go {version.label})"
                )
    original_paths = {i.path for i in original.imports}
    for imported in file.imports:
        since = NEWER_PACKAGES.get(imported.path)
        if since and imported.path not in original_paths and not version.allows(since):
            raise Unkeepable(
                f"it imports {imported.path}, new in Go {since[0]}.{since[1]} "
                f"(the module is on Go {version.label})"
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
    plan = _Plan(file, function)
    plan.sort_functions(original)
    plan.sort_types(original, read_file(read_only))
    plan.place_helpers()
    edits = plan.edits()
    edits.extend(_doc_edit(function, original_function))
    rewritten = _drop_unused_imports(_apply(code, edits), original)
    result = read_file(rewritten)
    if result.root.has_error:
        raise Unkeepable("rewriting it for the client produced invalid code")
    return Rewritten(rewritten, effective(result, original, target))


class _Plan:
    """What happens to each top-level function and type of a candidate besides the target."""

    def __init__(self, file: GoFile, function: GoFunction) -> None:
        self.file = file
        self.function = function
        self.helpers: dict[str, GoFunction] = {}
        self.removals: list[Node] = []
        self.new_types: dict[str, GoDeclaration] = {}
        self.graph: dict[str, set[str]] = {}
        self.package_level: set[str] = set()
        self.folded: set[str] = set()
        self.local_types: set[str] = set()

    def sort_functions(self, original: GoFile) -> None:
        originals = {f.key: f for f in original.functions}
        for other in self.file.functions:
            if other is self.function:
                continue
            before = originals.get(other.key)
            if before is not None and before.fingerprint() == other.fingerprint():
                self.removals.append(other.node)  # the client keeps the original anyway
                continue
            if other.receiver_type is None and other.name == "init":
                raise Unkeepable("it adds an init function, which the client does not apply")
            if other.receiver_type is None and other.name == "main":
                self.removals.append(other.node)
                continue
            if other.receiver_type is not None:
                change = "changes" if before is not None else "adds"
                raise Unkeepable(
                    f"it {change} the method {other.qualified_name}, which the client does not apply"
                )
            if other.field("type_parameters") is not None:
                raise Unkeepable(f"it adds the generic helper {other.name}, which cannot become a closure")
            # A changed helper too: the client ignores the edit, so the target gets its own copy.
            self.helpers[other.name] = other
            self.removals.append(other.node)

    def sort_types(self, original: GoFile, read_only: GoFile) -> None:
        known = [d for f in (original, read_only) for d in f.declarations if d.kind == "type"]
        known_prints = {
            f.fingerprint(d.node) for f in (original, read_only) for d in f.declarations if d.kind == "type"
        }
        known_names = {name for d in known for name in d.names}
        for declaration in self.file.declarations:
            if declaration.kind != "type":
                continue
            self.removals.append(declaration.node)
            if self.file.fingerprint(declaration.node) in known_prints:
                continue
            if known_names & set(declaration.names):
                changed = ", ".join(declaration.names)
                raise Unkeepable(f"it changes the type {changed}, which the client does not apply")
            self.new_types.update(dict.fromkeys(declaration.names, declaration))

    def place_helpers(self) -> None:
        """Helpers a new package-level var/const needs become function-typed vars; those only the
        target needs are folded into it."""
        helpers = self.helpers
        values = [d for d in self.file.declarations if d.kind in ("var", "const")]
        self.graph = {
            name: _references(self.file, helper.field("body") or helper.node, helpers)
            for name, helper in helpers.items()
        }
        self.package_level = _reachable(
            set().union(*(_references(self.file, d.node, helpers) for d in values)), self.graph
        )
        self.folded = (
            _reachable(_references(self.file, self.function.node, helpers), self.graph) - self.package_level
        )
        for name in self.package_level:
            calls_back = self.function.name in self.file.identifiers(helpers[name].node)
            if name in self.graph[name] or calls_back or self.graph[name] - self.package_level:
                raise Unkeepable(
                    f"the helper {name} is needed by a package-level declaration and cannot become a "
                    "function-typed var (it is recursive or calls back into the code)"
                )
        if _order(self.package_level, self.graph)[1]:
            raise Unkeepable("helpers needed by package-level declarations call each other in a cycle")
        users = [self.function.node, *(helpers[name].node for name in self.folded)]
        self.local_types = {
            name for name in self.new_types if any(name in self.file.identifiers(n) for n in users)
        }
        if any(name in self.file.identifiers(d.node) for d in values for name in self.new_types):
            raise Unkeepable(
                "a new package-level declaration uses a new type, which the client does not apply"
            )
        if any(f.receiver_type in self.new_types for f in self.file.functions):
            raise Unkeepable("it adds methods to a new type, which the client does not apply")
        parameters = {
            self.file.text(node)
            for node in walk(self.function.field("parameters") or self.function.node)
            if node.type == "identifier"
        }
        if clashes := (self.folded | self.local_types) & parameters:
            raise Unkeepable(
                f"the helper {sorted(clashes)[0]} has the name of a parameter of {self.function.name}"
            )

    def edits(self) -> list[_Edit]:
        if not self.removals:
            return []
        edits = []
        for node in self.removals:
            name_node = node.child_by_field_name("name")
            name = self.file.text(name_node) if name_node is not None else ""
            replacement = b""
            if node.type == "function_declaration" and name in self.package_level:
                replacement = f"var {name} = {_literal(self.helpers[name])}".encode()
            edits.append(_Edit(doc_start(node).start_byte, node.end_byte, replacement))
        if lines := self._folded_lines():
            body = self.function.field("body")
            assert body is not None
            insertion = ("\n" + "\n".join(lines) + "\n").encode()
            edits.append(_Edit(body.start_byte + 1, body.start_byte + 1, insertion))
        return edits

    def _folded_lines(self) -> list[str]:
        """Local types, then helper closures, callees first."""
        declarations = {id(self.new_types[name]): self.new_types[name] for name in sorted(self.local_types)}
        lines = [self.file.text(declaration.node) for declaration in declarations.values()]
        ordered, cyclic = _order(self.folded, self.graph)
        helpers = self.helpers
        # A closure that calls itself (or one of a cycle) must be declared before it is assigned.
        lines.extend(f"var {name} {_signature(helpers[name])}" for name in sorted(cyclic))
        lines.extend(f"{name} := {_literal(helpers[name])}" for name in ordered)
        lines.extend(f"{name} = {_literal(helpers[name])}" for name in sorted(cyclic))
        return lines


def _doc_edit(function: GoFunction, original: GoFunction | None) -> list[_Edit]:
    if original is None or function.has_doc_comment() or not original.has_doc_comment():
        return []
    return [_Edit(function.node.start_byte, function.node.start_byte, original.doc_comment().encode())]


def _apply(code: str, edits: list[_Edit]) -> str:
    data = code.encode("utf-8")
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        data = data[: edit.start] + edit.replacement + data[edit.end :]
    return data.decode("utf-8")


def _drop_unused_imports(code: str, original: GoFile) -> str:
    """New imports the code never refers to: the client would merge them and the build fail."""
    file = read_file(code)
    used = file.package_qualifiers(file.root)
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
            path = file.text(path_node).strip('"`') if path_node is not None else ""
            alias = file.text(alias_node) if alias_node is not None else None
            if path in original_paths or alias in ("_", "."):
                continue
            if GoImport(path, alias, grouped=True).package_name in used:
                continue
            whole = spec.parent is node  # ``import "x"``: the declaration goes with it
            target_node = node if whole else spec
            edits.append(_Edit(target_node.start_byte, target_node.end_byte, b""))
    return _apply(code, edits) if edits else code
