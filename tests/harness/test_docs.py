"""Every hook is documented with its exact signature and covered by the plugin contract
(datasette's test_plugin_hooks_are_documented / test_plugin_hooks_have_tests)."""

import inspect
import re
from pathlib import Path

import pytest

from codeflash_engine import hookspecs
from codeflash_engine.testing import LanguagePluginContract

DOCS = Path(__file__).parents[2] / "docs" / "plugins.md"
HOOKS = sorted(
    name
    for name, value in vars(hookspecs).items()
    if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
)


def documented_signature(name: str) -> str:
    """``build_context(request: TaskRequest) -> Prompt | None``: the spec's signature with the
    module paths of its types left out, as the docs write it."""
    signature = str(inspect.signature(getattr(hookspecs, name)))
    return name + re.sub(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)", r"\1", signature)


def test_the_hook_list_is_complete() -> None:
    assert sorted(hookspecs.HOOK_NAMES) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_signature(hook: str) -> None:
    headings = re.findall(r"^### `(.+)`$", DOCS.read_text(), flags=re.MULTILINE)
    assert documented_signature(hook) in headings


def test_the_docs_document_no_other_hook() -> None:
    headings = re.findall(r"^### `(\w+)\(", DOCS.read_text(), flags=re.MULTILINE)
    assert sorted(headings) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_contract_tests(hook: str) -> None:
    tests = [name for name in dir(LanguagePluginContract) if name.startswith(f"test_{hook}")]
    assert tests, f"LanguagePluginContract has no test_{hook}_* test"
