"""The model registry and the cost arithmetic (unit tests, no server)."""

from decimal import Decimal

from codeflash_engine.llm import ModelRegistry, TokenUsage


def test_packaged_registry_has_the_default_models() -> None:
    registry = ModelRegistry.load()
    sonnet = registry.get("claude-sonnet-4-5")
    assert sonnet is not None and sonnet.family == "claude"
    assert registry.get("us.anthropic.claude-sonnet-4-5-20250929-v1:0") is sonnet
    assert sonnet.wire_id("bedrock") == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert sonnet.wire_id("azure") == "claude-sonnet-4-5"
    assert registry.get("gpt-5-mini") is not None
    assert registry.get("no-such-model") is None


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
