"""Exceptions plugins raise and the HTTP layer translates."""


class PluginError(Exception):
    """Base class for errors a plugin raises on purpose from a hook."""


class LanguageNotImplementedError(PluginError):
    """The plugin owns the language but does not implement this hook or task yet (HTTP 501)."""


class UnsupportedTaskError(PluginError):
    """The language cannot do this task at all (HTTP 400)."""


class InvalidCodeError(PluginError):
    """The code a hook received cannot be used (HTTP 422)."""
