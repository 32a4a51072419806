"""Step 4a: remove definitions the candidate copied unchanged from the original.

LLMs return the whole file; the client would overwrite each helper with the LLM's re-formatted
copy, which is diff noise in the user's pull request. Definitions compare by canonical key, so a
reformatted helper, one with other comments or docstring, or with only local names renamed counts
as unchanged. The target always stays (the client needs it to find what to replace).
"""

import ast

from codeflash_lang_python.ast_index import StatementPath, import_bindings, iter_definitions
from codeflash_lang_python.normalization import canonical_key
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile


def _contains_target(qualified_name: str, target: str | None) -> bool:
    return target is not None and (target == qualified_name or target.startswith(qualified_name + "."))


def remove_unchanged_definitions(
    file: WorkingFile, original: OriginalFile | None, target: str | None
) -> tuple[WorkingFile, int]:
    """The file with unchanged definitions removed, and how many top-level ones are changed or new.

    A count of zero means the file does nothing the original does not already do.
    """
    if original is None:
        definitions = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        return file, sum(isinstance(statement, definitions) for statement in file.tree.body)
    imported = import_bindings(file.tree.body).keys()
    original_keys = original.definition_keys
    removed: set[StatementPath] = set()
    changed = 0
    for located in iter_definitions(file.tree):
        if file.is_removed(located.path) or any(located.path[: len(path)] == path for path in removed):
            continue
        before = original_keys.get(located.qualified_name)
        if before is None or canonical_key([located.node], imported) != before:
            changed += len(located.path) == 1
        elif not _contains_target(located.qualified_name, target):
            removed.add(located.path)
    return file.remove(frozenset(removed)), changed
