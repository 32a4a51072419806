"""Errors of plugin loading and dispatch (as opposed to ``codeflash_engine.errors``, raised by plugins)."""


class RequiredPluginError(RuntimeError):
    """A plugin listed in ``CODEFLASH_REQUIRED_PLUGINS`` is missing or did not load; start-up stops."""


class UnknownLanguageError(LookupError):
    """No loaded plugin owns the requested language."""

    def __init__(self, language: str, available: tuple[str, ...]) -> None:
        listed = ", ".join(available) or "none"
        super().__init__(f"unsupported language {language!r}; available languages: {listed}")
        self.language = language
        self.available = available

    def __reduce__(self) -> tuple[type, tuple[str, tuple[str, ...]]]:
        return type(self), (self.language, self.available)


class PluginHookError(RuntimeError):
    """A plugin's hook raised an unexpected exception or broke the hook's contract."""

    def __init__(self, plugin: str, hook: str, message: str) -> None:
        super().__init__(f"plugin {plugin} failed in hook {hook}: {message}")
        self.plugin = plugin
        self.hook = hook
        self.detail = message

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        # Raised in hook worker processes and pickled back: the default reduce passes only the
        # formatted message to __init__, whose unpickling then fails and breaks the whole pool.
        return type(self), (self.plugin, self.hook, self.detail)


class PluginReturnedNothingError(PluginHookError):
    """No plugin answered a hook that needs an answer."""
