"""Optional error reporting and analytics, and the recorder's limits."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from codeflash_engine.settings_base import ENV_CONFIG


class ObservabilitySettings(BaseSettings):
    """Sentry is enabled only when ``SENTRY_DSN`` is set, PostHog only when ``POSTHOG_API_KEY`` is."""

    model_config = ENV_CONFIG

    sentry_dsn: SecretStr | None = Field(default=None, alias="SENTRY_DSN")
    posthog_api_key: SecretStr | None = Field(default=None, alias="POSTHOG_API_KEY")
    posthog_host: str = Field(default="https://us.i.posthog.com", alias="POSTHOG_HOST")
    recording_queue_size: int = Field(default=10_000, alias="CODEFLASH_RECORDING_QUEUE_SIZE", gt=0)
    recording_drain_timeout_seconds: float = Field(
        default=10.0, alias="CODEFLASH_RECORDING_DRAIN_TIMEOUT", gt=0
    )
    # Days recorded rows (LLM calls, errors, requests, candidates) are kept; 0 keeps them forever.
    retention_days: int = Field(default=90, alias="CODEFLASH_RETENTION_DAYS", ge=0)

    def secret_values(self) -> tuple[str, ...]:
        secrets = (self.sentry_dsn, self.posthog_api_key)
        return tuple(s.get_secret_value() for s in secrets if s is not None and s.get_secret_value())
