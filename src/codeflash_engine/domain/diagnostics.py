"""Problems a plugin finds in code."""

from enum import StrEnum

from attrs import frozen


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@frozen
class Diagnostic:
    """One finding of ``validate``. Line and column are 1-based, ``None`` when unknown."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path or "<code>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"
