"""The Python grammar a client runs, from the ``language_version`` it sends (e.g. ``"3.9.18"``)."""

import re
import sys

# ``ast.parse(feature_version=...)`` accepts nothing older than 3.7 on the server's Python.
OLDEST_GATED_MINOR = 7

_VERSION = re.compile(r"^\s*3\.(\d+)")


def client_feature_version(language_version: str | None) -> tuple[int, int] | None:
    """The ``(3, minor)`` grammar to check against, or ``None`` when the server's grammar applies.

    Only versions older than the server's need a gate: the server cannot parse newer syntax anyway,
    so such code already fails ``compile`` here.
    """
    if not language_version:
        return None
    match = _VERSION.match(language_version)
    if match is None:
        return None
    minor = int(match.group(1))
    if minor >= sys.version_info.minor:
        return None
    return (3, max(minor, OLDEST_GATED_MINOR))


def describe(language_version: str | None) -> str:
    """The version to name in prompts: what the client runs, else the server's own."""
    match = _VERSION.match(language_version or "")
    if match is None:
        return f"3.{sys.version_info.minor}"
    return f"3.{match.group(1)}"
