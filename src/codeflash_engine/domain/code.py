"""Source files as they travel between the client, the LLM and the plugins."""

from attrs import frozen


@frozen
class SourceFile:
    """One file's full text.

    ``path`` is relative to the client's project root, POSIX style, exactly as the client wrote it
    in its markdown fences; ``None`` when a fence carried no path.
    """

    path: str | None
    code: str
