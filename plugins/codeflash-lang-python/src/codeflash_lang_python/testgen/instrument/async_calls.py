"""Mark call sites of an async function under test.

For async targets the client itself decorates the function in the source file, and that decorator
records the call; it reads the call site from ``CODEFLASH_CURRENT_LINE_ID``. So each top-level
statement of a test that calls the target gets ``os.environ["CODEFLASH_CURRENT_LINE_ID"] = "<n>"``
before it, n counting such statements within the test (the decorator appends its own call count).
The same text serves the behaviour and the performance run: the client picks the decorator per mode.
"""

import libcst as cst
import libcst.matchers as m

from codeflash_lang_python.testgen import format_version as fmt
from codeflash_lang_python.testgen.instrument.call_sites import TargetCallMatcher
from codeflash_lang_python.testgen.instrument.prelude import OS_ALIAS
from codeflash_lang_python.testgen.instrument.test_functions import rewrite_tests


def _calls_target(statement: cst.CSTNode, matcher: TargetCallMatcher) -> bool:
    return any(
        isinstance(call, cst.Call) and matcher.matches(call) for call in m.findall(statement, m.Call())
    )


def _mark(site: int) -> cst.SimpleStatementLine:
    return cst.ensure_type(
        cst.parse_statement(f"{OS_ALIAS}.environ[{fmt.CURRENT_LINE_ID_ENV!r}] = {str(site)!r}"),
        cst.SimpleStatementLine,
    )


def _mark_test(function: cst.FunctionDef, matcher: TargetCallMatcher) -> tuple[cst.FunctionDef, int]:
    suite = function.body
    statements: list[cst.BaseStatement] = (
        list(suite.body)
        if isinstance(suite, cst.IndentedBlock)
        else [cst.SimpleStatementLine(body=cst.ensure_type(suite, cst.SimpleStatementSuite).body)]
    )
    body: list[cst.BaseStatement] = []
    sites = 0
    for statement in statements:
        if _calls_target(statement, matcher):
            body.append(_mark(sites))
            sites += 1
        body.append(statement)
    if not sites:
        return function, 0
    return function.with_changes(body=cst.IndentedBlock(body=body)), sites


def mark_async_call_sites(module: cst.Module, matcher: TargetCallMatcher) -> tuple[cst.Module, int]:
    return rewrite_tests(module, lambda function, _test_class: _mark_test(function, matcher))
