"""Postprocessing of a generated test class, for the client's Java test flow.

The client strips the assertions, instruments the class itself and names the file after the
``package`` line and the first ``class`` of the source, so the class must be a complete
compilation unit: the package of the class under test, the requested framework's imports,
imports for the project types it uses, and ``@Test`` methods that call the target by name with
deterministic inputs. Steps: ``validate``, ``framework``, ``shape``, ``tests``.
"""

import re
from collections.abc import Sequence

from attrs import evolve

from codeflash_engine.domain import Candidate, DroppedCandidate, PostprocessResult, SourceFile, TaskRequest
from codeflash_lang_java.grammar import Node, parse, text, walk
from codeflash_lang_java.java_version import parse_java_version
from codeflash_lang_java.structure import read_unit
from codeflash_lang_java.target import target_name
from codeflash_lang_java.testgen.frameworks import Framework, framework_named, framework_of_import
from codeflash_lang_java.validation import validate_file

_QUALIFIED = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
# The client's own way of finding the test class (languages/java/function_optimizer.py).
CLIENT_CLASS_PATTERN = re.compile(r"^\s*(?:(?:public|static|final|abstract)\s+)*class\s+(\w+)", re.MULTILINE)
_CLOCK_OWNERS = frozenset(
    {"LocalDate", "LocalDateTime", "LocalTime", "Instant", "ZonedDateTime", "OffsetDateTime"}
)
_NONDETERMINISTIC_CALLS = frozenset(
    {
        "Math.random",
        "System.currentTimeMillis",
        "System.nanoTime",
        "UUID.randomUUID",
        "ThreadLocalRandom.current",
    }
)


