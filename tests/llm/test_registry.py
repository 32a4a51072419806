"""The model registry and the cost arithmetic (unit tests, no server)."""

from datetime import date
from decimal import Decimal

import pytest

from codeflash_engine.llm import LLMSettings, ModelRegistry, TokenUsage


def test_packaged_registry_has_the_default_models() -> None:
    registry = ModelRegistry.load()
    sonnet = registry.get(LLMSettings.model_fields["claude_model"].default)
    assert sonnet is not None and sonnet.name == "claude-sonnet-5-5" and sonnet.family == "claude"
    assert sonnet.wire_id("anthropic") == "claude-sonnet-5-5"
    assert sonnet.wire_id("bedrock") == "anthropic.claude-sonnet-5-5"
    assert registry.get("anthropic.claude-sonnet-5-5") is sonnet
    assert registry.get("global.anthropic.claude-sonnet-5-5") is sonnet  # an inference profile
    assert (sonnet.sampling_parameters, sonnet.retires_on) == (False, None)
    assert registry.get(LLMSettings.model_fields["openai_model"].default) is not None
    assert registry.get("no-such-model") is None
    assert registry.get("global.no-such-model") is None


def test_the_retired_default_is_kept_with_its_retirement_date() -> None:
    retired = ModelRegistry.load().get("claude-sonnet-4-5-20250929")
    assert retired is not None and retired.retires_on == date(2026, 11, 30)


def test_new_sonnet_rates_are_cache_aware() -> None:
    sonnet = ModelRegistry.load().get("claude-sonnet-5-5")
    assert sonnet is not None
    usage = TokenUsage(
        prompt_tokens=1_000_000,
        completion_tokens=1_000_000,
        cached_read_tokens=1_000_000,
        cached_write_tokens=1_000_000,
    )
    # $2 input + $10 output + $0.20 cache read + $2.50 (5-minute) cache write
    assert sonnet.cost_usd(usage) == Decimal("14.70")


def test_a_retirement_date_must_be_a_toml_date() -> None:
    with pytest.raises(ValueError, match="TOML date"):
        ModelRegistry.load(
            '[models.m]\nfamily = "claude"\ncontext_window = 1\ninput = 1\noutput = 1\nretires_on = "soon"\n'
        )


def test_cost_is_cache_aware_and_exact() -> None:
    registry = ModelRegistry.load(
        """
        [models.m]
        family = "claude"
        context_window = 1000
        input = 3.0
        cached_input_read = 0.3
        cached_input_write = 3.75
        output = 15.0
        """
    )
    model = registry.get("m")
    assert model is not None
    usage = TokenUsage(
        prompt_tokens=1_000_000, completion_tokens=100_000, cached_read_tokens=10, cached_write_tokens=3
    )
    # 3.00 + 1.50 + 10 x 0.3e-6 + 3 x 3.75e-6
    assert model.cost_usd(usage) == Decimal("4.50001425")


def test_cache_writes_bill_as_input_when_the_provider_has_no_write_rate() -> None:
    model = ModelRegistry.load().get("gpt-5-mini")
    assert model is not None
    usage = TokenUsage(
        prompt_tokens=0, completion_tokens=0, cached_read_tokens=0, cached_write_tokens=4_000_000
    )
    assert model.cost_usd(usage) == Decimal("1.00")
