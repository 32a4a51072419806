"""The loaded plugins of one app: records for listing, and per-language facades for dispatch."""

from collections.abc import Sequence

import pluggy
import structlog

from codeflash_engine.plugins.errors import UnknownLanguageError
from codeflash_engine.plugins.facade import LanguageHooks
from codeflash_engine.plugins.loader import (
    LoadedPlugin,
    PluginLoader,
    discover_entry_points,
    in_process_candidates,
    new_plugin_manager,
)
from codeflash_engine.plugins.records import PluginRecord, PluginStatus
from codeflash_engine.settings import PluginSettings

logger = structlog.get_logger(__name__)


class PluginHost:
    """Owns one pluggy manager; built once per app in the lifespan, never at import time."""

    def __init__(
        self,
        manager: pluggy.PluginManager,
        records: Sequence[PluginRecord],
        loaded: Sequence[LoadedPlugin],
        *,
        in_process: bool = False,
    ) -> None:
        self.manager = manager
        self.records = tuple(records)
        # Plugins handed over as objects exist only in this process: worker processes cannot load them.
        self.in_process = in_process
        language_plugins = [plugin for plugin in loaded if plugin.languages]
        self._facades: dict[str, LanguageHooks] = {}
        self._canonical: dict[str, str] = {}
        for owner in language_plugins:
            others = [plugin.plugin for plugin in language_plugins if plugin is not owner]
            for info in owner.languages:
                facade = LanguageHooks(info, owner.record, manager, others)
                self._facades[info.name] = facade
                for name in info.all_names:
                    self._canonical[name] = info.name

    @property
    def languages(self) -> tuple[str, ...]:
        """Canonical names of the languages some loaded plugin serves."""
        return tuple(sorted(self._facades))

    def canonical_language(self, name: str) -> str:
        key = name.strip().lower()
        if key not in self._canonical:
            raise UnknownLanguageError(name, self.languages)
        return self._canonical[key]

    def for_language(self, name: str) -> LanguageHooks:
        return self._facades[self.canonical_language(name)]

    @property
    def problems(self) -> tuple[PluginRecord, ...]:
        """Plugins that were meant to load but did not (disabled ones are a choice, not a problem)."""
        return tuple(
            record
            for record in self.records
            if record.status not in (PluginStatus.LOADED, PluginStatus.DISABLED)
        )


def load_plugin_host(
    settings: PluginSettings, extra_plugins: Sequence[object] = (), *, entry_points: bool = True
) -> PluginHost:
    """Load every installed entry point (unless ``entry_points`` is false) and ``extra_plugins``."""
    manager = new_plugin_manager()
    loader = PluginLoader(manager, settings)
    candidates = discover_entry_points() if entry_points else []
    loader.load_all([*candidates, *in_process_candidates(extra_plugins)])
    host = PluginHost(manager, loader.records, loader.loaded, in_process=bool(extra_plugins))
    logger.info(
        "plugins loaded",
        languages=list(host.languages),
        plugins={record.name: str(record.status) for record in host.records},
    )
    return host
