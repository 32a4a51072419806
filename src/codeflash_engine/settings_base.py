"""The configuration every settings group shares.

A module of its own so that a group living next to its concern (``db/settings.py``) can use it
while ``settings.py`` imports that group, without an import cycle.
"""

from pydantic_settings import SettingsConfigDict

ENV_CONFIG = SettingsConfigDict(
    env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
)
