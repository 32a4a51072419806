"""The model registry: which models exist, who serves them, and what their tokens cost.

The rates live in ``models.toml`` beside this module so a price change is a one-line data edit.
"""

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from attrs import field, frozen

from codeflash_engine.llm.types import TokenUsage

_PER_MILLION = Decimal(1_000_000)
# A Bedrock cross-region inference profile: the model's Bedrock id behind a geography prefix.
_INFERENCE_PROFILE = re.compile(r"^(?:us|eu|apac|jp|au|global)\.(anthropic\..+)$")


@frozen
class ModelInfo:
    """One model: its family, context window and rates in USD per million tokens.

    ``cached_input_write`` is ``None`` when the provider bills cache writes as plain input.
    ``ids`` maps a provider name (``"bedrock"``, ``"anthropic"``, ``"azure"``, ``"openai"``) to the
    id sent on the wire when it differs from ``name``. ``sampling_parameters`` is ``False`` for a
    model that answers 400 to a non-default ``temperature``/``top_p``/``top_k`` (Claude Sonnet 5
    and later, OpenAI's reasoning models): the client then never sends them. ``retires_on`` is the
    provider's published retirement (shutdown) date, ``None`` when none is published.
    """

    name: str
    family: str
    context_window: int
    input: Decimal
    cached_input_read: Decimal
    output: Decimal
    cached_input_write: Decimal | None = None
    ids: Mapping[str, str] = field(factory=dict)
    sampling_parameters: bool = True
    retires_on: date | None = None

    def wire_id(self, provider: str) -> str:
        return self.ids.get(provider, self.name)

    def cost_usd(self, usage: TokenUsage) -> Decimal:
        """The exact cost of one call: uncached input, cache reads, cache writes and output.

        ``usage.prompt_tokens`` counts only uncached input (providers differ; the provider adapters
        normalise to that before this runs).
        """
        write_rate = self.input if self.cached_input_write is None else self.cached_input_write
        total = (
            usage.prompt_tokens * self.input
            + usage.cached_read_tokens * self.cached_input_read
            + usage.cached_write_tokens * write_rate
            + usage.completion_tokens * self.output
        )
        return total / _PER_MILLION


def _money(value: Any) -> Decimal:
    # Through str so 0.025 stays exactly 0.025 rather than its binary float approximation.
    return Decimal(str(value))


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise ValueError(f"retires_on must be a TOML date (2026-11-30), not {value!r}")


class ModelRegistry:
    """Looks models up by their name or any provider-specific id."""

    def __init__(self, models: Mapping[str, ModelInfo]) -> None:
        self._by_name = dict(models)
        self._by_any_id: dict[str, ModelInfo] = {}
        for info in models.values():
            self._by_any_id[info.name] = info
            for wire_id in info.ids.values():
                self._by_any_id[wire_id] = info

    @classmethod
    def load(cls, data: str | None = None) -> "ModelRegistry":
        """Parse ``data`` (TOML text), or the packaged ``models.toml`` when ``None``."""
        if data is None:
            data = resources.files("codeflash_engine.llm").joinpath("models.toml").read_text("utf-8")
        parsed = tomllib.loads(data)
        models = {}
        for name, entry in parsed.get("models", {}).items():
            write = entry.get("cached_input_write")
            models[name] = ModelInfo(
                name=name,
                family=entry["family"],
                context_window=int(entry["context_window"]),
                input=_money(entry["input"]),
                cached_input_read=_money(entry.get("cached_input_read", entry["input"])),
                output=_money(entry["output"]),
                cached_input_write=None if write is None else _money(write),
                ids=dict(entry.get("ids", {})),
                sampling_parameters=bool(entry.get("sampling_parameters", True)),
                retires_on=_date(entry.get("retires_on")),
            )
        return cls(models)

    def get(self, model: str) -> ModelInfo | None:
        """The model named ``model`` or with that wire id; a Bedrock inference profile id
        (``us.anthropic.claude-...``) finds the model of the Bedrock id it wraps."""
        found = self._by_any_id.get(model)
        if found is None and (profile := _INFERENCE_PROFILE.match(model)):
            found = self._by_any_id.get(profile.group(1))
        return found

    def __contains__(self, model: object) -> bool:
        return isinstance(model, str) and self.get(model) is not None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)


@cache
def packaged_registry() -> ModelRegistry:
    """The packaged ``models.toml``, parsed once per process."""
    return ModelRegistry.load()
