"""Load plugins from entry points, one at a time, each inside its own error boundary.

pluggy's own ``load_setuptools_entrypoints`` stops at the first broken plugin; a service must not,
so each entry point is imported, registered, checked and asked for its languages separately, and
every outcome ends as a ``PluginRecord``.
"""

import traceback
from collections.abc import Iterable, Sequence
from importlib.metadata import EntryPoint, entry_points

import pluggy
import structlog
from attrs import evolve, frozen

from codeflash_engine import hookspecs
from codeflash_engine.domain import LanguageInfo
from codeflash_engine.plugins.errors import RequiredPluginError
from codeflash_engine.plugins.records import PluginRecord, PluginStatus
from codeflash_engine.settings import PluginSettings

logger = structlog.get_logger(__name__)

ENTRY_POINT_GROUP = "codeflash_engine"


@frozen
class LoadedPlugin:
    """A registered plugin object with its record and the languages it owns."""

    plugin: object
    record: PluginRecord
    languages: tuple[LanguageInfo, ...]


@frozen
class PluginCandidate:
    """Something to load: an entry point, or a plugin object handed over directly (tests, built-ins)."""

    name: str
    entry_point: str
    version: str
    module: str
    entry: EntryPoint | None = None
    plugin: object | None = None

    def load(self) -> object:
        if self.plugin is not None:
            return self.plugin
        assert self.entry is not None
        return self.entry.load()


def new_plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def discover_entry_points() -> list[PluginCandidate]:
    """Every installed entry point of the group, once per (distribution, name)."""
    seen: set[tuple[str, str]] = set()
    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        dist_name = entry.dist.name if entry.dist is not None else entry.module.split(".")[0]
        version = entry.dist.version if entry.dist is not None else "unknown"
        if (dist_name, entry.name) in seen:
            continue
        seen.add((dist_name, entry.name))
        found.append(
            PluginCandidate(
                name=dist_name, entry_point=entry.name, version=version, module=entry.module, entry=entry
            )
        )
    return sorted(found, key=lambda candidate: (candidate.name, candidate.entry_point))


def _names_match(names: Iterable[str], identifiers: Iterable[str]) -> bool:
    wanted = {name.lower() for name in names}
    return any(identifier.lower() in wanted for identifier in identifiers)


def _error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


