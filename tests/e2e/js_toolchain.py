"""The JavaScript toolchain of the JS/TS end-to-end tests: Node, npm and a cached ``node_modules``.

The released CLI's JS runtime is the npm package ``codeflash`` 0.9.0, run under vitest 3.2 with
``@vitest/coverage-v8`` (client-contract-js.md §1, §9). Installing it builds ``better-sqlite3``
against the installed Node's headers (``npm_config_nodedir=/usr``, about a minute of CPU) and needs
the npm registry, so it happens once, outside the tests' private network namespace, into
``~/.cache/codeflash-engine/js-e2e/<hash of package.json>``; every project links to it.

    uv run python -m tests.e2e.js_toolchain     # check Node and npm, install the cache (CI does this)
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from platformdirs import user_cache_path

PACKAGE_JSON = {
    "name": "codeflash-engine-js-e2e",
    "version": "1.0.0",
    "private": True,
    "devDependencies": {"codeflash": "0.9.0", "vitest": "3.2.4", "@vitest/coverage-v8": "3.2.4"},
}
INSTALL_TIMEOUT_S = 900


class ToolchainUnavailableError(RuntimeError):
    """Node or npm is missing, or the modules are not installed and cannot be."""


def missing_tools() -> list[str]:
    return [tool for tool in ("node", "npm") if shutil.which(tool) is None]


def cache_dir() -> Path:
    text = json.dumps(PACKAGE_JSON, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return user_cache_path("codeflash-engine") / "js-e2e" / digest


def _complete(directory: Path) -> bool:
    return (directory / ".installed").exists()


def ensure_node_modules(*, install: bool = True) -> Path:
    """The cached ``node_modules`` directory, installed first when ``install`` and missing."""
    if missing := missing_tools():
        raise ToolchainUnavailableError(
            f"{' and '.join(missing)} not installed (Node 18+ and npm are needed)"
        )
    directory = cache_dir()
    if _complete(directory):
        return directory / "node_modules"
    if not install:
        raise ToolchainUnavailableError(
            f"the JS e2e node_modules are not installed in {directory}: run "
            "`uv run python -m tests.e2e.js_toolchain` (it needs the npm registry) first"
        )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "package.json").write_text(json.dumps(PACKAGE_JSON, indent=2))
    env = {
        **os.environ,
        "CODEFLASH_SKIP_POSTINSTALL": "1",  # else codeflash's postinstall installs the Python CLI
        "CI": "1",
        "npm_config_nodedir": "/usr",  # build better-sqlite3 against the installed Node's headers
    }
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise ToolchainUnavailableError(f"npm install failed in {directory}:\n{done.stderr[-3000:]}")
    (directory / ".installed").write_text("ok\n")
    return directory / "node_modules"


if __name__ == "__main__":
    try:
        print(ensure_node_modules())
    except ToolchainUnavailableError as exc:
        sys.exit(f"JS e2e toolchain: {exc}")
