"""Shared by the harness's from-outside tests (``from tests.harness import outside``): the engine's
wheel and a plugin's, built with ``uv build`` and installed into a new virtual environment, nothing
from this workspace, and commands run without the developer's service settings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

# What the service would otherwise pick up from the developer's shell.
_LEAKY_PREFIXES = ("CODEFLASH_", "AZURE_OPENAI_", "OPENAI_", "ANTHROPIC_", "AWS_", "DATABASE_")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment, less what configures the service, its database or an LLM
    provider and the workspace's virtual environment, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_LEAKY_PREFIXES)}
    env.pop("VIRTUAL_ENV", None)
    return env | extra


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """Run a command (in ``clean_env()`` unless ``env`` is given); the test fails unless it exits 0."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=clean_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def install_wheels(work: Path, plugin: Path) -> Path:
    """Build the engine's wheel and the wheel of the plugin in the folder ``plugin`` into
    ``work/dist``, install both (the engine with its ``testing`` extra) into the new virtual
    environment ``work/venv`` and return it."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheels")
    dist = work / "dist"
    run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, ROOT)
    run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, plugin)
    [engine_wheel] = dist.glob("codeflash_engine-*.whl")
    [plugin_wheel] = dist.glob(f"{plugin.name.replace('-', '_')}-*.whl")
    venv = work / "venv"
    run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    run(
        uv,
        "pip",
        "install",
        "--quiet",
        "--python",
        venv / "bin" / "python",
        f"{engine_wheel}[testing]",
        plugin_wheel,
    )
    return venv
