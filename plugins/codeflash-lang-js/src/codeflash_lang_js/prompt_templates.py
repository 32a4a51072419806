"""Prompt templates shipped inside the package, loaded once and cached."""

from functools import cache
from importlib.resources import files


@cache
def template(name: str) -> str:
    """The text of ``prompts/<name>.md``; ``str.format`` fields are filled by the caller."""
    return (files("codeflash_lang_js") / "prompts" / f"{name}.md").read_text(encoding="utf-8")
