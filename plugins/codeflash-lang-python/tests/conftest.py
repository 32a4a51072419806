"""Shared builders for the Python plugin's tests."""

import sys
from pathlib import Path
from typing import Any

import pytest

# The suite runs with --import-mode=importlib, which puts no test directory on sys.path; the sample
# module next to this file is made importable here rather than in the workspace-wide settings.
sys.path.insert(0, str(Path(__file__).parent))

from pylang_samples import ORIGINAL, PATH, RequestFactory

from codeflash_engine.domain import SourceFile, TargetFunction, Task, TaskRequest


@pytest.fixture
def make_request() -> RequestFactory:
    def build(
        task: Task = Task.OPTIMIZE,
        code: str = ORIGINAL,
        language_version: str | None = "3.11.4",
        target: str | None = "sum_of_squares",
        files: tuple[SourceFile, ...] | None = None,
        **details: Any,
    ) -> TaskRequest:
        return TaskRequest(
            task=task,
            language="python",
            trace_id="trace",
            files=files if files is not None else (SourceFile(PATH, code),),
            language_version=language_version,
            target=TargetFunction(name=target.split(".")[-1], qualified_name=target) if target else None,
            details=details,
        )

    return build
