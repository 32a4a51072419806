"""Instrument ``generated_tests`` in the format the released client parses (see ``format_version``)."""

import libcst as cst
from attrs import frozen

from codeflash_lang_python.testgen.instrument.async_calls import mark_async_call_sites
from codeflash_lang_python.testgen.instrument.call_sites import matcher_for
from codeflash_lang_python.testgen.instrument.prelude import (
    async_prelude,
    behavior_prelude,
    performance_prelude,
)
from codeflash_lang_python.testgen.instrument.sync_calls import wrap_target_calls
from codeflash_lang_python.testgen.target import TestgenTarget
from codeflash_lang_python.testgen.transforms.names import header_end


@frozen
class InstrumentedTests:
    behavior: str
    performance: str
    call_sites: int  # how many call sites of the function under test were instrumented


def _with_prelude(module: cst.Module, prelude: list[cst.BaseStatement]) -> str:
    # After a docstring and `from __future__` imports, which Python requires first.
    body: list[cst.BaseStatement] = list(module.body)
    index = header_end(body)
    if index < len(body):  # keep two blank lines between the prelude and the test's own code
        body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    body[index:index] = prelude
    return module.with_changes(body=body).code


def instrument(generated_tests: cst.Module, target: TestgenTarget) -> InstrumentedTests:
    matcher = matcher_for(generated_tests, target)
    if target.is_async:
        marked, sites = mark_async_call_sites(generated_tests, matcher)
        text = _with_prelude(marked, async_prelude())
        return InstrumentedTests(behavior=text, performance=text, call_sites=sites)
    wrapped, sites = wrap_target_calls(generated_tests, matcher)
    return InstrumentedTests(
        behavior=_with_prelude(wrapped, behavior_prelude(target)),
        performance=_with_prelude(wrapped, performance_prelude(target)),
        call_sites=sites,
    )
