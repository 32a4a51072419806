"""Where the database is and how the service talks to it."""

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from codeflash_engine.settings_base import ENV_CONFIG

# What sits between the service and PostgreSQL: ``none`` sends the statement timeout as a startup
# parameter, which poolers refuse; ``transaction`` also turns the prepared-statement cache off. See
# ``connect.resolve_pooler`` for the default.
Pooler = Literal["none", "session", "transaction"]


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("codeflash-engine"))


class DatabaseSettings(BaseSettings):
    """``DATABASE_URL`` unset means an embedded PostgreSQL under ``CODEFLASH_DATA_DIR``."""

    model_config = ENV_CONFIG

    # A secret because it usually carries the password; only ``describe_url`` output is logged.
    url: SecretStr | None = Field(default=None, alias="DATABASE_URL")
    data_dir: Path = Field(default_factory=default_data_dir, alias="CODEFLASH_DATA_DIR")
    pool_min_size: int = Field(default=1, alias="CODEFLASH_DB_POOL_MIN_SIZE", ge=0)
    pool_max_size: int = Field(default=10, alias="CODEFLASH_DB_POOL_MAX_SIZE", ge=1)
    statement_timeout_ms: int = Field(default=15_000, alias="CODEFLASH_DB_STATEMENT_TIMEOUT_MS", ge=0)
    connect_timeout_s: float = Field(default=5.0, alias="CODEFLASH_DB_CONNECT_TIMEOUT_S", gt=0)
    migrate_on_startup: bool = Field(default=True, alias="CODEFLASH_DB_MIGRATE_ON_STARTUP")
    startup_wait_s: float = Field(default=30.0, alias="CODEFLASH_DB_STARTUP_WAIT_S", ge=0)
    # ``None``: ``transaction`` for ``DATABASE_URL`` (it may be a pooler), ``none`` for the embedded one.
    pooler: Pooler | None = Field(default=None, alias="CODEFLASH_DB_POOLER")

    @property
    def embedded_pgdata(self) -> Path:
        return self.data_dir / "postgres"
