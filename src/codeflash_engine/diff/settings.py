"""The edit-format limits as service settings (``CODEFLASH_EDIT_*``).

Plugins call the appliers inside hook worker processes, which inherit the service's environment, so
``configured_limits()`` reads the same variables there as the service does.
"""

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings

from codeflash_engine.diff.limits import DEFAULT_LIMITS, EditLimits
from codeflash_engine.settings_base import ENV_CONFIG


class EditSettings(BaseSettings):
    model_config = ENV_CONFIG

    max_file_bytes: int = Field(
        default=DEFAULT_LIMITS.max_file_bytes, alias="CODEFLASH_EDIT_MAX_FILE_BYTES", gt=0
    )
    max_file_lines: int = Field(
        default=DEFAULT_LIMITS.max_file_lines, alias="CODEFLASH_EDIT_MAX_FILE_LINES", gt=0
    )
    max_pattern_lines: int = Field(
        default=DEFAULT_LIMITS.max_pattern_lines, alias="CODEFLASH_EDIT_MAX_PATTERN_LINES", gt=0
    )
    max_blocks: int = Field(default=DEFAULT_LIMITS.max_blocks, alias="CODEFLASH_EDIT_MAX_BLOCKS", gt=0)
    max_reply_bytes: int = Field(
        default=DEFAULT_LIMITS.max_reply_bytes, alias="CODEFLASH_EDIT_MAX_REPLY_BYTES", gt=0
    )

    def limits(self) -> EditLimits:
        return EditLimits(
            max_file_bytes=self.max_file_bytes,
            max_file_lines=self.max_file_lines,
            max_pattern_lines=self.max_pattern_lines,
            max_blocks=self.max_blocks,
            max_reply_bytes=self.max_reply_bytes,
        )


@cache
def configured_limits() -> EditLimits:
    """The limits from the environment, read once per process."""
    return EditSettings().limits()
