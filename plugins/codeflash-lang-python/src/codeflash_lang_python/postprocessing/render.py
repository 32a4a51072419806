"""Apply the steps' decisions to the text, in one libcst pass per file that needs editing."""

import libcst as cst

from codeflash_engine.domain import SourceFile
from codeflash_lang_python.cst_utils import add_imports, remove_statements
from codeflash_lang_python.postprocessing.working import WorkingFile


def render_file(file: WorkingFile) -> SourceFile:
    """The file's final text; untouched files skip libcst altogether."""
    if not file.removed and not file.added_imports:
        return SourceFile(path=file.path, code=file.code)
    module = cst.parse_module(file.code)
    module = add_imports(remove_statements(module, file.removed), file.added_imports)
    return SourceFile(path=file.path, code=module.code)
