"""``postprocess`` for testgen: the LLM's test file made into one the client can run and time.

The client writes ``instrumented_behavior_tests`` unchanged as a ``_test.go`` file of the package,
and turns ``instrumented_perf_tests`` into benchmarks with a regex and a brace counter, keeping only
tests whose name, after ``Test``, has the function's name as an ``_``-separated part; the two files
of one request (``test_index`` 0 and 1) are compiled together (``client-contract-go.md`` §5). So:

- the package clause is the package under test (an import of that package and its qualifier go);
- only standard-library imports (the run is offline); imports nothing uses are removed;
- ``TestMain``, benchmarks, examples and fuzz targets are removed (the client times its own);
- every ``func TestX(t *testing.T)`` is renamed ``Test<Fn>_X`` unless its name already matches;
- package-level helpers, types, vars and consts get a ``_<test_index>`` suffix, so both files of a
  request compile together;
- braces inside string, rune and comment text of a test are escaped or removed where they would
  throw the client's brace counter off;
- at least three tests of the function remain, or the file is dropped (the engine asks again).

The same file goes in all three keys.
"""

import json
import re
from collections.abc import Sequence

import attrs
from tree_sitter import Node

from codeflash_engine.domain import Candidate, DroppedCandidate, PostprocessResult, SourceFile, TaskRequest
from codeflash_engine.treesitter import walk
from codeflash_lang_go.syntax import GoFile, GoFunction, read_file, syntax_diagnostics
from codeflash_lang_go.target import find_target, package_of

MIN_TESTS = 3
_CLIENT_TEST = re.compile(r"^(func\s+)(Test\w+)(\s*\(\s*)(\w+)(\s+\*testing\.T\s*\)\s*\{)", re.MULTILINE)
_REMOVED_PREFIXES = ("Benchmark", "Example", "Fuzz")


class Unusable(Exception):
    """The test file cannot be made runnable; the message says why."""


def _edit(code: str, edits: list[tuple[int, int, str]]) -> str:
    data = code.encode("utf-8")
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        data = data[:start] + replacement.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def _is_standard_library(path: str) -> bool:
    return "." not in path.split("/", 1)[0]


def _set_package(code: str, package: str) -> str:
    """The package under test; an import of it (``package x_test`` style) and its qualifier go."""
    file = read_file(code)
    edits: list[tuple[int, int, str]] = []
    clause = next((n for n in file.root.named_children if n.type == "package_clause"), None)
    if clause is None:
        edits.append((0, 0, f"package {package}\n\n"))
    elif file.package != package:
        edits.append((clause.start_byte, clause.end_byte, f"package {package}"))
    self_imports = [i for i in file.imports if not _is_standard_library(i.path) and i.package_name == package]
    if self_imports:
        edits.extend(_remove_imports(file, {i.path for i in self_imports}))
        for node in walk(file.root):
            if node.type == "selector_expression":
                operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
                if operand is not None and field is not None and file.text(operand) == package:
                    edits.append((node.start_byte, node.end_byte, file.text(field)))
            elif node.type == "qualified_type":
                qualifier, name = node.child_by_field_name("package"), node.child_by_field_name("name")
                if qualifier is not None and name is not None and file.text(qualifier) == package:
                    edits.append((node.start_byte, node.end_byte, file.text(name)))
    return _edit(code, edits)


def _remove_imports(file: GoFile, paths: set[str]) -> list[tuple[int, int, str]]:
    edits = []
    for declaration in file.root.named_children:
        if declaration.type != "import_declaration":
            continue
        specs = [s for s in walk(declaration) if s.type == "import_spec"]
        doomed = [s for s in specs if _spec_path(file, s) in paths]
        if doomed and len(doomed) == len(specs):
            edits.append((declaration.start_byte, declaration.end_byte, ""))
        else:
            edits.extend((s.start_byte, s.end_byte, "") for s in doomed)
    return edits


def _spec_path(file: GoFile, spec: Node) -> str:
    path = spec.child_by_field_name("path")
    return file.text(path).strip('"`') if path is not None else ""


def _test_parameter(function: GoFunction) -> bool:
    return "*testing.T" in function.text_of("parameters").replace(" ", "")


def _case_name(name: str, function_name: str) -> str:
    """``TestSumSquaresLarge`` -> ``TestSumSquares_Large``; matching names stay."""
    rest = name[len("Test") :]
    if function_name in rest.split("_"):
        return name
    if rest.startswith(function_name):
        rest = rest[len(function_name) :]
    rest = rest.lstrip("_") or "Case"
    return f"Test{function_name}_{rest[0].upper()}{rest[1:]}"


def _rename(code: str, renames: dict[str, str]) -> str:
    if not renames:
        return code
    file = read_file(code)
    edits = [
        (node.start_byte, node.end_byte, renames[file.text(node)])
        for node in walk(file.root)
        if node.type in ("identifier", "type_identifier") and file.text(node) in renames
    ]
    return _edit(code, edits)


def _reshape_functions(code: str, function_name: str, test_index: int, package_names: frozenset[str]) -> str:
    file = read_file(code)
    edits: list[tuple[int, int, str]] = []
    renames: dict[str, str] = {}
    taken = {f.name for f in file.functions}
    for function in file.functions:
        name = function.name
        if function.receiver_type is not None:
            continue
        # A copy of the function under test (or of anything else of the package) would be
        # declared twice; the tests must call the package's own.
        if name == "TestMain" or name.startswith(_REMOVED_PREFIXES) or name in package_names:
            edits.append((function.node.start_byte, function.node.end_byte, ""))
        elif name.startswith("Test") and _test_parameter(function):
            new = _case_name(name, function_name)
            while new != name and new in taken:
                new += "_"
            taken.add(new)
            if new != name:
                name_node = function.field("name")
                assert name_node is not None
                edits.append((name_node.start_byte, name_node.end_byte, new))
        elif name != "init":
            renames[name] = f"{name}_{test_index}"
    for declaration in file.declarations:
        if package_names & set(declaration.names):
            edits.append((declaration.node.start_byte, declaration.node.end_byte, ""))
            continue
        renames.update({name: f"{name}_{test_index}" for name in declaration.names if name != "_"})
    return _rename(_edit(code, edits), renames)


