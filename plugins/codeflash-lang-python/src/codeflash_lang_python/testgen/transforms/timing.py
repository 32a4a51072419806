"""Remove assertions about how long something took.

A wall-clock bound passes or fails with machine load, not with behaviour, and the client compares
pass/fail between the original and a candidate: a flaky timing assert rejects good candidates. The
assignments that only fed such asserts go too.
"""

import libcst as cst
import libcst.matchers as m

from codeflash_lang_python.testgen.transforms.names import names_in

# Callables whose results are clock readings (``time.perf_counter()``, ``timeit.timeit(...)``, ...).
CLOCK_FUNCTIONS = frozenset(
    {
        "time",
        "time_ns",
        "perf_counter",
        "perf_counter_ns",
        "monotonic",
        "monotonic_ns",
        "process_time",
        "process_time_ns",
        "thread_time",
        "thread_time_ns",
        "timeit",
        "repeat",
        "default_timer",
    }
)
_CLOCK_MODULES = frozenset({"time", "timeit"})


class _ClockCallFinder(cst.CSTVisitor):
    def __init__(self, clock_aliases: set[str]) -> None:
        self.clock_aliases = clock_aliases
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        aliased_clock = isinstance(func, cst.Name) and func.value in self.clock_aliases
        module_clock = (
            isinstance(func, cst.Attribute)
            and func.attr.value in CLOCK_FUNCTIONS
            and bool(names_in(func.value) & (_CLOCK_MODULES | {"datetime"}))
        )
        self.found = self.found or aliased_clock or module_clock


def _clock_aliases(module: cst.Module) -> set[str]:
    """Names bound by ``from time import perf_counter [as pc]`` and the like."""
    aliases: set[str] = set()
    for node in module.body:
        if not isinstance(node, cst.SimpleStatementLine):
            continue
        for small in node.body:
            if (
                isinstance(small, cst.ImportFrom)
                and isinstance(small.module, cst.Name)
                and small.module.value in _CLOCK_MODULES
                and not isinstance(small.names, cst.ImportStar)
            ):
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value in CLOCK_FUNCTIONS:
                        aliases.add(alias.evaluated_alias or alias.name.value)
    return aliases


def _reads_clock(node: cst.CSTNode, clock_aliases: set[str], timing_names: set[str]) -> bool:
    if names_in(node) & timing_names:
        return True
    finder = _ClockCallFinder(clock_aliases)
    node.visit(finder)
    return finder.found


def _assigned_names(small: cst.BaseSmallStatement) -> set[str]:
    if isinstance(small, cst.Assign):
        return {n for target in small.targets for n in names_in(target.target)}
    if isinstance(small, cst.AnnAssign | cst.AugAssign):
        return names_in(small.target)
    return set()


class _TimingAssertRemover(cst.CSTTransformer):
    def __init__(self, clock_aliases: set[str]) -> None:
        self.clock_aliases = clock_aliases
        self.timing_names: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.timing_names = set()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        kept: list[cst.BaseSmallStatement] = []
        for small in updated_node.body:
            if isinstance(small, cst.Assert) and _reads_clock(
                small.test, self.clock_aliases, self.timing_names
            ):
                continue
            targets = _assigned_names(small)
            value = getattr(small, "value", None)
            if (
                targets
                and isinstance(value, cst.BaseExpression)
                and _reads_clock(value, self.clock_aliases, self.timing_names)
            ):
                # ``start = time.perf_counter()``, ``elapsed = end - start``: a clock reading. Asserts on
                # it go; the assignment goes too unless it also runs other code (``timeit(lambda: f(x))``).
                self.timing_names |= targets
                if not _calls_other_code(value, self.clock_aliases):
                    continue
            kept.append(small)
        if not kept:
            return cst.RemoveFromParent()
        return updated_node.with_changes(body=kept)


def _calls_other_code(value: cst.BaseExpression, clock_aliases: set[str]) -> bool:
    """True if ``value`` also calls something that is not a clock (it may be the code under test)."""
    calls = m.findall(value, m.Call())
    for call in calls:
        assert isinstance(call, cst.Call)
        func = call.func
        name = (
            func.value
            if isinstance(func, cst.Name)
            else func.attr.value
            if isinstance(func, cst.Attribute)
            else ""
        )
        if name not in CLOCK_FUNCTIONS and name not in clock_aliases:
            return True
    return False


def remove_timing_assertions(module: cst.Module) -> cst.Module:
    return module.visit(_TimingAssertRemover(_clock_aliases(module)))
