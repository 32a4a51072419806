"""What extraction returns."""

from attrs import frozen

from codeflash_engine.domain import SourceFile


@frozen
class ExtractedBlock:
    """One piece of code from a reply. ``language`` is normalised (``python``, ``javascript`` ...)
    and ``None`` when neither a tag nor the path's extension says; ``path`` is ``None`` when the
    reply gave none."""

    language: str | None
    path: str | None
    code: str

    def to_source_file(self) -> SourceFile:
        return SourceFile(path=self.path, code=self.code)


@frozen
class ExtractionResult:
    """The complete code blocks of a reply, in order.

    ``truncated`` is set when the reply ends inside a block (a fence or tag that never closes);
    such a block is never returned. ``problems`` says, in words, what was skipped and why.
    """

    blocks: tuple[ExtractedBlock, ...] = ()
    truncated: bool = False
    problems: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[SourceFile, ...]:
        return tuple(block.to_source_file() for block in self.blocks)
