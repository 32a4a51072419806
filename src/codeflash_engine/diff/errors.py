"""The one exception the edit appliers raise."""

from collections.abc import Sequence

_MAX_HINT_LINES = 12


class EditApplyError(ValueError):
    """An edit could not be applied; nothing was changed.

    The message names the file, the hunk (1-based, in reply order) and the nearest lines found in the
    file, so it can be sent back to the LLM as is for a retry.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        hunk: int | None = None,
        nearest: Sequence[tuple[int, str]] = (),
    ) -> None:
        self.reason = reason
        self.path = path
        self.hunk = hunk
        self.nearest = tuple(nearest[:_MAX_HINT_LINES])
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.hunk is not None:
            where.append(f"hunk {self.hunk}")
        text = f"{': '.join(where)}: {self.reason}" if where else self.reason
        if self.nearest:
            first, last = self.nearest[0][0], self.nearest[-1][0]
            shown = "\n".join(f"{number:>6} | {line}" for number, line in self.nearest)
            text += f"\nNearest lines found in the file (lines {first}-{last}):\n{shown}"
        return text
