"""Sentry and PostHog: off unless configured; when configured, they send to their endpoint
(here a local capture server) without keys or code."""

import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from codeflash_engine.observability.integrations import init_sentry
from codeflash_engine.observability.settings import ObservabilitySettings

from .conftest import MakeApp


class Capture:
    """A tiny HTTP server that keeps every POST body, decompressed."""

    def __init__(self) -> None:
        bodies = self.bodies = []  # type: list[str]

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                encoding = self.headers.get("content-encoding", "")
                if encoding == "gzip":
                    raw = gzip.decompress(raw)
                elif encoding == "deflate":
                    raw = zlib.decompress(raw)
                bodies.append(raw.decode("utf-8", "replace"))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def text(self) -> str:
        return "\n".join(self.bodies)


@pytest.fixture
def capture() -> Iterator[Capture]:
    server = Capture()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_nothing_is_enabled_without_configuration() -> None:
    assert init_sentry(ObservabilitySettings(_env_file=None), "test") is False  # type: ignore[call-arg]


def test_sentry_reports_unhandled_errors_without_keys(make_app: MakeApp, capture: Capture) -> None:
    import sentry_sdk

    host = capture.url.removeprefix("http://")
    observability = ObservabilitySettings(_env_file=None, SENTRY_DSN=f"http://publickey@{host}/1")  # type: ignore[call-arg]

    def boom() -> None:
        raise RuntimeError("exploded while holding fake-azure-key")

    try:
        client = make_app(
            "azure", observability=observability, configure=lambda app: app.add_api_route("/boom", boom)
        )
        assert client.get("/boom").status_code == 500
        client.__exit__(None, None, None)  # shutdown flushes Sentry
    finally:
        sentry_sdk.init()  # back to a disabled client for the rest of the run

    assert "exploded while holding" in capture.text
    assert "fake-azure-key" not in capture.text


def test_posthog_gets_one_generation_event_per_call_without_code(make_app: MakeApp, capture: Capture) -> None:
    observability = ObservabilitySettings(  # type: ignore[call-arg]
        _env_file=None, POSTHOG_API_KEY="phc_testtesttest", POSTHOG_HOST=capture.url
    )
    body = {
        "trace_id": "t-posthog",
        "source_code": "def secret_sauce(): ...",
        "optimized_code": "def secret_sauce(): 1",
    }
    client = make_app("azure", observability=observability)
    assert client.post("/ai/explain", json=body).status_code == 200
    client.__exit__(None, None, None)  # shutdown flushes the PostHog queue

    events = [
        event
        for text in capture.bodies
        for event in json.loads(text).get("batch", [])
        if event.get("event") == "$ai_generation"
    ]
    assert len(events) == 1
    properties = events[0]["properties"]
    assert (properties["$ai_model"], properties["$ai_provider"], properties["$ai_trace_id"]) == (
        "gpt-5-mini",
        "azure",
        "t-posthog",
    )
    assert properties["$ai_input_tokens"] > 0
    assert "secret_sauce" not in capture.text
    assert "phc_testtesttest" not in json.dumps(properties)
