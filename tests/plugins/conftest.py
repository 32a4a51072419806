"""Throwaway plugin distributions, really built and installed, for the loader tests."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DISTRIBUTIONS = Path(__file__).parent / "distributions"


@pytest.fixture(scope="session")
def installed_test_plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every distribution under ``distributions/`` and install them into a scratch directory.

    uv builds each one with its real build backend and writes real ``.dist-info`` metadata with
    entry points, exactly as ``pip install`` would; the directory is then put on ``sys.path``.
    """
    target = tmp_path_factory.mktemp("site-packages")
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build the test plugin distributions")
    sources = sorted(str(path) for path in DISTRIBUTIONS.iterdir() if (path / "pyproject.toml").exists())
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--python",
            sys.executable,
            "--target",
            str(target),
            *sources,
        ],
        check=True,
    )
    return target


@pytest.fixture
def test_plugins_on_path(installed_test_plugins: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Make the throwaway distributions discoverable by ``importlib.metadata`` for one test."""
    monkeypatch.syspath_prepend(str(installed_test_plugins))
    yield installed_test_plugins
    for name in [module for module in sys.modules if module.startswith("cf_test_")]:
        del sys.modules[name]
