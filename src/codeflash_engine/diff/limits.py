"""Size limits that keep every edit bounded in time and memory."""

from attrs import field, frozen
from attrs.validators import gt


@frozen
class EditLimits:
    """Caps on the inputs of the appliers; exceeding one raises ``EditApplyError``.

    ``hint_budget`` bounds the similarity work spent looking for the nearest lines when a hunk does
    not match (counted in line comparisons); it only shapes the error message, never a match.
    """

    max_file_bytes: int = field(default=4 * 1024 * 1024, validator=gt(0))
    max_file_lines: int = field(default=100_000, validator=gt(0))
    max_pattern_lines: int = field(default=5_000, validator=gt(0))
    max_blocks: int = field(default=500, validator=gt(0))
    max_reply_bytes: int = field(default=8 * 1024 * 1024, validator=gt(0))
    hint_budget: int = field(default=20_000, validator=gt(0))


DEFAULT_LIMITS = EditLimits()
