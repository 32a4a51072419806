"""The README's configuration table lists every environment variable the service reads."""

from pathlib import Path

from pydantic_settings import BaseSettings

from codeflash_engine.diff import EditSettings
from codeflash_engine.settings import Settings

README = Path(__file__).parents[1] / "README.md"


def _variables() -> set[str]:
    # The edit limits are read where the appliers run (hook worker processes), not through Settings.
    groups: list[type[BaseSettings]] = [EditSettings]
    for group in Settings.model_fields.values():
        settings_class = group.annotation
        assert isinstance(settings_class, type) and issubclass(settings_class, BaseSettings)
        groups.append(settings_class)
    return {field.alias or name for group in groups for name, field in group.model_fields.items()}


def test_every_environment_variable_is_in_the_readme_table() -> None:
    table = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in _variables() if f"`{name}`" not in table)
    assert not missing, f"add these to the README's configuration table: {missing}"


def test_the_readme_opens_with_the_two_commands() -> None:
    opening = README.read_text().split("\n## ", 1)[0]
    assert "uv run codeflash-engine serve" in opening
    assert "uv run pytest" in opening
