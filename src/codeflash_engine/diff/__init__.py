"""Applying LLM edits to files: SEARCH/REPLACE blocks, V4A patches and whole-file replies.

All appliers take the file map (path -> text) and the reply, and return an ``EditResult`` or raise
``EditApplyError``; they are pure, atomic and bounded in cost (see ``EditLimits``).
"""

from codeflash_engine.diff.detect import apply_edits, apply_whole_files, detect_format
from codeflash_engine.diff.errors import EditApplyError
from codeflash_engine.diff.limits import DEFAULT_LIMITS, EditLimits
from codeflash_engine.diff.result import EditFormat, EditResult, HunkMatch, MatchKind
from codeflash_engine.diff.search_replace import apply_search_replace
from codeflash_engine.diff.settings import EditSettings, configured_limits
from codeflash_engine.diff.v4a import apply_v4a

__all__ = [
    "DEFAULT_LIMITS",
    "EditApplyError",
    "EditFormat",
    "EditLimits",
    "EditResult",
    "EditSettings",
    "HunkMatch",
    "MatchKind",
    "apply_edits",
    "apply_search_replace",
    "apply_v4a",
    "apply_whole_files",
    "configured_limits",
    "detect_format",
]
