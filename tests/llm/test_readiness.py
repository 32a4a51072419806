"""What start-up logs and /healthcheck report about the LLM layer (unit tests, no server)."""

from datetime import date

import pytest
from structlog.testing import capture_logs

from codeflash_engine.llm import LLMSettings, ModelRegistry, llm_readiness, log_readiness

from .conftest import MakeSettings

REGISTRY = ModelRegistry.load(
    """
    [models.old]
    family = "claude"
    context_window = 1
    input = 1
    output = 1
    retires_on = 2026-11-30

    [models.ending]
    family = "openai"
    context_window = 1
    input = 1
    output = 1
    retires_on = 2027-01-02

    [models.lasting]
    family = "openai"
    context_window = 1
    input = 1
    output = 1
    retires_on = 2027-06-01
    """
)
TODAY = date(2026, 12, 4)


def test_no_provider_is_one_warning_naming_the_variables(make_llm_settings: MakeSettings) -> None:
    readiness = llm_readiness(make_llm_settings(), REGISTRY, TODAY)
    assert readiness.report() == {"providers": [], "state": "not configured", "models": []}

    with capture_logs() as logs:
        log_readiness(readiness)

    [line] = logs
    assert line["log_level"] == "warning"
    for variable in ("AZURE_OPENAI_API_KEY", "OPENAI_API_KEY", "AWS_ACCESS_KEY_ID", "ANTHROPIC_API_KEY"):
        assert variable in line["event"]


@pytest.mark.parametrize(
    ("model", "retirement", "level"),
    [
        ("old", "retired", "error"),  # past its date: the provider refuses calls
        ("ending", "retiring", "warning"),  # within 30 days
        ("lasting", "current", None),
        ("unpriced-local-model", "unknown", None),
    ],
)
def test_a_configured_models_retirement(
    make_llm_settings: MakeSettings, model: str, retirement: str, level: str | None
) -> None:
    settings: LLMSettings = make_llm_settings(
        "azure", "bedrock", CODEFLASH_LLM_OPENAI_MODEL=model, CODEFLASH_LLM_CLAUDE_MODEL=model
    )
    readiness = llm_readiness(settings, REGISTRY, TODAY)
    assert readiness.report()["providers"] == ["azure", "bedrock"]
    assert readiness.state == "ok"
    assert {entry["retirement"] for entry in readiness.report()["models"]} == {retirement}

    with capture_logs() as logs:
        log_readiness(readiness)

    assert {line["log_level"] for line in logs} == ({level} if level else set())
    if level:
        assert all(model in line["event"] and "CODEFLASH_LLM_" in line["event"] for line in logs)


def test_only_configured_families_are_reported(make_llm_settings: MakeSettings) -> None:
    readiness = llm_readiness(
        make_llm_settings("anthropic", CODEFLASH_LLM_CLAUDE_MODEL="old"), REGISTRY, TODAY
    )
    assert readiness.report()["models"] == [
        {
            "family": "claude",
            "provider": "anthropic",
            "model": "old",
            "retires_on": "2026-11-30",
            "retirement": "retired",
        }
    ]
