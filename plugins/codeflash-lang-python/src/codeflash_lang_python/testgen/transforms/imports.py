"""Add the imports the tests need and drop the ones they do not use.

After the earlier steps removed redefinitions (and maybe the LLM forgot an import), names like the
function under test, ``pytest`` or ``random`` can be unbound. We bind them from the module under test
(``module_path``), pytest, the standard library or a small table of conventional aliases, and remove
top-level imports whose name is no longer referenced (``import time`` after the timing asserts went).
"""

import sys
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import MetadataWrapper, ScopeProvider

from codeflash_lang_python.testgen.transforms.names import header_end, names_in

# Conventional names that are not modules themselves: name -> import statement.
KNOWN_NAMES: Mapping[str, str] = {
    "np": "import numpy as np",
    "pd": "import pandas as pd",
    "deque": "from collections import deque",
    "defaultdict": "from collections import defaultdict",
    "Counter": "from collections import Counter",
    "OrderedDict": "from collections import OrderedDict",
    "namedtuple": "from collections import namedtuple",
    "partial": "from functools import partial",
    "reduce": "from functools import reduce",
    "lru_cache": "from functools import lru_cache",
    "dataclass": "from dataclasses import dataclass",
    "field": "from dataclasses import field",
    "Path": "from pathlib import Path",
    "Decimal": "from decimal import Decimal",
    "Fraction": "from fractions import Fraction",
    "Mock": "from unittest.mock import Mock",
    "MagicMock": "from unittest.mock import MagicMock",
    "patch": "from unittest.mock import patch",
    "Any": "from typing import Any",
    "Optional": "from typing import Optional",
}


def unbound_names(module: cst.Module) -> set[str]:
    """Names read somewhere in ``module`` that no assignment, import or builtin binds."""
    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider).values()
    unbound: set[str] = set()
    for scope in {scope for scope in scopes if scope is not None}:
        for access in scope.accesses:
            if not access.referents and isinstance(access.node, cst.Name):
                unbound.add(access.node.value)
    return unbound


def _import_for(name: str, own_names: Mapping[str, str]) -> str | None:
    if name in own_names:
        return f"from {own_names[name]} import {name}"
    if name == "pytest" or name in sys.stdlib_module_names:
        return f"import {name}"
    return KNOWN_NAMES.get(name)


def _bound_names(statement: cst.SimpleStatementLine) -> list[str] | None:
    """Names a top-level import line binds; ``None`` for lines that always stay (star, __future__, other)."""
    names: list[str] = []
    for small in statement.body:
        if isinstance(small, cst.Import):
            names += [(alias.evaluated_alias or alias.evaluated_name).split(".")[0] for alias in small.names]
        elif isinstance(small, cst.ImportFrom):
            is_future = isinstance(small.module, cst.Name) and small.module.value == "__future__"
            if isinstance(small.names, cst.ImportStar) or is_future:
                return None
            names += [alias.evaluated_alias or alias.evaluated_name for alias in small.names]
        else:
            return None
    return names


def _drop_unused(module: cst.Module) -> cst.Module:
    body = list(module.body)
    used: set[str] = set()
    for statement in body:
        if not (isinstance(statement, cst.SimpleStatementLine) and _bound_names(statement) is not None):
            used |= names_in(statement)
    kept: list[cst.BaseStatement] = []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine) and _bound_names(statement) is not None:
            pruned = _prune_import_line(statement, used)
            if pruned.body:
                kept.append(pruned)
        else:
            kept.append(statement)
    return module.with_changes(body=kept)


def _prune_import_line(statement: cst.SimpleStatementLine, used: set[str]) -> cst.SimpleStatementLine:
    smalls: list[cst.BaseSmallStatement] = []
    for small in statement.body:
        if isinstance(small, cst.Import | cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            aliases = [
                alias
                for alias in small.names
                if (alias.evaluated_alias or alias.evaluated_name).split(".")[0] in used
            ]
            if not aliases:
                continue
            # The last alias must not keep a trailing comma from its old position.
            aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            smalls.append(small.with_changes(names=aliases))
        else:
            smalls.append(small)
    return statement.with_changes(body=smalls)


def fix_imports(module: cst.Module, own_names: Mapping[str, str]) -> cst.Module:
    """``own_names`` maps module-level names of the code under test to the module they live in."""
    module = _drop_unused(module)
    needed = sorted(
        {line for name in unbound_names(module) if (line := _import_for(name, own_names)) is not None},
        key=lambda line: (line.startswith("from "), line),
    )
    if not needed:
        return module
    body = list(module.body)
    index = header_end(body)
    after = index
    if after < len(body) and not body[after].leading_lines and not _is_import(body[after]):
        body[after] = body[after].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    body[index:index] = [cst.parse_statement(line) for line in needed]
    return module.with_changes(body=body)


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], cst.Import | cst.ImportFrom
    )
