"""Code out of LLM replies, and code into the client's markdown.

``extract_code`` reads fences (CommonMark) and XML-style code tags out of a reply;
``render_markdown`` writes blocks in the one form the client's regex reads; ``parse_markdown_files``
reads the client's own markdown (request fields) the way the client does.
"""

from codeflash_engine.extraction.errors import RenderError
from codeflash_engine.extraction.extract import extract_code
from codeflash_engine.extraction.languages import language_of_path, normalize_language
from codeflash_engine.extraction.render import CLIENT_MARKDOWN_PATTERN, parse_markdown_files, render_markdown
from codeflash_engine.extraction.result import ExtractedBlock, ExtractionResult

__all__ = [
    "CLIENT_MARKDOWN_PATTERN",
    "ExtractedBlock",
    "ExtractionResult",
    "RenderError",
    "extract_code",
    "language_of_path",
    "normalize_language",
    "parse_markdown_files",
    "render_markdown",
]
