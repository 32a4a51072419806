"""Engine-level prompt templates (``prompts/`` at the repository root, shipped inside the wheel)."""

from functools import cache
from importlib.resources import files
from pathlib import Path

from codeflash_engine.domain import Prompt


def _prompts_dir() -> Path:
    packaged = Path(str(files("codeflash_engine"))) / "prompts"
    if packaged.is_dir():
        return packaged
    # An editable (development) install runs from src/, where the wheel's copy does not exist.
    return Path(__file__).resolve().parents[3] / "prompts"


@cache
def template(name: str) -> str:
    return (_prompts_dir() / f"{name}.md").read_text(encoding="utf-8")


def engine_prompt(name: str, **fields: object) -> Prompt:
    """``<name>_system.md`` and ``<name>_user.md`` filled with ``fields`` by ``str.format``."""
    return Prompt(
        system=template(f"{name}_system").format(**fields), user=template(f"{name}_user").format(**fields)
    )
