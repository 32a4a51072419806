"""What the engine knows about each plugin it tried to load."""

from enum import StrEnum
from typing import Any

from attrs import asdict, frozen


class PluginStatus(StrEnum):
    LOADED = "loaded"
    FAILED = "failed"
    DISABLED = "disabled"
    CONFLICT = "conflict"
    INCOMPATIBLE = "incompatible"


@frozen
class PluginRecord:
    """One plugin's identity and outcome; failed and disabled plugins are recorded, not hidden.

    ``name`` is the distribution name (what users install); ``entry_point`` the entry-point name;
    both, and any declared language, are accepted by the allow-, block- and required-lists.
    """

    name: str
    entry_point: str
    version: str
    module: str
    status: PluginStatus
    languages: tuple[str, ...] = ()
    hooks: tuple[str, ...] = ()
    api_version: int | None = None
    error: str | None = None

    @property
    def identifiers(self) -> frozenset[str]:
        return frozenset({self.name.lower(), self.entry_point.lower(), *self.languages})

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["languages"] = list(self.languages)
        data["hooks"] = list(self.hooks)
        return data
