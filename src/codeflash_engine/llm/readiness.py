"""Whether the LLM layer can serve: which providers are configured, and how current their models are.

Start-up logs it once (``log_readiness``) and ``/healthcheck`` reports it (``LLMReadiness.report``),
so a newcomer without provider variables, or an operator whose model the provider retired, hears
about it before the first ``/ai/*`` request fails.
"""

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import structlog
from attrs import frozen

from codeflash_engine.llm.registry import ModelRegistry
from codeflash_engine.llm.settings import PROVIDER_VARIABLES, LLMSettings
from codeflash_engine.llm.types import Family, Provider

logger = structlog.get_logger(__name__)

# How long before a model's retirement start-up starts warning about it.
RETIREMENT_NOTICE = timedelta(days=30)


class Retirement(StrEnum):
    """Where a configured model stands against its provider's published retirement date."""

    CURRENT = "current"  # no retirement date, or one more than RETIREMENT_NOTICE away
    RETIRING = "retiring"  # retires within RETIREMENT_NOTICE
    RETIRED = "retired"  # past its retirement date: the provider refuses calls
    UNKNOWN = "unknown"  # not in the model registry, so nothing is known about it


@frozen
class ModelStatus:
    """The model one configured family calls."""

    family: Family
    provider: Provider
    model: str
    retires_on: date | None
    retirement: Retirement

    def report(self) -> dict[str, Any]:
        return {
            "family": self.family.value,
            "provider": self.provider.value,
            "model": self.model,
            "retires_on": None if self.retires_on is None else self.retires_on.isoformat(),
            "retirement": self.retirement.value,
        }


@frozen
class LLMReadiness:
    """The configured providers (in family order) and the model each configured family calls."""

    providers: tuple[Provider, ...]
    models: tuple[ModelStatus, ...]

    @property
    def configured(self) -> bool:
        return bool(self.providers)

    @property
    def state(self) -> str:
        return "ok" if self.configured else "not configured"

    def report(self) -> dict[str, Any]:
        """The ``llm`` section of ``/healthcheck``."""
        return {
            "providers": [provider.value for provider in self.providers],
            "state": self.state,
            "models": [model.report() for model in self.models],
        }


def _retirement(retires_on: date | None, today: date) -> Retirement:
    if retires_on is None:
        return Retirement.CURRENT
    if today >= retires_on:
        return Retirement.RETIRED
    if retires_on - today <= RETIREMENT_NOTICE:
        return Retirement.RETIRING
    return Retirement.CURRENT


def llm_readiness(settings: LLMSettings, registry: ModelRegistry, today: date | None = None) -> LLMReadiness:
    """The configured providers and, for each configured family, its model's retirement state."""
    today = today or datetime.now(UTC).date()
    providers = settings.providers()
    models = []
    for family, provider in providers.items():
        name = settings.model_for(family)
        info = registry.get(name)
        if info is None:
            models.append(ModelStatus(family, provider, name, None, Retirement.UNKNOWN))
        else:
            models.append(
                ModelStatus(family, provider, name, info.retires_on, _retirement(info.retires_on, today))
            )
    return LLMReadiness(tuple(providers.values()), tuple(models))


def log_readiness(readiness: LLMReadiness) -> None:
    """One line when no provider is configured, one per configured model near or past retirement."""
    if not readiness.configured:
        logger.warning(
            "no LLM provider configured: every /ai/* request will answer 503 until you set "
            + PROVIDER_VARIABLES
        )
    for model in readiness.models:
        setting = f"CODEFLASH_LLM_{model.family.value.upper()}_MODEL"
        if model.retirement is Retirement.RETIRED:
            logger.error(
                f"the {model.family.value} model {model.model} was retired on {model.retires_on}: its "
                f"provider refuses calls; set {setting} to a current model",
                model=model.model,
                retires_on=str(model.retires_on),
            )
        elif model.retirement is Retirement.RETIRING:
            logger.warning(
                f"the {model.family.value} model {model.model} retires on {model.retires_on}: set "
                f"{setting} to a current model before then",
                model=model.model,
                retires_on=str(model.retires_on),
            )
