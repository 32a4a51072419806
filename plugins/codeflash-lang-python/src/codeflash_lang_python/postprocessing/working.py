"""The state shared by the postprocessing steps: each candidate file is parsed once, here.

Steps do not edit text. They record which statements to remove and which imports to add, and
``render`` applies all of it in one libcst pass at the end, so a candidate is parsed by ``ast`` once
and by libcst at most once (not at all when nothing needs editing).
"""

import ast
from collections.abc import Mapping, Sequence
from functools import cached_property

import attrs
from attrs import frozen

from codeflash_engine.domain import Candidate, SourceFile, TaskRequest
from codeflash_lang_python.ast_index import (
    LocatedDefinition,
    StatementPath,
    definitions_by_name,
    import_bindings,
)
from codeflash_lang_python.normalization import canonical_key


@frozen
class WorkingFile:
    path: str | None
    code: str
    tree: ast.Module
    removed: frozenset[StatementPath] = frozenset()
    added_imports: tuple[str, ...] = ()

    def remove(self, paths: frozenset[StatementPath]) -> "WorkingFile":
        return attrs.evolve(self, removed=self.removed | paths)

    def is_removed(self, path: StatementPath) -> bool:
        return any(path[: len(removed)] == removed for removed in self.removed)

    def kept_top_level(self) -> list[ast.stmt]:
        return [statement for index, statement in enumerate(self.tree.body) if not self.is_removed((index,))]


@frozen
class WorkingCandidate:
    candidate: Candidate
    files: tuple[WorkingFile, ...]

    def with_files(self, files: Sequence[WorkingFile]) -> "WorkingCandidate":
        return attrs.evolve(self, files=tuple(files))


@frozen
class OriginalFile:
    """One of the request's files, parsed once per request and shared by every candidate."""

    path: str | None
    code: str
    tree: ast.Module

    @cached_property
    def definitions(self) -> dict[str, LocatedDefinition]:
        return definitions_by_name(self.tree)

    @cached_property
    def imports(self) -> dict[str, str]:
        return import_bindings(self.tree.body)

    @cached_property
    def top_level_dumps(self) -> frozenset[str]:
        """Dumps of the module-level statements other than definitions (those compare by key)."""
        return frozenset(
            ast.dump(statement)
            for statement in self.tree.body
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        )

    @cached_property
    def definition_keys(self) -> dict[str, str]:
        imported = self.imports.keys()
        return {name: canonical_key([found.node], imported) for name, found in self.definitions.items()}


@frozen
class OriginalCode:
    files: Mapping[str | None, OriginalFile]
    target: str | None

    def file(self, path: str | None) -> OriginalFile | None:
        return self.files.get(path)


def target_name(request: TaskRequest) -> str | None:
    """The qualified name of the function being optimized, when the request says."""
    if request.target is not None:
        return request.target.qualified_name
    name = request.details.get("qualified_name")
    return name if isinstance(name, str) and name else None


def parse_originals(request: TaskRequest) -> OriginalCode:
    """The request's files, parsed; a file that does not parse is left out (nothing to compare)."""
    files: dict[str | None, OriginalFile] = {}
    for file in request.files:
        tree = _parse_trusted(file)
        if tree is not None:
            files[file.path] = OriginalFile(file.path, file.code, tree)
    return OriginalCode(files=files, target=target_name(request))


def _parse_trusted(file: SourceFile) -> ast.Module | None:
    try:
        return ast.parse(file.code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
