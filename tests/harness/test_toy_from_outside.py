"""The example plugin, built and installed like a third-party plugin, works in a fresh environment.

Both wheels are built with ``uv build`` and installed into a new virtual environment (the engine
with its ``testing`` extra, nothing from this workspace). From there:

- ``codeflash-engine serve`` starts with the toy plugin required, its embedded PostgreSQL in a
  temporary data directory and its LLM providers pointed at a fake LLM (a real HTTP server in this
  process), and lists the toy language, and only it, in ``/plugins``;
- a key from that environment's own ``codeflash-engine keys create`` authenticates a
  ``POST /ai/optimize`` in the released client's wire format; the fake LLM receives the toy
  plugin's prompt, and the candidates that come back are the toy plugin's postprocessing of the
  scripted replies (a reply without code, invalid code, a copy of the original and a duplicate
  are dropped);
- a language that is not installed (Java, JavaScript, even Python) answers 422 without any LLM call;
- the toy plugin's own test suite runs against the installed engine.

That is the proof that a plugin written outside this repository can be built, served and tested
with the public harness only. No variable of the developer's shell that configures the service,
its database or an LLM provider reaches the processes started here.
"""

import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from attrs import frozen

from codeflash_engine.extraction import CLIENT_MARKDOWN_PATTERN
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.service import free_port
from tests.harness import outside

TOY = outside.ROOT / "examples" / "codeflash-lang-toy"

# The toy suite's sample (examples/codeflash-lang-toy/tests/test_contract.py) and where the
# contract puts it in the client's project.
SAMPLE_PATH = "src/sample.toy"
SAMPLE_SOURCE = "# adds 1..n one call at a time\nfn sum_to(n) = n + sum_to(n - 1)\nlet limit = 10\n"
OPTIMIZED_SOURCE = "# Gauss\nfn sum_to(n) = n * (n + 1) / 2\nlet limit = 10\n"
INVALID_SOURCE = "fn sum_to(n) = n * (n + 1 / 2\n"
# OPTIMIZED_SOURCE and SAMPLE_SOURCE with other comments and spacing: the toy plugin's postprocess
# compares code without them, so it drops both as duplicates.
OPTIMIZED_RESPACED = "# closed form\nfn sum_to(n) = n*(n+1)/2\n\nlet limit = 10\n"
SAMPLE_RECOMMENTED = "fn sum_to(n) = n + sum_to(n - 1)  # unchanged\nlet limit = 10\n"


def _fenced(code: str) -> str:
    return f"```toy:{SAMPLE_PATH}\n{code.strip()}\n```"


# One reply per candidate asked for; the fake hands them out in turn. Only one program survives.
REPLIES = (
    f"Here is a faster version.\n\n{_fenced(OPTIMIZED_SOURCE)}\n\nIt avoids the recursion.",
    f"Closed form:\n{_fenced(OPTIMIZED_RESPACED)}\n",
    f"{_fenced(INVALID_SOURCE)}\n",
    f"No change needed:\n{_fenced(SAMPLE_RECOMMENTED)}\n",
    "I could not find a faster version.",
)


