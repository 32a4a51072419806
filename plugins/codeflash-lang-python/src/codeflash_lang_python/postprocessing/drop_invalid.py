"""Step 1: drop a candidate that fails validation; parse the survivors once for the later steps."""

from codeflash_engine.domain import Candidate
from codeflash_lang_python.postprocessing.working import WorkingCandidate, WorkingFile
from codeflash_lang_python.validation import check_source


def parse_valid(candidate: Candidate, language_version: str | None) -> WorkingCandidate | str:
    """The parsed candidate, or why it is dropped (the first problem found)."""
    if not candidate.files:
        return "the candidate has no code"
    files: list[WorkingFile] = []
    for file in candidate.files:
        checked = check_source(file.code, file.path, language_version)
        if checked.tree is None:
            return str(checked.diagnostics[0])
        files.append(WorkingFile(path=file.path, code=file.code, tree=checked.tree))
    return WorkingCandidate(candidate=candidate, files=tuple(files))
