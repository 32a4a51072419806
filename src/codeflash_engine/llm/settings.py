"""LLM provider credentials, the model each logical role uses, timeouts, retries and concurrency.

The credential variables are the providers' standard ones, so an operator's existing environment
works unchanged. A provider counts as configured when its credentials are set; nothing else is needed.
"""

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode

from codeflash_engine.llm.types import Family, Provider
from codeflash_engine.settings_base import ENV_CONFIG

# What a newcomer must set for the service to reach any model (see ``LLMSettings.providers``).
PROVIDER_VARIABLES = (
    "AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT, OPENAI_API_KEY (or OPENAI_BASE_URL), "
    "AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY and AWS_REGION, or ANTHROPIC_API_KEY"
)

WeightMap = Annotated[dict[str, int], NoDecode]
CountMap = Annotated[dict[str, int], NoDecode]


def _parse_pairs(value: object) -> object:
    """Accept ``"optimize=3, testgen=2"`` from the environment as well as a real mapping from code."""
    if isinstance(value, str):
        pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
        return {name.strip(): int(number) for name, number in pairs}
    return value


class LLMSettings(BaseSettings):
    """How the service reaches LLM providers (see ``docs/llm.md`` for the full table)."""

    model_config = ENV_CONFIG

    azure_openai_api_key: SecretStr | None = Field(default=None, alias="AZURE_OPENAI_API_KEY")
    azure_openai_endpoint: str | None = Field(default=None, alias="AZURE_OPENAI_ENDPOINT")
    azure_openai_api_version: str = Field(default="2025-04-01-preview", alias="AZURE_OPENAI_API_VERSION")

    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")

    aws_access_key_id: SecretStr | None = Field(default=None, alias="AWS_ACCESS_KEY_ID")
    aws_secret_access_key: SecretStr | None = Field(default=None, alias="AWS_SECRET_ACCESS_KEY")
    aws_region: str | None = Field(default=None, alias="AWS_REGION")
    # The Anthropic SDK's own variable for a non-AWS Bedrock endpoint (a proxy, or the fake LLM).
    bedrock_base_url: str | None = Field(default=None, alias="ANTHROPIC_BEDROCK_BASE_URL")

    anthropic_api_key: SecretStr | None = Field(default=None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, alias="ANTHROPIC_BASE_URL")

    openai_model: str = Field(default="gpt-5-mini", alias="CODEFLASH_LLM_OPENAI_MODEL")
    claude_model: str = Field(default="claude-sonnet-5-5", alias="CODEFLASH_LLM_CLAUDE_MODEL")
    # How fan-out splits N calls between the model families ("openai=1,claude=1" halves them).
    distribution: WeightMap = Field(
        default_factory=lambda: {"openai": 1, "claude": 1}, alias="CODEFLASH_LLM_DISTRIBUTION"
    )

    timeout_seconds: float = Field(default=120.0, alias="CODEFLASH_LLM_TIMEOUT", gt=0)
    max_retries: int = Field(default=2, alias="CODEFLASH_LLM_MAX_RETRIES", ge=0)
    # Per call type overrides of ``max_retries`` ("testgen=3,rank=0").
    max_retries_by_call_type: CountMap = Field(
        default_factory=dict, alias="CODEFLASH_LLM_MAX_RETRIES_BY_CALL_TYPE"
    )
    max_concurrency_per_provider: int = Field(default=32, alias="CODEFLASH_LLM_MAX_CONCURRENCY", gt=0)
    max_output_tokens: int = Field(default=16_384, alias="CODEFLASH_LLM_MAX_OUTPUT_TOKENS", gt=0)
    # A reply longer than this (a provider ignoring max_output_tokens, a misbehaving proxy) is cut
    # here and treated as truncated, so the pipeline never parses an unbounded text.
    max_reply_chars: int = Field(default=1_000_000, alias="CODEFLASH_LLM_MAX_REPLY_CHARS", gt=0)

    _pairs = field_validator("distribution", "max_retries_by_call_type", mode="before")(_parse_pairs)

    def providers(self) -> dict[Family, Provider]:
        """The provider each family uses, from the credentials that are set: Azure before OpenAI,
        Bedrock before Anthropic. Empty when nothing is configured."""
        chosen: dict[Family, Provider] = {}
        if self.azure_openai_api_key and self.azure_openai_endpoint:
            chosen[Family.OPENAI] = Provider.AZURE
        elif self.openai_api_key or self.openai_base_url:
            chosen[Family.OPENAI] = Provider.OPENAI
        if self.aws_access_key_id and self.aws_secret_access_key and self.aws_region:
            chosen[Family.CLAUDE] = Provider.BEDROCK
        elif self.anthropic_api_key:
            chosen[Family.CLAUDE] = Provider.ANTHROPIC
        return chosen

    def model_for(self, family: Family) -> str:
        return self.openai_model if family is Family.OPENAI else self.claude_model

    def retries_for(self, call_type: str) -> int:
        return self.max_retries_by_call_type.get(call_type, self.max_retries)

    def secret_values(self) -> tuple[str, ...]:
        """Every configured secret, for the log redactor."""
        secrets = (
            self.azure_openai_api_key,
            self.openai_api_key,
            self.aws_access_key_id,
            self.aws_secret_access_key,
            self.anthropic_api_key,
        )
        return tuple(s.get_secret_value() for s in secrets if s is not None and s.get_secret_value())
