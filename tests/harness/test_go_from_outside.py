"""``pip install codeflash-lang-go`` next to the engine is all a Go user needs.

The engine's and the plugin's wheels are built with ``uv build`` and installed into a new virtual
environment (the engine with its ``testing`` extra; the plugin's own dependencies, tree-sitter and
tree-sitter-go, come from the index), nothing from this workspace. From there
``codeflash-engine plugins`` lists Go as loaded, from the installed wheels. (The plugin's own suite,
the contract included, runs against the workspace's engine; the toy plugin's check shows the harness
works from a fresh environment too.)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
GO_PLUGIN = ROOT / "plugins" / "codeflash-lang-go"
_LEAKY_PREFIXES = ("CODEFLASH_", "AZURE_OPENAI_", "OPENAI_", "ANTHROPIC_", "AWS_", "DATABASE_")


def _run(
    *args: str | Path, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_LEAKY_PREFIXES)}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def go_environment() -> Iterator[Path]:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheels")
    work = Path(tempfile.mkdtemp(prefix="codeflash-go-outside-"))
    try:
        dist = work / "dist"
        _run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, ROOT)
        _run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, GO_PLUGIN)
        [engine_wheel] = dist.glob("codeflash_engine-*.whl")
        [go_wheel] = dist.glob("codeflash_lang_go-*.whl")
        venv = work / "venv"
        _run(uv, "venv", "--quiet", "--python", sys.executable, venv)
        _run(
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            venv / "bin" / "python",
            f"{engine_wheel}[testing]",
            go_wheel,
        )
        yield venv
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.slow
def test_the_installed_engine_loads_the_go_plugin(go_environment: Path, tmp_path: Path) -> None:
    listed = _run(go_environment / "bin" / "codeflash-engine", "plugins", "--json", cwd=tmp_path)
    [record] = [r for r in json.loads(listed.stdout) if r["name"] == "codeflash-lang-go"]
    assert (record["status"], record["languages"], record["entry_point"]) == ("loaded", ["go"], "go")
    imported = _run(
        go_environment / "bin" / "python",
        "-c",
        "import codeflash_engine as e, codeflash_lang_go as g; print(e.__file__, g.__file__)",
    )
    assert all(Path(path).is_relative_to(go_environment) for path in imported.stdout.split())
