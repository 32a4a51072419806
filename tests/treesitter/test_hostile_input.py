"""Hostile input (deep nesting, huge files, NUL bytes, invalid UTF-8) is handled, bounded, and
in a hook worker process, as plugins run the kit, never reaches the server process."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from codeflash_engine.treesitter import (
    Grammar,
    definitions,
    find_definition,
    fingerprint,
    parse,
    syntax_diagnostics,
    walk,
)
from tests.treesitter.languages import GO, GO_RULES, JAVA, JAVA_RULES, JAVASCRIPT, JS_RULES, TYPESCRIPT

DEEP = 50_000
HOSTILE: dict[str, tuple[Grammar, bytes]] = {
    "deep brackets": (JAVASCRIPT, b"x = " + b"[" * DEEP + b"]" * DEEP + b";"),
    "deep unclosed parens": (TYPESCRIPT, b"f" + b"(" * DEEP),
    "deep nested classes": (JAVA, b"class A {" * 2_000 + b"}" * 2_000),
    "deep blocks": (GO, b"package p\nfunc F() {" + b"{" * DEEP + b"}" * DEEP + b"}\n"),
    "half a megabyte": (JAVASCRIPT, b"function f(a) { return a + 1; }\n" * 16_000),
    "NUL bytes": (JAVASCRIPT, b"function f(\x00) {\x00 return 1 }\x00" * 1_000),
    "invalid UTF-8": (JAVA, b'class A { String s = "\xff\xfe\xc3"; }'),
}
IN_A_WORKER = ("deep unclosed parens", "NUL bytes", "invalid UTF-8")


def _run_the_kit(grammar: Grammar, source: bytes) -> tuple[int, int, int, int]:
    rules = {JAVASCRIPT: JS_RULES, TYPESCRIPT: JS_RULES, JAVA: JAVA_RULES, GO: GO_RULES}[grammar]
    tree = parse(grammar, source)
    nodes = sum(1 for _ in walk(tree.root_node))
    diagnostics = syntax_diagnostics(grammar, source, tree=tree)
    found = definitions(grammar, source, rules, tree=tree)
    find_definition(grammar, source, rules, "A.f", tree=tree)
    assert len(fingerprint(grammar, source, tree=tree)) == 64
    return nodes, len(diagnostics), len(found), len(source)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_does_not_overflow_the_stack_in_process(case: str) -> None:
    grammar, source = HOSTILE[case]
    nodes, _, _, _ = _run_the_kit(grammar, source)
    assert nodes > 0


def test_hostile_input_runs_in_a_spawned_worker_and_the_caller_survives() -> None:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as workers:
        results = {case: workers.submit(_run_the_kit, *HOSTILE[case]) for case in IN_A_WORKER}
        outcomes = {case: future.result(timeout=120) for case, future in results.items()}
    assert outcomes["deep unclosed parens"][1] >= 1
    assert outcomes["NUL bytes"][1] >= 1
    assert outcomes["invalid UTF-8"][2] == 1
