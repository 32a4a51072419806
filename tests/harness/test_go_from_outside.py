"""``pip install codeflash-lang-go`` next to the engine is all a Go user needs.

The engine's and the plugin's wheels are built with ``uv build`` and installed into a new virtual
environment (the engine with its ``testing`` extra; the plugin's own dependencies, tree-sitter and
tree-sitter-go, come from the index), nothing from this workspace. From there
``codeflash-engine plugins`` lists Go as loaded, from the installed wheels. (The plugin's own suite,
the contract included, runs against the workspace's engine; the toy plugin's check shows the harness
works from a fresh environment too.)
"""

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import outside

GO_PLUGIN = outside.ROOT / "plugins" / "codeflash-lang-go"


@pytest.fixture(scope="module")
def go_environment() -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(prefix="codeflash-go-outside-"))
    try:
        yield outside.install_wheels(work, GO_PLUGIN)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.slow
def test_the_installed_engine_loads_the_go_plugin(go_environment: Path, tmp_path: Path) -> None:
    listed = outside.run(go_environment / "bin" / "codeflash-engine", "plugins", "--json", cwd=tmp_path)
    [record] = [r for r in json.loads(listed.stdout) if r["name"] == "codeflash-lang-go"]
    assert (record["status"], record["languages"], record["entry_point"]) == ("loaded", ["go"], "go")
    imported = outside.run(
        go_environment / "bin" / "python",
        "-c",
        "import codeflash_engine as e, codeflash_lang_go as g; print(e.__file__, g.__file__)",
    )
    assert all(Path(path).is_relative_to(go_environment) for path in imported.stdout.split())
