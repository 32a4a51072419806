"""The edit limits come from ``CODEFLASH_EDIT_*`` and bound what the appliers accept."""

import pytest

from codeflash_engine.diff import DEFAULT_LIMITS, EditApplyError, EditSettings, apply_search_replace


def test_defaults_are_the_library_defaults() -> None:
    assert EditSettings(_env_file=None).limits() == DEFAULT_LIMITS  # type: ignore[call-arg]


def test_limits_from_the_environment_are_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEFLASH_EDIT_MAX_BLOCKS", "1")
    limits = EditSettings(_env_file=None).limits()  # type: ignore[call-arg]
    assert limits.max_blocks == 1
    block = "a.py\n<<<<<<< SEARCH\n{old}\n=======\n{new}\n>>>>>>> REPLACE\n"
    reply = block.format(old="x = 1", new="x = 2") + block.format(old="y = 1", new="y = 2")
    with pytest.raises(EditApplyError, match="block"):
        apply_search_replace({"a.py": "x = 1\ny = 1\n"}, reply, limits=limits)
