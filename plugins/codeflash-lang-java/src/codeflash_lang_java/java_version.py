"""The Java version a request targets, from the client's ``language_version``.

The client sends the raw text of the pom's ``maven.compiler.source`` (or ``java.version``,
``maven.compiler.release``, the compiler plugin's ``<source>``), so besides ``"17"`` it can be the
old-style ``"1.8"`` or an unresolved property such as ``"${java.version}"``; for Gradle and when
nothing is set it is the major version of ``java -version``.
"""

import re

from attrs import frozen

OLDEST_ASSUMED = 8
"""When the version is unknown, code must compile on Java 8: the oldest the client supports."""

_MAJOR = re.compile(r"^\s*(?:1\.(?P<legacy>\d+)|(?P<major>\d+))(?:[.\-_+].*)?\s*$")


@frozen
class JavaVersion:
    """``major`` is the feature release (8, 11, 17, 21) or ``None`` when the client's value says none."""

    raw: str | None
    major: int | None

    @property
    def floor(self) -> int:
        """The release the code must compile on."""
        return self.major if self.major is not None else OLDEST_ASSUMED

    def describe(self) -> str:
        if self.major is not None:
            return f"Java {self.major}"
        if self.raw and "${" in self.raw:
            return (
                f"an unknown Java version (the build file says `{self.raw.strip()}`, a property the "
                f"client could not resolve); write code that compiles on Java {OLDEST_ASSUMED}"
            )
        return f"an unknown Java version; write code that compiles on Java {OLDEST_ASSUMED}"


def parse_java_version(raw: str | None) -> JavaVersion:
    """``"17"`` -> 17, ``"1.8"`` -> 8, ``"21.0.2"`` -> 21, ``"${java.version}"`` or junk -> unknown."""
    match = _MAJOR.match(raw or "")
    if match is None:
        return JavaVersion(raw=raw, major=None)
    major = int(match.group("legacy") or match.group("major"))
    return JavaVersion(raw=raw, major=major if major >= 1 else None)
