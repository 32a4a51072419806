"""Step 4b: keep the imports the remaining code needs and add the ones it uses but lacks.

Imports nothing left reads go (``import pytest`` for a removed test, the helpers' imports): the
client merges a candidate's imports into the user's file and never deletes the file's own, so an
unused one is only noise, and a key that ignores them matches more duplicates. A name the remaining
code reads but nothing binds gets the original module's import for it (a candidate returning one
function often omits ``import numpy as np``). ``__future__`` and star imports always stay.
"""

import ast
import builtins

import attrs

from codeflash_lang_python.ast_index import StatementPath, bound_names, loaded_names
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile

_BUILTINS = frozenset(dir(builtins))


def _import_statement_names(statement: ast.Import | ast.ImportFrom) -> set[str]:
    return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}


def fix_imports(file: WorkingFile, original: OriginalFile | None) -> WorkingFile:
    kept = file.kept_top_level()
    non_imports = [statement for statement in kept if not isinstance(statement, ast.Import | ast.ImportFrom)]
    used = loaded_names(non_imports)
    unused: set[StatementPath] = set()
    for index, statement in enumerate(file.tree.body):
        if file.is_removed((index,)) or not isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            continue
        if any(alias.name == "*" for alias in statement.names):
            continue
        if not _import_statement_names(statement) & used:
            unused.add((index,))
    file = file.remove(frozenset(unused))
    if original is None:
        return file
    missing = used - bound_names(file.kept_top_level()) - _BUILTINS
    additions = tuple(sorted({original.imports[name] for name in missing if name in original.imports}))
    return attrs.evolve(file, added_imports=file.added_imports + additions)
