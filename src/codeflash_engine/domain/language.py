"""What a language plugin declares it owns."""

from attrs import field, frozen


def _lowercase_name(name: str) -> str:
    return name.strip().lower()


def _lowercase_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_lowercase_name(name) for name in names)


@frozen
class LanguageInfo:
    """One language a plugin owns.

    ``name`` is the canonical language string the client sends (``"python"``, ``"typescript"``);
    ``aliases`` are other names routed to the same plugin (``"py"``); ``fence_tag`` is the tag the
    client's markdown regex expects on code fences in responses (defaults to ``name``).
    ``api_version`` is the plugin API version the plugin was written against
    (see ``codeflash_engine.hookspecs.PLUGIN_API_VERSION``).
    """

    name: str = field(converter=_lowercase_name)
    api_version: int
    aliases: tuple[str, ...] = field(default=(), converter=_lowercase_names)
    file_extensions: tuple[str, ...] = ()
    fence_tag: str = ""

    @property
    def tag(self) -> str:
        return self.fence_tag or self.name

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)