class PluginLoader:
    """Registers candidates on one plugin manager and records what happened to each."""

    def __init__(self, manager: pluggy.PluginManager, settings: PluginSettings) -> None:
        self.manager = manager
        self.settings = settings
        self.loaded: list[LoadedPlugin] = []
        self.records: list[PluginRecord] = []

    def load_all(self, candidates: Sequence[PluginCandidate]) -> None:
        for candidate in candidates:
            self._load_one(candidate)
        self._resolve_conflicts()
        self._check_required()

    def _base_record(self, candidate: PluginCandidate, status: PluginStatus, **extra: object) -> PluginRecord:
        return PluginRecord(
            name=candidate.name,
            entry_point=candidate.entry_point,
            version=candidate.version,
            module=candidate.module,
            status=status,
            **extra,  # type: ignore[arg-type]
        )

    def _skip_reason(self, identifiers: Iterable[str]) -> str | None:
        identifiers = tuple(identifiers)
        allow = self.settings.load_plugins
        if allow is not None and not _names_match(allow, identifiers):
            return "not in CODEFLASH_LOAD_PLUGINS"
        if _names_match(self.settings.disable_plugins, identifiers):
            return "listed in CODEFLASH_DISABLE_PLUGINS"
        return None

    def _fail(self, candidate: PluginCandidate, status: PluginStatus, exc: BaseException | str) -> None:
        error = exc if isinstance(exc, str) else _error_text(exc)
        logger.warning(
            "plugin not loaded",
            plugin=candidate.name,
            entry_point=candidate.entry_point,
            version=candidate.version,
            status=str(status),
            error=error,
        )
        if isinstance(exc, BaseException):
            logger.debug("plugin load traceback", plugin=candidate.name, exc_info=exc)
        self.records.append(self._base_record(candidate, status, error=error))
        if self.settings.strict:
            raise RuntimeError(f"plugin {candidate.name} ({candidate.entry_point}): {error}") from (
                exc if isinstance(exc, BaseException) else None
            )

    def _load_one(self, candidate: PluginCandidate) -> None:
        reason = self._skip_reason((candidate.name, candidate.entry_point))
        if reason is not None:
            self.records.append(self._base_record(candidate, PluginStatus.DISABLED, error=reason))
            return
        try:
            plugin = candidate.load()
        except (Exception, SystemExit) as exc:
            self._fail(candidate, PluginStatus.FAILED, exc)
            return
        registered_name = f"{candidate.name}:{candidate.entry_point}"
        try:
            self.manager.register(plugin, name=registered_name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._unregister(registered_name)
            self._fail(candidate, PluginStatus.FAILED, exc)
            return
        try:
            hooks = self._checked_hooks(plugin)
            languages = self._declared_languages(plugin)
        except Exception as exc:
            self._unregister(registered_name)
            self._fail(candidate, PluginStatus.FAILED, exc)
            return
        versions = {info.api_version for info in languages}
        if versions - {hookspecs.PLUGIN_API_VERSION}:
            self._unregister(registered_name)
            self._fail(
                candidate,
                PluginStatus.INCOMPATIBLE,
                f"written for plugin API version {sorted(versions)}, "
                f"this engine speaks version {hookspecs.PLUGIN_API_VERSION}",
            )
            return
        names = tuple(name for info in languages for name in info.all_names)
        if _names_match(self.settings.disable_plugins, names):
            self._unregister(registered_name)
            self.records.append(
                self._base_record(
                    candidate, PluginStatus.DISABLED, error="listed in CODEFLASH_DISABLE_PLUGINS"
                )
            )
            return
        record = self._base_record(
            candidate,
            PluginStatus.LOADED,
            languages=tuple(info.name for info in languages),
            hooks=hooks,
            api_version=hookspecs.PLUGIN_API_VERSION if languages else None,
        )
        self.records.append(record)
        self.loaded.append(LoadedPlugin(plugin=plugin, record=record, languages=languages))

    def _unregister(self, name: str) -> None:
        plugin = self.manager.get_plugin(name)
        if plugin is not None:
            self.manager.unregister(plugin, name=name)

    def _checked_hooks(self, plugin: object) -> tuple[str, ...]:
        callers = self.manager.get_hookcallers(plugin) or []
        unknown = sorted(caller.name for caller in callers if not caller.has_spec())
        if unknown:
            raise TypeError(f"implements unknown hooks: {', '.join(unknown)}")
        return tuple(sorted(caller.name for caller in callers))

    def _declared_languages(self, plugin: object) -> tuple[LanguageInfo, ...]:
        impls = [
            impl
            for impl in self.manager.hook.codeflash_language_info.get_hookimpls()
            if impl.plugin is plugin
        ]
        if not impls:
            return ()
        declared = impls[0].function()
        if isinstance(declared, LanguageInfo):
            declared = (declared,)
        if not isinstance(declared, Sequence) or not all(isinstance(info, LanguageInfo) for info in declared):
            raise TypeError("codeflash_language_info must return a sequence of LanguageInfo")
        if not declared:
            raise ValueError("codeflash_language_info declared no language")
        return tuple(declared)

    def _resolve_conflicts(self) -> None:
        claims: dict[str, list[LoadedPlugin]] = {}
        for loaded in self.loaded:
            for name in {name for info in loaded.languages for name in info.all_names}:
                claims.setdefault(name, []).append(loaded)
        contested = {name: owners for name, owners in claims.items() if len(owners) > 1}
        losers = {id(owner) for owners in contested.values() for owner in owners}
        if not losers:
            return
        for loaded in [plugin for plugin in self.loaded if id(plugin) in losers]:
            rivals = sorted(
                {
                    owner.record.name
                    for name, owners in contested.items()
                    if loaded in owners
                    for owner in owners
                }
                - {loaded.record.name}
            )
            languages = sorted(name for name, owners in contested.items() if loaded in owners)
            claimants = ", ".join(rivals) or "another entry point"
            error = f"language {', '.join(languages)} also claimed by {claimants}"
            logger.warning("plugin conflict", plugin=loaded.record.name, error=error)
            self._unregister(f"{loaded.record.name}:{loaded.record.entry_point}")
            self.records[self.records.index(loaded.record)] = evolve(
                loaded.record, status=PluginStatus.CONFLICT, error=error
            )
            if self.settings.strict:
                raise RuntimeError(f"plugin {loaded.record.name}: {error}")
        self.loaded = [plugin for plugin in self.loaded if id(plugin) not in losers]

    def _check_required(self) -> None:
        missing = []
        for required in self.settings.required_plugins:
            matches = [record for record in self.records if required.lower() in record.identifiers]
            if not any(record.status is PluginStatus.LOADED for record in matches):
                detail = "; ".join(f"{r.name}: {r.status} ({r.error})" for r in matches) or "not installed"
                missing.append(f"{required} ({detail})")
        if missing:
            raise RequiredPluginError("required plugins unavailable: " + ", ".join(missing))


def in_process_candidates(plugins: Sequence[object]) -> list[PluginCandidate]:
    """Plugin objects handed over directly (tests, the plugin-author harness) instead of entry points."""
    candidates = []
    for plugin in plugins:
        module = getattr(plugin, "__module__", None) or getattr(plugin, "__name__", type(plugin).__name__)
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        candidates.append(
            PluginCandidate(
                name=str(name), entry_point=str(name), version="in-process", module=str(module), plugin=plugin
            )
        )
    return candidates
