"""The Go toolchain for the tests: offline (no module proxy), with its build cache outside the
repository so reruns are fast and the first run still works from nothing."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

GO_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "codeflash-engine" / "go-build"


def go_env() -> dict[str, str]:
    GO_CACHE.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "GOCACHE": str(GO_CACHE),
        "CGO_ENABLED": "0",
    }


def require_go() -> str:
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not installed (Debian: apt-get install golang-go)")
    return go


def run_go(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_go(), *args],
        cwd=cwd,
        env=go_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_module(root: Path, files: dict[str, str], module: str = "example.com/gproj") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module {module}\n\ngo 1.19\n")
    for path, code in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(code)
    return root
