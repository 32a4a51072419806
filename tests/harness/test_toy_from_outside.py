"""The example plugin, built and installed like a third-party plugin, works in a fresh environment.

Both wheels are built with ``uv build``, installed into a new virtual environment (the engine with
its ``testing`` extra, nothing from this workspace), the service is started there with
``codeflash-engine serve``, and the toy plugin's own test suite runs there against the installed
engine: the proof that a plugin written outside this repository can be built and tested with the
public harness only.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).parents[2]
TOY = ROOT / "examples" / "codeflash-lang-toy"

# What the service would otherwise pick up from the developer's shell.
_LEAKY_PREFIXES = ("CODEFLASH_", "AZURE_OPENAI_", "OPENAI_", "ANTHROPIC_", "AWS_", "DATABASE_")


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheels")
    return uv


def _run(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_LEAKY_PREFIXES)}
    env.pop("VIRTUAL_ENV", None)
    return env | extra


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def toy_environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the engine's wheel (and ``testing`` extra) and the toy's."""
    work = tmp_path_factory.mktemp("toy-env")
    dist = work / "dist"
    uv = _uv()
    _run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, ROOT)
    _run(uv, "build", "--quiet", "--wheel", "--out-dir", dist, TOY)
    [engine_wheel] = dist.glob("codeflash_engine-*.whl")
    [toy_wheel] = dist.glob("codeflash_lang_toy-*.whl")
    venv = work / "venv"
    _run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    _run(uv, "pip", "install", "--quiet", "--python", python, f"{engine_wheel}[testing]", toy_wheel)
    return venv


@pytest.fixture(scope="module")
def served_toy(toy_environment: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``codeflash-engine serve`` from the fresh environment, requiring the toy plugin."""
    port = _free_port()
    cwd = tmp_path_factory.mktemp("serve")  # no .env file from the repository
    env = _clean_env(
        CODEFLASH_STRICT_PLUGINS="1",
        CODEFLASH_REQUIRED_PLUGINS="codeflash-lang-toy",
        # The service's embedded PostgreSQL keeps its data here, not in the user's data directory.
        CODEFLASH_DATA_DIR=str(cwd / "data"),
    )
    log = cwd / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                toy_environment / "bin" / "codeflash-engine",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"the service exited:\n{log.read_text()}"
            try:
                if httpx.get(f"{url}/healthcheck", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"the service did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.slow
def test_the_installed_service_serves_the_toy_language(served_toy: str) -> None:
    body = httpx.get(f"{served_toy}/plugins", timeout=5).json()
    assert body["languages"] == ["toy"]
    [record] = body["plugins"]
    assert (record["name"], record["entry_point"], record["status"]) == (
        "codeflash-lang-toy",
        "toy",
        "loaded",
    )
    assert record["version"] == "0.1.0"
    assert sorted(record["hooks"]) == sorted(
        ["codeflash_language_info", "build_context", "extract_code", "validate", "postprocess"]
    )


@pytest.mark.slow
def test_the_toy_suite_passes_in_the_fresh_environment(toy_environment: Path, tmp_path: Path) -> None:
    # A copy, so nothing of this repository (its conftest, its pyproject) is on the way.
    project = tmp_path / "codeflash-lang-toy"
    shutil.copytree(TOY / "tests", project / "tests")
    shutil.copy(TOY / "pyproject.toml", project)
    result = subprocess.run(
        [toy_environment / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs"],
        cwd=project,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    engine = _run(
        toy_environment / "bin" / "python", "-c", "import codeflash_engine; print(codeflash_engine.__file__)"
    )
    assert Path(engine.stdout.strip()).is_relative_to(toy_environment), "the engine came from its wheel"
