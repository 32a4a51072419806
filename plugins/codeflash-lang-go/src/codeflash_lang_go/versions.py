"""The client's Go version (the ``go`` directive of go.mod, or ``go version``) and what it allows."""

import re

from attrs import frozen

_VERSION = re.compile(r"(?:go)?(\d+)\.(\d+)")

NEWER_BUILTINS = {"min": (1, 21), "max": (1, 21), "clear": (1, 21)}
NEWER_PACKAGES = {
    "slices": (1, 21),
    "maps": (1, 21),
    "cmp": (1, 21),
    "log/slog": (1, 21),
    "iter": (1, 23),
    "unique": (1, 23),
    "math/rand/v2": (1, 22),
}


@frozen
class GoVersion:
    major: int
    minor: int
    known: bool = True

    @classmethod
    def parse(cls, raw: str | None) -> "GoVersion":
        match = _VERSION.search(raw or "")
        if match is None:
            # Unknown: assume the oldest Go the released client runs with (Debian's 1.19).
            return cls(1, 19, known=False)
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}" if self.known else "1.19 or newer (version unknown)"

    def allows(self, since: tuple[int, int]) -> bool:
        return (self.major, self.minor) >= since

    def notes(self) -> str:
        missing = []
        if not self.allows((1, 18)):
            missing.append("generics")
        if not self.allows((1, 21)):
            missing.append("the builtins min, max and clear, and the packages slices, maps and cmp")
        if not self.allows((1, 22)):
            missing.append("range over an integer (`for i := range n`) and per-iteration loop variables")
        if not missing:
            return "Use only language features and standard library packages of that version."
        return "That version has no " + "; no ".join(missing) + ": do not use them."
