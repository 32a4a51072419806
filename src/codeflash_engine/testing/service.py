"""The service as a real process: ``codeflash-engine serve`` on a TCP port, for tests and benchmarks
that drive it over the network the way the codeflash CLI does.

::

    with ServiceProcess(env={"DATABASE_URL": url, **fake.env()}) as service:
        key = service.create_key("dev@example.com")
        httpx.post(f"{service.url}/ai/optimize", headers={"Authorization": f"Bearer {key}"}, ...)

The child gets the parent's environment minus every LLM-provider and database variable, plus
``env``: a developer's real provider keys never reach it. Its stdout and stderr go to ``log_path``
(``log_tail()`` reads the end, for assertion messages).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from codeflash_engine.testing.fake_llm import PROVIDER_ENV_VARS

SCRUBBED_ENV_VARS = (*PROVIDER_ENV_VARS, "DATABASE_URL", "CODEFLASH_DATA_DIR", "CODEFLASH_LOAD_PLUGINS")


class PortBusyError(RuntimeError):
    """The fixed port the service must listen on is taken by another process."""


class ServiceStartError(RuntimeError):
    """The service process exited or did not answer ``/healthcheck`` in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the service binds (uvicorn sets it): a port whose last connections are in TIME_WAIT,
        # e.g. right after an earlier test module's service on it stopped, is free for it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def engine_command() -> list[str]:
    """The ``codeflash-engine`` command of the running interpreter's environment."""
    script = Path(sys.executable).with_name("codeflash-engine")
    if script.exists():
        return [str(script)]
    found = shutil.which("codeflash-engine")
    if found is None:
        return [sys.executable, "-c", "from codeflash_engine.cli import main; main()"]
    return [found]


class ServiceProcess:
    """``codeflash-engine serve --host HOST --port PORT --workers N`` in a child process.

    ``port=0`` picks a free port. A fixed port that is taken raises ``PortBusyError`` before
    anything starts (so a test fails with that message, not with a confusing bind error).
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        host: str = "127.0.0.1",
        port: int = 0,
        workers: int = 1,
        log_path: Path | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.workers = workers
        self.start_timeout = start_timeout
        self._own_log = log_path is None
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="codeflash-engine-", suffix=".log")[1])
        base = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV_VARS}
        self.env: dict[str, str] = {**base, "PYTHONUNBUFFERED": "1", **env}
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "ServiceProcess":
        if not port_is_free(self.port, self.host):
            raise PortBusyError(
                f"port {self.host}:{self.port} is already in use by another process; the service "
                "must listen there (stop whatever runs on it and retry)"
            )
        command = [
            *engine_command(),
            "serve",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServiceStartError(
                    f"the service exited with {self._process.returncode} at start-up:\n{self.log_tail()}"
                )
            try:
                if httpx.get(f"{self.url}/healthcheck", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise ServiceStartError(
            f"the service did not answer within {self.start_timeout} s:\n{self.log_tail()}"
        )

    def create_key(self, email: str, tier: str = "enterprise", role: str = "user") -> str:
        """A new API key from ``codeflash-engine keys create`` against the service's database
        (``role="admin"`` for one that opens the console)."""
        done = subprocess.run(
            [*engine_command(), "keys", "create", "--email", email, "--tier", tier, "--role", role],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"keys create failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout.strip().splitlines()[-1]

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def __enter__(self) -> "ServiceProcess":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if self._own_log and exc is None:
            self.log_path.unlink(missing_ok=True)
