"""``FakeLLM``: a real HTTP server speaking the OpenAI, Azure OpenAI, Anthropic and Bedrock wire
formats, so tests drive the official SDKs end to end."""

import json
import random
import re
import socket
import struct
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from codeflash_engine.testing.fake_llm import wire
from codeflash_engine.testing.fake_llm.script import (
    Failure,
    Hang,
    Malformed,
    Matcher,
    RecordedRequest,
    Reply,
    ResetConnection,
    Response,
    Rule,
)

DEFAULT_REPLY = Reply("This is the fake LLM's default reply.")

PROVIDER_ENV_VARS = (
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "AWS_BEARER_TOKEN_BEDROCK",
    "ANTHROPIC_BEDROCK_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
)
"""Every variable that configures a provider: unset them (``monkeypatch.delenv``) so a test's
providers are exactly the ones ``FakeLLM.env`` names, whatever the machine's environment holds."""

_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("openai", re.compile(r"^(?:/v1)?/chat/completions$")),
    ("azure", re.compile(r"^/openai/deployments/(?P<model>[^/]+)/chat/completions$")),
    ("anthropic", re.compile(r"^/v1/messages$")),
    ("bedrock", re.compile(r"^/model/(?P<model>[^/]+)/invoke$")),
)


class FakeLLM:
    """An LLM provider stand-in on ``127.0.0.1``, scripted per test.

    Start it with ``with FakeLLM() as fake:`` (or ``start()``/``stop()``), point an SDK at
    ``fake.openai_base_url``, ``fake.azure_endpoint``, ``fake.anthropic_base_url`` or
    ``fake.bedrock_base_url`` (or the service at ``fake.env(...)``), script it with ``reply``,
    ``fail``, ``hang`` ... and read ``fake.requests`` afterwards.

    Rules are tried in the order they were added; the first that matches and still has uses left
    answers; otherwise ``default`` does. ``latency`` seconds (plus a uniform random share of
    ``latency_jitter`` seconds, for realistic spreads) pass before every answer. The server
    runs in a background thread, so it serves sync and async tests alike.
    """

    def __init__(
        self,
        *,
        default: Response = DEFAULT_REPLY,
        latency: float = 0.0,
        latency_jitter: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.default: Response = default
        self.latency = latency
        self.latency_jitter = latency_jitter
        self._rules: list[Rule] = []
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server((host, port), _Handler, fake=self)
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "FakeLLM":
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fake-llm",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; hanging requests are released and their connections closed."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "FakeLLM":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_base_url(self) -> str:
        """For ``AsyncOpenAI(base_url=...)`` / ``OPENAI_BASE_URL``."""
        return f"{self.url}/v1"

    @property
    def azure_endpoint(self) -> str:
        """For ``AsyncAzureOpenAI(azure_endpoint=...)`` / ``AZURE_OPENAI_ENDPOINT``."""
        return self.url

    @property
    def anthropic_base_url(self) -> str:
        """For ``AsyncAnthropic(base_url=...)`` / ``ANTHROPIC_BASE_URL``."""
        return self.url

    @property
    def bedrock_base_url(self) -> str:
        """For ``AsyncAnthropicBedrock(base_url=...)`` / ``ANTHROPIC_BEDROCK_BASE_URL``; requests
        are SigV4-signed with whatever credentials the client has, and the fake accepts any."""
        return self.url

    def env(self, *providers: str) -> dict[str, str]:
        """Environment variables pointing the service's providers at this fake.

        ``providers`` is any of ``"azure"``, ``"openai"``, ``"bedrock"``, ``"anthropic"`` (default:
        ``"azure", "bedrock"``, the production pair).
        """
        chosen = providers or ("azure", "bedrock")
        values: dict[str, str] = {}
        for provider in chosen:
            if provider == "azure":
                values |= {
                    "AZURE_OPENAI_API_KEY": "fake-azure-key",
                    "AZURE_OPENAI_ENDPOINT": self.azure_endpoint,
                }
            elif provider == "openai":
                values |= {"OPENAI_API_KEY": "fake-openai-key", "OPENAI_BASE_URL": self.openai_base_url}
            elif provider == "bedrock":
                values |= {
                    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
                    "AWS_SECRET_ACCESS_KEY": "fake-aws-secret",
                    "AWS_REGION": "us-east-1",
                    "ANTHROPIC_BEDROCK_BASE_URL": self.bedrock_base_url,
                }
            elif provider == "anthropic":
                values |= {
                    "ANTHROPIC_API_KEY": "fake-anthropic-key",
                    "ANTHROPIC_BASE_URL": self.anthropic_base_url,
                }
            else:
                raise ValueError(f"unknown provider {provider!r}")
        return values

    # -- scripting -------------------------------------------------------------------------------

    def on(
        self,
        when: Matcher = None,
        *,
        respond: Response | Sequence[Response],
        times: int | None = None,
        delay: float = 0.0,
    ) -> Rule:
        """Add a rule: requests matching ``when`` get ``respond`` (a response, or a sequence given
        in turn), at most ``times`` times, after ``delay`` seconds."""
        responses = (respond,) if not isinstance(respond, Sequence) else tuple(respond)
        rule = Rule(when, responses, times=times, delay=delay)
        with self._lock:
            self._rules.append(rule)
        return rule

    def reply(self, text: str, *, when: Matcher = None, times: int | None = None, delay: float = 0.0) -> Rule:
        """Answer ``text``."""
        return self.on(when, respond=Reply(text), times=times, delay=delay)

    def truncated(self, text: str, *, when: Matcher = None, times: int | None = None) -> Rule:
        """Answer ``text`` flagged as cut at the output limit (``length`` / ``max_tokens``)."""
        return self.on(when, respond=Reply(text, truncated=True), times=times)

    def empty(self, *, when: Matcher = None, times: int | None = None) -> Rule:
        """Answer with no text at all."""
        return self.on(when, respond=Reply(""), times=times)

    def fail(
        self,
        status: int,
        *,
        when: Matcher = None,
        times: int | None = None,
        message: str | None = None,
        retry_after: float | None = None,
        retry_after_ms: int | None = None,
        delay: float = 0.0,
    ) -> Rule:
        """Answer an HTTP error with the provider's error body; ``times=2`` then the next rule or
        the default answers (N-times-then-succeed)."""
        failure = Failure(status, message=message, retry_after=retry_after, retry_after_ms=retry_after_ms)
        return self.on(when, respond=failure, times=times, delay=delay)

    def hang(self, *, when: Matcher = None, times: int | None = None, seconds: float | None = None) -> Rule:
        """Never answer (until ``seconds`` passed or the fake stops): the client times out."""
        return self.on(when, respond=Hang(seconds), times=times)

    def reset_connection(self, *, when: Matcher = None, times: int | None = None) -> Rule:
        """Reset the TCP connection instead of answering."""
        return self.on(when, respond=ResetConnection(), times=times)

    def malformed(self, body: str | None = None, *, when: Matcher = None, times: int | None = None) -> Rule:
        """Answer 200 with a body that is not valid JSON (or ``body``)."""
        return self.on(when, respond=Malformed() if body is None else Malformed(body), times=times)

    def clear(self) -> None:
        """Forget every rule and recorded request (the default and latency stay)."""
        with self._lock:
            self._rules.clear()
            self._requests.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    # -- serving (called on the server's threads) ------------------------------------------------

    def _choose(self, request: RecordedRequest) -> tuple[Response, float]:
        with self._lock:
            self._requests.append(request)
            rules = list(self._rules)
        for rule in rules:
            response = rule.take(request)
            if response is not None:
                return response, rule.delay
        return self.default, 0.0

    def _wait(self, seconds: float | None) -> None:
        """Sleep, but wake up when the fake stops so shutdown never waits on a scripted delay."""
        self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog of 5 drops connections when a fan-out or a load test
    # opens dozens at once; the kernel then retries them after 1 s, 3 s ..., which looks like latency.
    request_queue_size = 1024

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, fake: FakeLLM
    ) -> None:
        self.fake = fake
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive like the real APIs, and no Nagle delay between the header and body writes.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    # Idle keep-alive connections of clients that went away do not keep threads forever.
    timeout = 30
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``fake.requests`` instead of a request log."""

    def do_GET(self) -> None:
        if self.path.startswith("/_fake/requests"):
            payload = [
                {"api": r.api, "path": r.path, "model": r.model, "prompt": r.prompt, "body": r.body}
                for r in self.server.fake.requests
            ]
            self._send(200, payload, {})
        else:
            self._send(404, {"error": {"message": "not found"}}, {})

    def do_POST(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        routed = next(((api, m) for api, p in _ROUTES if (m := p.match(split.path))), None)
        if routed is None:
            self._send(404, {"error": {"message": f"the fake LLM does not serve {split.path}"}}, {})
            return
        api, match = routed
        model = unquote(match.groupdict().get("model") or "")
        request = wire.parse_request(
            api,
            method="POST",
            path=split.path,
            query=dict(parse_qsl(split.query)),
            headers={k.lower(): v for k, v in self.headers.items()},
            raw=raw,
            model=model,
        )
        response, delay = fake._choose(request)
        pause = fake.latency + delay
        if fake.latency_jitter > 0:
            pause += random.uniform(0, fake.latency_jitter)
        if pause > 0:
            fake._wait(pause)
        self._respond(request, response)

    def _respond(self, request: RecordedRequest, response: Response) -> None:
        if isinstance(response, Reply):
            body, headers = wire.success(request, response)
            self._send(200, body, headers)
        elif isinstance(response, Failure):
            body, headers = wire.failure(request.api, response)
            self._send(response.status, body, headers)
        elif isinstance(response, Malformed):
            self._send_raw(200, response.body.encode(), {"content-type": "application/json"})
        elif isinstance(response, Hang):
            self.server.fake._wait(response.seconds)
            self.close_connection = True
        else:
            self._reset()

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        self._send_raw(status, json.dumps(payload).encode(), {"content-type": "application/json", **headers})

    def _send_raw(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
