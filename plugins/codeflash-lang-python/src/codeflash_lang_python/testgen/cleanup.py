"""Turn an LLM's test module into ``generated_tests``: the transformations, in order.

Order matters: validity first (nothing else can parse broken code); redefinitions before imports (so
the removed names get imported); timing, sizes and seeding before the unused-definition and import
passes, which then sweep up what those left behind (``import time``, a ``start = ...`` helper).
"""

import libcst as cst
from attrs import frozen

from codeflash_lang_python.testgen.instrument.call_sites import matcher_for
from codeflash_lang_python.testgen.target import TestgenTarget
from codeflash_lang_python.testgen.transforms.bounds import Limits, cap_sizes
from codeflash_lang_python.testgen.transforms.capped_assertions import relax_capped_assertions
from codeflash_lang_python.testgen.transforms.determinism import seed_randomness
from codeflash_lang_python.testgen.transforms.imports import fix_imports
from codeflash_lang_python.testgen.transforms.names import is_test_class, is_test_function
from codeflash_lang_python.testgen.transforms.redefinitions import remove_redefinitions
from codeflash_lang_python.testgen.transforms.timing import remove_timing_assertions
from codeflash_lang_python.testgen.transforms.unused import remove_unused_definitions
from codeflash_lang_python.testgen.transforms.validity import keep_compilable


class CleanupError(Exception):
    """The candidate has no usable tests; ``step`` names the transformation that found out."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


@frozen
class CleanTests:
    raw: str  # the LLM's module, reduced to what compiles
    module: cst.Module  # generated_tests


def _has_tests(module: cst.Module) -> bool:
    return any(
        is_test_function(statement)
        or (
            is_test_class(statement)
            and isinstance(statement, cst.ClassDef)
            and any(
                is_test_function(inner) for inner in cst.ensure_type(statement.body, cst.IndentedBlock).body
            )
        )
        for statement in module.body
    )


def _cap_sizes(module: cst.Module, target: TestgenTarget, limits: Limits | None) -> cst.Module:
    """Cap sizes, then relax the assertions whose expected values were computed for uncapped data."""
    matcher = matcher_for(module, target)
    capped = cap_sizes(module, limits, matcher.matches)
    return relax_capped_assertions(capped.module, capped.capped, matcher.matches)


def clean_tests(source: str, target: TestgenTarget, limits: Limits | None = None) -> CleanTests:
    raw = keep_compilable(source)
    if raw is None:
        raise CleanupError("compile", "no part of the test module compiles")
    try:
        module = cst.parse_module(raw)
    except cst.ParserSyntaxError as error:  # compiles on our Python, but libcst's grammar disagrees
        raise CleanupError("compile", f"libcst cannot parse the module: {error.message}") from error
    if not _has_tests(module):
        raise CleanupError("compile", "the module defines no test functions")
    own_names = target.module_level_imports()
    module = remove_redefinitions(module, own_names.keys())
    module = remove_timing_assertions(module)
    module = _cap_sizes(module, target, limits)
    module = seed_randomness(module)
    module = remove_unused_definitions(module)
    module = fix_imports(module, own_names)
    if not _has_tests(module):
        raise CleanupError("cleanup", "no test functions left after cleanup")
    return CleanTests(raw=raw, module=module)
