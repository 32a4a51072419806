"""What the request tells about the user's project: Node version, module system, test framework,
and the target function."""

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from codeflash_engine.domain import TaskRequest

TEST_FRAMEWORKS = ("vitest", "jest", "mocha")
_ESM_SUFFIXES = frozenset({".mjs", ".ts", ".tsx", ".mts"})
_ESM_SYNTAX = re.compile(r"^\s*(import\s.+\sfrom\s|export\s+(function|class|const|let|default|async))", re.M)


def language_name(request: TaskRequest) -> str:
    return "TypeScript" if request.language == "typescript" else "JavaScript"


def node_version(request: TaskRequest) -> str:
    return request.language_version or "20 (the client did not say which)"


def module_system(request: TaskRequest) -> str:
    """``esm`` or ``commonjs``: the client's value (sent on testgen only), else what the client
    would detect from the target file (its suffix, then its syntax)."""
    sent = request.details.get("module_system")
    if sent in ("esm", "commonjs"):
        return str(sent)
    target = request.files[0] if request.files else None
    if target is None:
        return "commonjs"
    if target.path and PurePosixPath(target.path).suffix.lower() in _ESM_SUFFIXES:
        return "esm"
    if target.path and target.path.lower().endswith(".cjs"):
        return "commonjs"
    if _ESM_SYNTAX.search(target.code):
        return "esm"
    return "commonjs"


def describe_module_system(system: str) -> str:
    if system == "esm":
        return "ES modules (`import`/`export`)"
    return "CommonJS modules (`require`/`module.exports`)"


def test_framework(request: TaskRequest) -> str | None:
    value = request.details.get("test_framework")
    return str(value) if value in TEST_FRAMEWORKS else None


def function_to_optimize(request: TaskRequest) -> Mapping[str, Any]:
    value = request.details.get("function_to_optimize")
    return value if isinstance(value, Mapping) else {}


def qualified_target(request: TaskRequest) -> str | None:
    """The target's qualified name (``Class.method`` or ``name``) when the request names it."""
    if request.target is not None:
        return request.target.qualified_name
    name = request.details.get("qualified_name")
    if isinstance(name, str) and name:
        return name
    function = function_to_optimize(request)
    if function.get("function_name"):
        parents = [str(p.get("name")) for p in function.get("parents") or () if isinstance(p, Mapping)]
        return ".".join([*parents, str(function["function_name"])])
    return None


def is_async(request: TaskRequest) -> bool:
    if request.target is not None:
        return request.target.is_async
    return bool(request.details.get("is_async") or function_to_optimize(request).get("is_async"))
