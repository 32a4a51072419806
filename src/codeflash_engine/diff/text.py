"""Files as lists of lines that remember their line endings."""

from collections.abc import Collection, Sequence

from attrs import define

from codeflash_engine.diff.errors import EditApplyError
from codeflash_engine.diff.limits import EditLimits


@define
class Document:
    """A file's lines without their endings, plus what is needed to write it back unchanged.

    ``eols`` is ``None`` while every line ends in ``\\n`` (the common case, kept cheap); otherwise it
    holds each line's own ending so that untouched lines of a mixed file keep theirs. New lines get
    ``eol``, the file's dominant ending. Whether the file ends with a newline is preserved.
    """

    lines: list[str]
    eols: list[str] | None
    eol: str
    final_newline: bool

    @classmethod
    def parse(cls, text: str) -> "Document":
        final_newline = text.endswith("\n") or not text
        raw = text.split("\n")
        if final_newline:
            raw.pop()
        if "\r" not in text:
            return cls(raw, None, "\n", final_newline)
        lines: list[str] = []
        eols: list[str] = []
        terminated = len(raw) if final_newline else len(raw) - 1
        for number, line in enumerate(raw):
            if number < terminated and line.endswith("\r"):
                lines.append(line[:-1])
                eols.append("\r\n")
            else:
                lines.append(line)
                eols.append("\n")
        eol = "\r\n" if eols.count("\r\n") * 2 > terminated else "\n"
        return cls(lines, eols, eol, final_newline)

    def replace(self, start: int, stop: int, new_lines: Sequence[str]) -> None:
        """Replace lines ``start:stop`` (0-based, half-open) with ``new_lines``."""
        self.lines[start:stop] = new_lines
        if self.eols is not None:
            self.eols[start:stop] = [self.eol] * len(new_lines)

    def render(self) -> str:
        if not self.lines:
            return ""
        if self.eols is None:
            body = "\n".join(self.lines)
            return body + "\n" if self.final_newline else body
        body = "".join(line + eol for line, eol in zip(self.lines, self.eols, strict=True))
        if not self.final_newline:
            body = body.removesuffix(self.eols[-1])
        return body


def check_file(path: str, text: str, limits: EditLimits) -> None:
    if len(text) > limits.max_file_bytes:
        raise EditApplyError(
            f"file is larger than the limit of {limits.max_file_bytes} characters", path=path
        )
    if text.count("\n") > limits.max_file_lines:
        raise EditApplyError(f"file has more than {limits.max_file_lines} lines", path=path)


def check_reply(reply: str, limits: EditLimits) -> None:
    if len(reply) > limits.max_reply_bytes:
        raise EditApplyError(f"reply is larger than the limit of {limits.max_reply_bytes} characters")


def check_pattern(path: str, hunk: int, pattern: Sequence[str], limits: EditLimits) -> None:
    if len(pattern) > limits.max_pattern_lines:
        raise EditApplyError(
            f"the lines to find are longer than the limit of {limits.max_pattern_lines} lines",
            path=path,
            hunk=hunk,
        )


def resolve_path(files: Collection[str], name: str) -> str | None:
    """The existing path ``name`` refers to: exact, then without ``./``, then a unique suffix match.

    The suffix rule accepts both a bogus directory prefix the model added (``src/pkg/a.py`` for
    ``pkg/a.py``) and a shortened path (``a.py`` for ``pkg/a.py``), but only when one file fits.
    """
    if name in files:
        return name
    bare = name.removeprefix("./")
    if bare in files:
        return bare
    fits = [
        path for path in files if path.endswith("/" + bare) or bare.endswith("/" + path.removeprefix("./"))
    ]
    return fits[0] if len(fits) == 1 else None
