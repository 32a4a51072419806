"""Shared by tests/contract and tests/e2e (``from tests import released_client_support``): which
task a fake-LLM request belongs to (from the prompts the service sends), and a minimal stand-in for
the CLI's second backend (cfapi).
"""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from codeflash_engine.testing.fake_llm import RecordedRequest

# The first words of each task's user prompt (plugin prompts) or a phrase of its system prompt
# (engine prompts). Order matters: "Optimize `x` for speed once more" is adaptive, not optimize.
_USER_PREFIXES = (
    ("adaptive", "Optimize `", "for speed once more"),
    ("line_profiler", "Optimize `", "<line_profiler_results>"),
    ("optimize", "Optimize `", ""),
    ("jit", "Rewrite `", ""),
    ("refine", "Refine the optimized version", ""),
    ("repair", "Repair the optimized version", ""),
    ("testgen_repair", "Repair tests of", ""),
    ("testgen_review", "Review the generated tests", ""),
    ("testgen", "Write pytest regression tests", ""),
    ("testgen", "Write Java regression tests", ""),
    ("testgen", "Write Go regression tests", ""),
    ("testgen", "Write ", "regression tests for `"),  # vitest, jest, mocha (codeflash-lang-js)
)
_SYSTEM_PHRASES = (
    ("rank", "RANKING:"),
    ("review", "REVIEW: high"),
    ("explain", "writing the summary of an optimization"),
    ("workflow", "GitHub Actions job"),
)


def task_of(request: RecordedRequest) -> str:
    """``optimize``, ``line_profiler``, ``refine``, ``repair``, ``adaptive``, ``jit``, ``testgen``,
    ``testgen_repair``, ``testgen_review``, ``rank``, ``review``, ``explain``, ``workflow`` or
    ``unknown``."""
    user = request.user.lstrip()
    for task, prefix, marker in _USER_PREFIXES:
        if user.startswith(prefix) and marker in user:
            return task
    for task, phrase in _SYSTEM_PHRASES:
        if phrase in request.system or phrase in request.prompt:
            return task
    return "unknown"


def for_task(*tasks: str) -> Callable[[RecordedRequest], bool]:
    """A fake-LLM matcher: ``fake.reply(text, when=for_task("optimize"))``."""
    return lambda request: task_of(request) in tasks


def fence(path: str, code: str, explanation: str = "") -> str:
    """An LLM reply: prose, then the code in a ```python:<path> fence."""
    prose = f"{explanation}\n\n" if explanation else ""
    return f"{prose}```python:{path}\n{code.rstrip()}\n```\n"


class CfapiStub:
    """The CLI's second backend on ``host:port``: ``POST /cfapi/mark-as-success`` and anything else
    answer ``200 {}``; ``GET /cfapi/cli-get-user`` answers a user. ``calls`` lists (method, path)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 3001) -> None:
        self.calls: list[tuple[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                stub.calls.append((self.command, self.path))
                payload: Any = {}
                if self.path.startswith("/cfapi/cli-get-user"):
                    payload = {"userId": "local-user", "min_version": "0.0.1"}
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _answer
            do_POST = _answer
            do_PUT = _answer

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="cfapi-stub")

    def __enter__(self) -> "CfapiStub":
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
