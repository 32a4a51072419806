"""Postprocessing of a generated test file.

The client uses only ``generated_tests`` and instruments it itself, so the file must be complete
and runnable: it parses, imports the code under test from ``module_path`` (a wrong relative path
is corrected, a missing import added), never redefines the target (LLMs paste it in; the local
copy would be tested instead), calls the target, and imports nothing from another test framework.
"""

import posixpath
import re
from collections.abc import Sequence

import attrs
from tree_sitter import Node

from codeflash_engine.domain import Candidate, DroppedCandidate, PostprocessResult, SourceFile, TaskRequest
from codeflash_engine.treesitter import ParseTimeoutError, node_text, walk
from codeflash_lang_js import project
from codeflash_lang_js.context import import_line
from codeflash_lang_js.postprocessing.parsed import ParsedFile, parse_file

_EXTENSION = re.compile(r"\.(?:[cm]?[jt]sx?)$")
_OTHER_FRAMEWORK_MODULES = {"jest": ("vitest",), "vitest": ("@jest/globals",), "mocha": ()}


class _TestProblemError(ValueError):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step


def _strip_extension(specifier: str) -> str:
    return _EXTENSION.sub("", specifier)


def _module_specifiers(file: ParsedFile) -> list[Node]:
    """The string nodes of ``import ... from '<x>'`` and ``require('<x>')``, in order."""
    found = []
    for node in walk(file.tree.root_node):
        if node.type == "import_statement" and (source := node.child_by_field_name("source")) is not None:
            found.append(source)
        elif node.type == "call_expression":
            function = node.child_by_field_name("function")
            arguments = node.child_by_field_name("arguments")
            if function is not None and node_text(function, file.data) == "require" and arguments is not None:
                strings = [child for child in arguments.named_children if child.type == "string"]
                found.extend(strings[:1])
    return found


def _unquoted(node: Node, file: ParsedFile) -> str:
    return node_text(node, file.data)[1:-1]


def _replace(file: ParsedFile, edits: Sequence[tuple[int, int, str]], language: str) -> ParsedFile:
    data = file.data
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text.encode() + data[end:]
    return parse_file(SourceFile(file.path, data.decode("utf-8", errors="surrogatepass")), language)


def _fix_import(file: ParsedFile, request: TaskRequest) -> ParsedFile:
    module_path = str(request.details.get("module_path") or "")
    if not module_path:
        return file
    wanted = _strip_extension(module_path)
    specifiers = _module_specifiers(file)
    basename = posixpath.basename(wanted)
    same_module = [
        node
        for node in specifiers
        if _strip_extension(_unquoted(node, file)) == wanted
        or (
            _unquoted(node, file).startswith(".")
            and posixpath.basename(_strip_extension(_unquoted(node, file))) == basename
        )
    ]
    if same_module:
        if all(_unquoted(node, file) == module_path for node in same_module):
            return file
        quote = node_text(same_module[0], file.data)[0]
        edits = [(node.start_byte, node.end_byte, f"{quote}{module_path}{quote}") for node in same_module]
        return _replace(file, edits, request.language)
    return _replace(file, [(0, 0, import_line(request) + "\n")], request.language)


def _remove_redefinitions(file: ParsedFile, request: TaskRequest) -> ParsedFile:
    function = project.function_to_optimize(request)
    names = {str(name) for name in (function.get("function_name"), request.details.get("class_name")) if name}
    if not names:
        return file
    edits = [
        (definition.start_byte, definition.end_byte, "")
        for definition in file.definitions
        if definition.depth == 0 and definition.name in names
    ]
    return _replace(file, edits, request.language) if edits else file


def _remove_other_frameworks(file: ParsedFile, request: TaskRequest) -> ParsedFile:
    framework = project.test_framework(request) or "vitest"
    unwanted = _OTHER_FRAMEWORK_MODULES.get(framework, ())
    edits = [
        (statement.start_byte, statement.end_byte, "")
        for statement in file.tree.root_node.named_children
        if statement.type == "import_statement"
        and (source := statement.child_by_field_name("source")) is not None
        and _unquoted(source, file) in unwanted
    ]
    return _replace(file, edits, request.language) if edits else file


def _calls_target(file: ParsedFile, name: str) -> bool:
    for node in walk(file.tree.root_node):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is None:
            continue
        if function.type == "member_expression":
            function = function.child_by_field_name("property")
        if function is not None and node_text(function, file.data) == name:
            return True
    return False


def _clean(candidate: Candidate, request: TaskRequest) -> Candidate:
    source = candidate.files[0]
    file = parse_file(SourceFile(source.path, source.code), request.language)
    if file.tree.root_node.has_error:
        raise _TestProblemError("validate", f"the test file does not parse as {file.grammar}")
    file = _remove_redefinitions(file, request)
    file = _remove_other_frameworks(file, request)
    file = _fix_import(file, request)
    if file.tree.root_node.has_error:
        raise _TestProblemError("imports", "the test file does not parse after fixing its imports")
    name = str(project.function_to_optimize(request).get("function_name") or "")
    if name and not _calls_target(file, name):
        raise _TestProblemError("target", f"the tests never call `{name}`")
    return attrs.evolve(candidate, files=(SourceFile(source.path, file.code),))


def postprocess_tests(request: TaskRequest, candidates: Sequence[Candidate]) -> PostprocessResult:
    kept: list[Candidate] = []
    dropped: list[DroppedCandidate] = []
    for candidate in candidates:
        if not candidate.files:
            dropped.append(DroppedCandidate(candidate.candidate_id, "extract", "no test file"))
            continue
        try:
            kept.append(_clean(candidate, request))
        except _TestProblemError as exc:
            dropped.append(DroppedCandidate(candidate.candidate_id, exc.step, str(exc)))
        except (ParseTimeoutError, RecursionError, MemoryError, ValueError) as exc:
            dropped.append(DroppedCandidate(candidate.candidate_id, "postprocess", type(exc).__name__))
    return PostprocessResult(kept=tuple(kept), dropped=tuple(dropped))
