"""Rate limits and usage quotas."""

from typing import Literal, get_args

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

from codeflash_engine.settings_base import ENV_CONFIG

Tier = Literal["free", "pro", "enterprise"]
TIERS: tuple[Tier, ...] = get_args(Tier)


def parse_limit(value: object) -> object:
    """``""`` or ``unlimited`` in the environment means no limit."""
    if isinstance(value, str) and value.strip().lower() in {"", "unlimited", "none"}:
        return None
    return value


class AuthSettings(BaseSettings):
    """Per-key request rate and per-subscription optimization quotas.

    A tier's quota is copied into the subscription when it is created (or its tier changes), so the
    database, not each instance's environment, decides what a user may still do.
    """

    model_config = ENV_CONFIG

    rate_limit_window_ms: int = Field(default=60_000, alias="RATE_LIMIT_WINDOW_MS", gt=0)
    rate_limit_max: int = Field(default=40, alias="RATE_LIMIT_MAX", gt=0)
    quota_free: int | None = Field(default=50, alias="CODEFLASH_QUOTA_FREE", ge=0)
    quota_pro: int | None = Field(default=1000, alias="CODEFLASH_QUOTA_PRO", ge=0)
    quota_enterprise: int | None = Field(default=None, alias="CODEFLASH_QUOTA_ENTERPRISE", ge=0)
    quota_period_days: int = Field(default=30, alias="CODEFLASH_QUOTA_PERIOD_DAYS", gt=0)

    _limits = field_validator("quota_free", "quota_pro", "quota_enterprise", mode="before")(parse_limit)

    def quota_for(self, tier: Tier) -> int | None:
        """The optimizations per period a new subscription of ``tier`` gets; ``None`` is unlimited."""
        return {"free": self.quota_free, "pro": self.quota_pro, "enterprise": self.quota_enterprise}[tier]
