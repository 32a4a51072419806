"""Sample code shared by the tests (imported by name: see conftest.py)."""

from collections.abc import Callable

from codeflash_engine.domain import Candidate, SourceFile, TaskRequest

RequestFactory = Callable[..., TaskRequest]

ORIGINAL = '''import math
from collections import Counter


def _square(x):
    """Square a number."""
    return x * x


def describe(values):
    counts = Counter(values)
    return {key: math.sqrt(count) for key, count in counts.items()}


def sum_of_squares(n):
    total = 0
    for i in range(n):
        total = total + _square(i)
    return total
'''

PATH = "mypkg/slow.py"


def candidate(code: str, candidate_id: str = "c1", path: str = PATH) -> Candidate:
    return Candidate(candidate_id=candidate_id, files=(SourceFile(path, code),))
