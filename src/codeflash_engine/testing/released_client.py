"""The released codeflash client, run in an isolated environment of its own.

The client (and its pytest plugins) never enter the project's environment: every command runs
through ``uv run --isolated --no-project --with codeflash==<version> --with "pytest<9"`` (pytest 9
breaks the 0.20.6 client's pytest plugin). The environment is built once and cached by uv; later
runs work offline.
"""

import functools
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

CLIENT_VERSION = "0.20.6"
NETWORK_HINTS = ("failed to fetch", "dns error", "connection", "network", "timed out", "offline")


class ClientUnavailableError(RuntimeError):
    """The client environment cannot be built here (no uv, or PyPI unreachable and nothing cached)."""


def client_env_args(version: str = CLIENT_VERSION) -> list[str]:
    return ["--isolated", "--no-project", "--with", f"codeflash=={version}", "--with", "pytest<9"]


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        raise ClientUnavailableError("uv is not installed: cannot build the isolated client environment")
    return uv


@functools.cache
def _uv_dirs() -> dict[str, str]:
    """uv's cache and Python directories as this process sees them, so a child run with another
    ``HOME`` (the CLI must write to a throwaway one) still finds the cached client environment."""
    dirs = {}
    for variable, command in (("UV_CACHE_DIR", "cache"), ("UV_PYTHON_INSTALL_DIR", "python")):
        done = subprocess.run([_uv(), command, "dir"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            dirs[variable] = done.stdout.strip()
    return dirs


def run_client(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    offline: bool = True,
    version: str = CLIENT_VERSION,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` (e.g. ``["python", "driver.py"]`` or ``["codeflash", "--file", ...]``) in the
    client's environment."""
    command = [_uv(), "run", *(["--offline"] if offline else []), *client_env_args(version), *args]
    return subprocess.run(
        command,
        cwd=cwd,
        env={**_uv_dirs(), **env} if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ensure_client(version: str = CLIENT_VERSION) -> None:
    """Build (or find in uv's cache) the client environment; ``ClientUnavailableError`` if the
    network is needed and unreachable, ``RuntimeError`` for any other failure."""
    probe = ["python", "-c", "import codeflash"]
    if run_client(probe, timeout=120, version=version).returncode == 0:
        return
    online = run_client(probe, timeout=600, offline=False, version=version)
    if online.returncode == 0:
        return
    tail = "\n".join(online.stderr.strip().splitlines()[-5:])
    if any(hint in online.stderr.lower() for hint in NETWORK_HINTS):
        raise ClientUnavailableError(f"PyPI unreachable, cannot install codeflash=={version}: {tail}")
    raise RuntimeError(f"could not set up codeflash=={version}: {tail}")