@frozen
class ServedToy:
    """The service running from the fresh environment, and what a test needs to talk to it."""

    url: str
    venv: Path
    cwd: Path
    env: dict[str, str]
    log: Path

    def command(self, name: str) -> Path:
        return self.venv / "bin" / name

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@pytest.fixture(scope="module")
def work_root() -> Iterator[Path]:
    """Where the environment and the service's data live: not under pytest's basetemp.

    Run as root, pgserver runs PostgreSQL's binaries (in the fresh environment) and its data
    directory as an unprivileged user, and opens the directories above them to it; any pytest
    session starting on the machine meanwhile closes ``/tmp/pytest-of-<user>`` again (mode 0700),
    and ``pg_ctl stop`` then fails at shutdown, leaving the server running.
    """
    root = Path(tempfile.mkdtemp(prefix="codeflash-toy-outside-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def toy_environment(work_root: Path) -> Path:
    """A fresh virtual environment with the engine's wheel (and ``testing`` extra) and the toy's."""
    work = work_root / "toy-env"
    work.mkdir()
    return outside.install_wheels(work, TOY)


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLM]:
    """The LLM providers the served process talks to (Azure and Bedrock paths, as in production)."""
    with FakeLLM() as fake:
        yield fake


@pytest.fixture
def fresh_fake(fake_llm: FakeLLM) -> Iterator[FakeLLM]:
    """The module's fake LLM with no rules and no recorded request, and left so."""
    fake_llm.clear()
    yield fake_llm
    fake_llm.clear()


@pytest.fixture(scope="module")
def served_toy(toy_environment: Path, fake_llm: FakeLLM, work_root: Path) -> Iterator[ServedToy]:
    """``codeflash-engine serve`` from the fresh environment, requiring the toy plugin."""
    port = free_port()
    cwd = work_root / "serve"  # no .env file from the repository
    cwd.mkdir()
    env = outside.clean_env(
        CODEFLASH_STRICT_PLUGINS="1",
        CODEFLASH_REQUIRED_PLUGINS="codeflash-lang-toy",
        # The service's embedded PostgreSQL keeps its data here, not in the user's data directory;
        # ``keys create`` with the same directory shares that server.
        CODEFLASH_DATA_DIR=str(cwd / "data"),
        **fake_llm.env(),
    )
    log = cwd / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                toy_environment / "bin" / "codeflash-engine",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    served = ServedToy(url=f"http://127.0.0.1:{port}", venv=toy_environment, cwd=cwd, env=env, log=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"the service exited:\n{served.log_tail()}"
            try:
                if httpx.get(f"{served.url}/healthcheck", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"the service did not start:\n{served.log_tail()}"
            time.sleep(0.2)
        yield served
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def api_key(served_toy: ServedToy) -> str:
    """A key from the fresh environment's own ``codeflash-engine keys create`` (default tier)."""
    created = outside.run(
        served_toy.command("codeflash-engine"),
        "keys",
        "create",
        "--email",
        "toy-author@example.com",
        cwd=served_toy.cwd,
        env=served_toy.env,
        timeout=60,
    )
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("cf-"), created.stdout
    return key


def _client_request(
    api_key: str, language: str, source_code: str
) -> tuple[dict[str, str], dict[str, object]]:
    """Headers and body of ``POST /ai/optimize`` exactly as the released client (0.20.6) sends them
    (../shared/reference/client-traffic-samples.json), for ``language``."""
    headers = {
        "User-Agent": "python-requests/2.34.2",
        "Connection": "close",
        "Authorization": f"Bearer {api_key}",
        "Content-Type": "application/json",
    }
    body: dict[str, object] = {
        "source_code": source_code,
        "dependency_code": "",
        "trace_id": str(uuid.uuid4()),
        "language": language,
        "experiment_metadata": None,
        "codeflash_version": "0.20.6",
        "current_username": None,
        "repo_owner": None,
        "repo_name": None,
        "is_async": False,
        "call_sequence": 1,
        "n_candidates": len(REPLIES),
        "is_numerical_code": None,
        "rerun_trace_id": None,
        "language_version": None,
    }
    return headers, body


@pytest.mark.slow
def test_the_installed_service_serves_the_toy_language(served_toy: ServedToy) -> None:
    body = httpx.get(f"{served_toy.url}/plugins", timeout=5).json()
    assert body["languages"] == ["toy"]
    [record] = body["plugins"]
    assert (record["name"], record["entry_point"], record["status"]) == (
        "codeflash-lang-toy",
        "toy",
        "loaded",
    )
    assert record["version"] == "0.1.0"
    assert sorted(record["hooks"]) == sorted(
        ["codeflash_language_info", "build_context", "extract_code", "validate", "postprocess"]
    )


@pytest.mark.slow
def test_the_installed_service_optimizes_toy_code(
    served_toy: ServedToy, api_key: str, fresh_fake: FakeLLM
) -> None:
    scripted = fresh_fake.on(respond=[Reply(text) for text in REPLIES], times=len(REPLIES))
    headers, body = _client_request(api_key, "toy", _fenced(SAMPLE_SOURCE))
    response = httpx.post(f"{served_toy.url}/ai/optimize", headers=headers, json=body, timeout=60)
    assert response.status_code == 200, f"{response.text}\n--- service log ---\n{served_toy.log_tail()}"

    # The fake received one call per candidate asked for, each with the toy plugin's prompt, and
    # every scripted reply went out.
    calls = fresh_fake.requests
    assert len(calls) == len(REPLIES), [call.path for call in calls]
    assert scripted.exhausted
    for call in calls:
        assert call.api in ("azure", "bedrock")
        assert "You make Toy code faster" in call.system
        assert _fenced(SAMPLE_SOURCE) in call.user

    # The toy plugin's postprocess kept one program: the reply without code, the invalid one, the
    # copy of the original and the respaced duplicate were dropped.
    optimizations = response.json()["optimizations"]
    assert len(optimizations) == 1, optimizations
    [candidate] = optimizations
    # Read it the way the client does: its markdown regex gives the tag, path and code.
    [(tag, path, code)] = CLIENT_MARKDOWN_PATTERN.findall(candidate["source_code"])
    assert (tag, path) == ("toy", SAMPLE_PATH)
    assert code.strip() in (OPTIMIZED_SOURCE.strip(), OPTIMIZED_RESPACED.strip())
    uuid.UUID(candidate["optimization_id"])
    assert candidate.get("parent_id") is None
    assert candidate["model"] in {call.model for call in calls}
    # Why the others were dropped, in the toy plugin's words (the service logs each drop).
    drops = [
        line
        for line in served_toy.log.read_text(errors="replace").splitlines()
        if "candidate dropped" in line and f"trace_id={body['trace_id']}" in line
    ]
    for reason in (
        "the reply contains no toy code block",
        "expected ')', found the end of the line",
        "same as the original",
        "same as an earlier one",
    ):
        assert any(reason in line for line in drops), f"no drop for {reason!r}:\n" + "\n".join(drops)
    assert len(drops) == len(REPLIES) - 1, "\n".join(drops)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["java", "javascript", "python", "cobol"])
def test_the_installed_service_refuses_languages_it_does_not_have(
    served_toy: ServedToy, api_key: str, fresh_fake: FakeLLM, language: str
) -> None:
    # Only the engine and the toy plugin are installed: the first-party plugins are not there.
    headers, body = _client_request(api_key, language, f"```{language}:src/a.txt\nx = 1\n```")
    response = httpx.post(f"{served_toy.url}/ai/optimize", headers=headers, json=body, timeout=30)
    assert response.status_code == 422, response.text
    assert response.json()["available_languages"] == ["toy"]
    assert fresh_fake.requests == []


@pytest.mark.slow
def test_the_toy_suite_passes_in_the_fresh_environment(toy_environment: Path, tmp_path: Path) -> None:
    # A copy, so nothing of this repository (its conftest, its pyproject) is on the way.
    project = tmp_path / "codeflash-lang-toy"
    shutil.copytree(TOY / "tests", project / "tests")
    shutil.copy(TOY / "pyproject.toml", project)
    result = subprocess.run(
        [toy_environment / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs"],
        cwd=project,
        env=outside.clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    engine = outside.run(
        toy_environment / "bin" / "python", "-c", "import codeflash_engine; print(codeflash_engine.__file__)"
    )
    assert Path(engine.stdout.strip()).is_relative_to(toy_environment), "the engine came from its wheel"
