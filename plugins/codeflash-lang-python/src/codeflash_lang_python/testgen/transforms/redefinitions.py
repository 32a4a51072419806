"""Remove the tests' own copies of the function under test and its helpers.

LLMs like to paste the code under test into the test file. A module-level copy shadows the import,
so the tests would exercise the copy and never see an optimized candidate; the imports step then
brings in the real definitions.
"""

from collections.abc import Collection

import libcst as cst

from codeflash_lang_python.testgen.transforms.names import defined_name


def remove_redefinitions(module: cst.Module, names: Collection[str]) -> cst.Module:
    """Drop module-level ``def``/``class``/``name = ...`` statements binding any of ``names``."""
    body = [statement for statement in module.body if defined_name(statement) not in names]
    return module.with_changes(body=body)