def _unused_imports(code: str) -> str:
    file = read_file(code)
    used = file.package_qualifiers(file.root)
    unused = {i.path for i in file.imports if i.alias not in ("_", ".") and i.package_name not in used}
    return _edit(code, _remove_imports(file, unused)) if unused else code


def _client_body_end(code: str, match: re.Match[str]) -> int:
    """Where the client's brace counter thinks the test ends (it does not know strings or comments)."""
    depth, position = 1, match.end()
    while position < len(code) and depth > 0:
        depth += {"{": 1, "}": -1}.get(code[position], 0)
        position += 1
    return position


def _go_string(value: str) -> str:
    """A Go interpreted string literal for ``value`` with braces escaped."""
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted.replace("{", "\\x7b").replace("}", "\\x7d")


def _escape_braces(code: str) -> str:
    """Braces the client's counter would miscount: in literals (escaped) and comments (removed)."""
    for _ in range(50):  # each pass fixes one test; a file has a handful
        file = read_file(code)
        by_start = {f.node.start_byte: f.node for f in file.functions}
        data = code.encode("utf-8")
        broken = None
        for match in _CLIENT_TEST.finditer(code):
            node = by_start.get(len(code[: match.start()].encode("utf-8")))
            end = _client_body_end(code, match)
            if node is not None and len(code[:end].encode("utf-8")) != node.end_byte:
                broken = node
                break
        if broken is None:
            return code
        edits = []
        for node in walk(broken):
            raw = data[node.start_byte : node.end_byte].decode("utf-8")
            if "{" not in raw and "}" not in raw:
                continue
            if node.type == "comment":
                edits.append((node.start_byte, node.end_byte, raw.replace("{", "(").replace("}", ")")))
            elif node.type == "interpreted_string_literal":
                edits.append(
                    (node.start_byte, node.end_byte, raw.replace("{", "\\x7b").replace("}", "\\x7d"))
                )
            elif node.type == "raw_string_literal":
                edits.append((node.start_byte, node.end_byte, _go_string(raw[1:-1])))
            elif node.type == "rune_literal":
                edits.append(
                    (node.start_byte, node.end_byte, raw.replace("{", "\\x7b").replace("}", "\\x7d"))
                )
        if not edits:
            raise Unusable("a test's braces cannot be balanced for the client's benchmark conversion")
        code = _edit(code, edits)
    return code


def _calls_function(function: GoFunction, function_name: str) -> bool:
    return any(
        node.type in ("identifier", "field_identifier") and function.text(node) == function_name
        for node in walk(function.node)
    )


def clean_test_file(
    code: str, package: str, function_name: str, test_index: int, package_names: frozenset[str] = frozenset()
) -> str:
    """The LLM's test file as the client needs it, or ``Unusable``."""
    if problems := syntax_diagnostics(code, None):
        raise Unusable(str(problems[0]))
    code = _set_package(code, package)
    foreign = [i.path for i in read_file(code).imports if not _is_standard_library(i.path)]
    if foreign:
        raise Unusable(
            f"it imports {foreign[0]}: the client runs the tests offline, with the standard library only"
        )
    code = _reshape_functions(code, function_name, test_index, package_names)
    code = _escape_braces(_unused_imports(code))
    file = read_file(code)
    if file.root.has_error:
        raise Unusable("cleaning it up produced invalid code")
    timed = [
        f
        for f in file.functions
        if f.name.startswith(f"Test{function_name}") and _calls_function(f, function_name)
    ]
    if len(timed) < MIN_TESTS:
        raise Unusable(
            f"it has {len(timed)} test(s) calling {function_name}; "
            f"the client needs at least {MIN_TESTS} per file"
        )
    if not any(i.path == "testing" for i in file.imports):
        raise Unusable("it does not import testing")
    return code if code.endswith("\n") else code + "\n"


def postprocess_tests(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    target = find_target(request)
    package = package_of(request)
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    if target is None or package is None:
        reason = "the request holds no Go package and function to test"
        return PostprocessResult(
            (), tuple(DroppedCandidate(c.candidate_id, "target", reason) for c in candidates)
        )
    package_names = frozenset(
        name
        for file in request.files
        for declared in (read_file(file.code),)
        for name in (
            *(f.name for f in declared.functions if f.receiver_type is None),
            *(n for d in declared.declarations for n in d.names),
        )
    )
    index = request.details.get("test_index")
    test_index = index if isinstance(index, int) and index >= 0 else 0
    for candidate in candidates:
        try:
            [file] = candidate.files
            code = clean_test_file(file.code, package, target.name, test_index, package_names)
        except ValueError:
            dropped.append(
                DroppedCandidate(candidate.candidate_id, "extract", "expected exactly one test file")
            )
            continue
        except Unusable as exc:
            dropped.append(DroppedCandidate(candidate.candidate_id, "testgen", str(exc)))
            continue
        artifacts = {
            "raw_generated_tests": file.code,
            "instrumented_behavior_tests": code,
            "instrumented_perf_tests": code,
        }
        kept.append(attrs.evolve(candidate, files=(SourceFile(file.path, code),), artifacts=artifacts))
    return PostprocessResult(tuple(kept), tuple(dropped))