class _Refusal(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


def package_of(request: TaskRequest) -> str | None:
    """``com.example.Inventory`` -> ``com.example``; ``""`` for the default package; ``None`` when
    ``module_path`` is not a class name (then the model's own ``package`` line stays)."""
    module_path = str(request.details.get("module_path") or "")
    if not _QUALIFIED.match(module_path):
        return None
    return module_path.rpartition(".")[0]


def _set_package(code: str, package: str | None) -> str:
    if package is None:
        return code
    unit = read_unit(code)
    line = f"package {package};\n" if package else ""
    if unit.package_span is None:
        return f"{line}\n{code.lstrip()}" if line else code
    start, end = unit.package_span
    data = code.encode("utf-8")
    end += 1 if data[end : end + 1] == b"\n" else 0
    return (data[:start] + line.encode("utf-8") + data[end:]).decode("utf-8").lstrip("\n")


def _check_framework(code: str, framework: Framework) -> None:
    for imp in read_unit(code).imports:
        other = framework_of_import(imp.path)
        if other is not None and other is not framework:
            raise _Refusal(
                "framework",
                f"imports {imp.path} ({other.display}) but the project runs its tests with "
                f"{framework.display}",
            )


def _annotation_names(method: Node, data: bytes) -> set[str]:
    modifiers = next((child for child in method.children if child.type == "modifiers"), None)
    names = set()
    for child in modifiers.named_children if modifiers is not None else ():
        if child.type in ("marker_annotation", "annotation") and (name := child.child_by_field_name("name")):
            names.add(text(name, data).rsplit(".", 1)[-1])
    return names


def _is_nondeterministic(node: Node, data: bytes) -> str | None:
    if node.type == "method_invocation":
        owner = node.child_by_field_name("object")
        name = node.child_by_field_name("name")
        called = f"{text(owner, data)}.{text(name, data)}" if owner is not None and name is not None else ""
        if called in _NONDETERMINISTIC_CALLS or (
            owner is not None
            and text(owner, data) in _CLOCK_OWNERS
            and name is not None
            and text(name, data) == "now"
        ):
            return called
    if node.type == "object_creation_expression":
        created = node.child_by_field_name("type")
        arguments = node.child_by_field_name("arguments")
        is_random = created is not None and text(created, data) in ("Random", "java.util.Random")
        if is_random and arguments is not None and not arguments.named_children:
            return "new Random() without a seed"
    return None


def _calls(method: Node, name: str, data: bytes) -> bool:
    return any(
        node.type in ("method_invocation", "method_reference")
        and (
            ((called := node.child_by_field_name("name")) is not None and text(called, data) == name)
            or (node.type == "method_reference" and text(node.named_children[-1], data) == name)
        )
        for node in walk(method)
    )


def _remove_spans(code: str, spans: list[tuple[int, int]]) -> str:
    data = code.encode("utf-8")
    for start, end in sorted(spans, reverse=True):
        line_start = data.rfind(b"\n", 0, start) + 1
        if data[line_start:start].strip():
            line_start = start
        line_end = end + 1 if data[end : end + 1] == b"\n" else end
        data = data[:line_start] + data[line_end:]
    return data.decode("utf-8")


def _class_node(code: str) -> Node:
    root = parse(code).root_node
    node = next((n for n in root.named_children if n.type == "class_declaration"), None)
    if node is None:
        raise _Refusal("shape", "the reply holds no test class")
    return node


def _keep_useful_tests(code: str, function: str | None) -> str:
    """Remove ``@Test`` methods that do not call the target (they measure nothing) or read the
    clock or an unseeded random source (their results differ between runs)."""
    data = code.encode("utf-8")
    body = _class_node(code).child_by_field_name("body")
    tests = [
        member
        for member in (body.named_children if body is not None else ())
        if member.type == "method_declaration" and "Test" in _annotation_names(member, data)
    ]
    if not tests:
        raise _Refusal("tests", "the class has no @Test method")
    unwanted = [
        (test.start_byte, test.end_byte)
        for test in tests
        if (function is not None and not _calls(test, function, data))
        or any(_is_nondeterministic(n, data) for n in walk(test))
    ]
    if len(unwanted) == len(tests):
        reason = f"calls `{function}`" if function else "exists"
        raise _Refusal("tests", f"no deterministic @Test method {reason}")
    return _remove_spans(code, unwanted)


def _used_names(code: str) -> tuple[set[str], set[str]]:
    """Simple type names and unqualified method calls of the class."""
    root = parse(code).root_node
    data = code.encode("utf-8")
    types = {text(node, data) for node in walk(root) if node.type == "type_identifier"}
    types |= {
        text(owner, data)
        for node in walk(root)
        if node.type in ("method_invocation", "field_access")
        and (owner := node.child_by_field_name("object")) is not None
        and owner.type == "identifier"
    }
    calls = {
        text(name, data)
        for node in walk(root)
        if node.type == "method_invocation"
        and node.child_by_field_name("object") is None
        and (name := node.child_by_field_name("name")) is not None
    }
    annotations = {
        text(name, data)
        for node in walk(root)
        if node.type in ("marker_annotation", "annotation") and (name := node.child_by_field_name("name"))
    }
    return types | annotations, calls


def _add_imports(code: str, request: TaskRequest, framework: Framework) -> str:
    """Imports the model forgot: the framework's ``Test`` and assertions, and the project types the
    class under test imports."""
    unit = read_unit(code)
    imported = {imp.simple_name for imp in unit.imports if not imp.is_wildcard}
    static_wildcards = {imp.path for imp in unit.imports if imp.is_wildcard and imp.is_static}
    declared = {m.names[0] for m in unit.members if m.kind == "method"}
    types, calls = _used_names(code)
    lines: list[str] = []
    if "Test" in types and "Test" not in imported:
        lines.append(f"import {framework.test_import};")
    asserts = {
        c
        for c in calls
        if (c.startswith("assert") or c == "fail") and c not in declared and c not in imported
    }
    if asserts and framework.assertions_import not in static_wildcards:
        lines.append(f"import static {framework.assertions_import}.*;")
    for file in request.files:
        for imp in read_unit(file.code).imports:
            if (
                not imp.is_static
                and not imp.is_wildcard
                and imp.simple_name in types
                and imp.simple_name not in imported
            ):
                imported.add(imp.simple_name)
                lines.append(f"import {imp.path};")
    if not lines:
        return code
    data = code.encode("utf-8")
    anchor = unit.imports[-1].end_byte if unit.imports else (unit.package_span[1] if unit.package_span else 0)
    block = "\n" + "\n".join(lines) if anchor else "\n".join(lines) + "\n\n"
    return (data[:anchor] + block.encode("utf-8") + data[anchor:]).decode("utf-8")


def _make_public(code: str) -> str:
    """JUnit 4 and TestNG only run public test classes and methods."""
    node = _class_node(code)
    body = node.child_by_field_name("body")
    targets = [node] + [
        m
        for m in (body.named_children if body is not None else ())
        if m.type == "method_declaration" and "Test" in _annotation_names(m, code.encode("utf-8"))
    ]
    inserts: list[tuple[int, bytes]] = []
    for declaration in targets:
        modifiers = next((c for c in declaration.children if c.type == "modifiers"), None)
        words = {c.type for c in modifiers.children} if modifiers is not None else set()
        if "public" in words:
            continue
        if {"private", "protected"} & words:
            raise _Refusal("shape", "a test class or @Test method is private or protected; it cannot run")
        if modifiers is None:
            inserts.append((declaration.start_byte, b"public "))
        else:
            inserts.append((modifiers.end_byte, b" public"))
    data = code.encode("utf-8")
    for position, word in sorted(inserts, reverse=True):
        data = data[:position] + word + data[position:]
    return data.decode("utf-8")


def clean_tests(request: TaskRequest, code: str) -> str:
    version = parse_java_version(request.language_version)
    problems = validate_file(SourceFile(path=None, code=code), version)
    if problems:
        raise _Refusal("validate", str(problems[0]))
    framework = framework_named(request.details.get("test_framework"))
    _check_framework(code, framework)
    code = _set_package(code, package_of(request))
    code = _keep_useful_tests(code, target_name(request))
    code = _add_imports(code, request, framework)
    if framework.public_members:
        code = _make_public(code)
    unit = read_unit(code)
    found = CLIENT_CLASS_PATTERN.search(code)
    if found is None or found.group(1) != unit.class_name:
        raise _Refusal(
            "shape",
            "the client would not find the test class: put `class <Name>` (with at most public, final or "
            "abstract before it) at the start of a line",
        )
    if problems := validate_file(SourceFile(path=None, code=code), version):
        raise _Refusal("validate", f"after cleanup: {problems[0]}")
    return code


def postprocess_tests(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        if not candidate.files:
            dropped.append(DroppedCandidate(candidate.candidate_id, "shape", "no test class"))
            continue
        file = candidate.files[0]
        try:
            code = clean_tests(request, file.code)
        except _Refusal as refusal:
            dropped.append(DroppedCandidate(candidate.candidate_id, refusal.step, refusal.reason))
            continue
        kept.append(evolve(candidate, files=(SourceFile(path=file.path, code=code),)))
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
