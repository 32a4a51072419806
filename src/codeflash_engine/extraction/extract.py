"""Pulling code out of an LLM reply, whatever shape it takes."""

from itertools import accumulate

from codeflash_engine.extraction.fences import scan_fences
from codeflash_engine.extraction.languages import normalize_language
from codeflash_engine.extraction.result import ExtractedBlock, ExtractionResult
from codeflash_engine.extraction.xml_tags import scan_tags


def extract_code(
    reply: str, *, language: str | None = None, closed_by_stop_sequence: bool = False
) -> ExtractionResult:
    """The code blocks of ``reply``.

    Code tags win when the reply has any; otherwise fenced blocks, keeping only those that name a
    path when some do (the others are usually examples in the prose). With ``language``, blocks
    tagged with another language are dropped. A block the reply ends inside is never returned.
    """
    text = reply.replace("\r\n", "\n")
    lines = text.split("\n")
    scan = scan_fences(lines)
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    fenced = [(starts[fence.first_line], starts[fence.last_line + 1]) for fence in scan.fences]
    if scan.unclosed_from is not None:
        fenced.append((starts[scan.unclosed_from], len(text)))
    tags = scan_tags(text, closed_by_stop_sequence=closed_by_stop_sequence, ignore=fenced)
    if tags.found:
        blocks, truncated, problems = list(tags.blocks), tags.truncated, list(tags.problems)
    else:
        blocks = [ExtractedBlock(fence.language, fence.path, fence.code) for fence in scan.fences]
        truncated = scan.truncated or tags.truncated
        problems = list(tags.problems)
        if scan.truncated:
            problems.append("the last code fence is never closed; the reply looks truncated")
        with_path = [block for block in blocks if block.path]
        if with_path and len(with_path) < len(blocks):
            problems.append(f"ignored {len(blocks) - len(with_path)} code block(s) without a file path")
            blocks = with_path
    if language is not None:
        wanted = normalize_language(language)
        kept = [block for block in blocks if block.language in (None, wanted)]
        if len(kept) < len(blocks):
            problems.append(f"ignored {len(blocks) - len(kept)} code block(s) not in {wanted}")
        blocks = kept
    return ExtractionResult(tuple(blocks), truncated, tuple(problems))
