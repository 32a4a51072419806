"""Garbage and malicious requests get a clear 4xx (or a 2xx), never a 500 or a hang.

Against the real service of ``conftest.py`` (plugins in worker processes, the fake LLM over HTTP).
A hang would trip the suite's per-test timeout; no test asserts on time.
"""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from codeflash_engine.testing.fake_llm import FakeLLM, Reply

from .conftest import Service

TRACE = "11111111-2222-4333-8444-555555555555"
CODE = "def f(x):\n    return x + 1\n"
HOSTILE_VALUES: list[Any] = [None, True, -(10**30), 1.5e308, [], {"nested": {"deeper": [1]}}, "\x00\ud800"]


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(options[0], components) if options else {"type": "null"}
    return schema


def minimal(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest valid value of ``schema``: required properties only, code for every string."""
    schema = _resolve(schema, components)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: minimal(properties[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema.get("items", {}), components)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return TRACE if "trace" in str(schema.get("title", "")).lower() else CODE


def _ai_bodies(service: Service) -> dict[str, tuple[Any, dict[str, Any]]]:
    """``path -> (minimal body, schema of the object whose fields get replaced)``."""
    spec = service.app.openapi()
    components = spec["components"]["schemas"]
    bodies: dict[str, tuple[Any, dict[str, Any]]] = {}
    for path, item in spec["paths"].items():
        if not path.startswith("/ai/"):
            continue
        schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        resolved = _resolve(schema, components)
        target = _resolve(resolved["items"], components) if resolved.get("type") == "array" else resolved
        bodies[path] = (minimal(schema, components), target)
    return bodies


def assert_clear_answer(response: Any) -> None:
    """A 2xx, a 4xx, a 501 (a stub plugin) or a 502 naming what failed: never a 500, always
    ``{"error": ...}`` when not 2xx."""
    assert response.status_code < 500 or response.status_code in (501, 502), response.text
    if response.status_code >= 300:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body["error"], str) and body["error"], body


@pytest.fixture(autouse=True)
def _fresh(fresh_fake: FakeLLM) -> Iterator[None]:
    yield


def test_every_field_of_every_endpoint_refuses_unexpected_types_clearly(service: Service) -> None:
    bodies = _ai_bodies(service)
    assert len(bodies) == 14  # every /ai/ POST endpoint
    tried = 0
    for path, (body, target) in bodies.items():
        for field in target.get("properties", {}):
            for value in HOSTILE_VALUES:
                if isinstance(body, list):
                    sent: Any = [{**body[0], field: value}]
                else:
                    sent = {**body, field: value}
                # ensure_ascii keeps the lone surrogate as an escape, as a client's JSON would.
                content = json.dumps(sent).encode()
                response = service.client.post(
                    path, content=content, headers={"Content-Type": "application/json"}
                )
                assert_clear_answer(response)
                tried += 1
    assert tried > 300


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"\xff\xfe\x00not utf-8 \xc3\x28", "application/json"),
        (b'{"trace_id": "t", "source_code": "\xc3\x28"}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"null", "application/json"),
        (b"{" * 10_000, "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b"source_code=x", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ],
    ids=[
        "invalid-utf8",
        "invalid-utf8-in-a-string",
        "array",
        "string",
        "null",
        "unclosed-braces",
        "deeply-nested-json",
        "form",
        "empty",
    ],
)
def test_malformed_bodies_are_400_or_422(service: Service, content: bytes, content_type: str) -> None:
    response = service.client.post("/ai/optimize", content=content, headers={"Content-Type": content_type})

    # 400 when the body cannot be decoded at all, 422 when it decodes to the wrong thing.
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]
    assert service.fake.requests == []


def test_a_body_over_the_limit_is_413_before_anything_reads_it(service: Service) -> None:
    limit = service.settings.http.max_body_bytes
    big = json.dumps({"trace_id": TRACE, "source_code": "x" * limit}).encode()

    declared = service.client.post("/ai/optimize", content=big, headers={"Content-Type": "application/json"})
    streamed = service.client.post(
        "/ai/optimize",
        content=(big[i : i + 65536] for i in range(0, len(big), 65536)),
        headers={"Content-Type": "application/json"},
    )

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["error"] == f"request body too large: the limit is {limit} bytes"
    assert service.fake.requests == []


def _just_under_the_limit(service: Service, unit: str) -> str:
    room = service.settings.http.max_body_bytes - 1000
    return unit * (room // len(unit))


SOURCES: dict[str, Any] = {
    "huge-file": lambda s: _just_under_the_limit(s, "def f{}(x):\n    return x + 1\n\n".format("_" * 8)),
    "one-long-line": lambda s: "x = '" + _just_under_the_limit(s, "a")[:-10] + "'\n",
    "deep-parentheses": lambda s: "x = " + "(" * 200_000 + "1" + ")" * 200_000 + "\n",
    "deep-blocks": lambda s: (
        "".join("    " * i + f"if x{i}:\n" for i in range(3000)) + "    " * 3000 + "pass\n"
    ),
    "deep-brackets-js": lambda s: "const x = " + "[" * 100_000 + "]" * 100_000 + ";\n",
    "nul-bytes": lambda s: "def f(x):\x00\n    return x\x00\n",
    "lone-surrogate": lambda s: "def f(x):\n    return '\ud800'\n",
    "control-characters": lambda s: "".join(chr(i) for i in range(32)) + CODE,
}


@pytest.mark.parametrize("language", ["python", "javascript", "java", "go"])
@pytest.mark.parametrize("kind", list(SOURCES))
def test_hostile_source_code_gets_a_clear_answer(service: Service, kind: str, language: str) -> None:
    source = SOURCES[kind](service)
    body = {"trace_id": TRACE, "source_code": source, "language": language, "n_candidates": 1}

    response = service.client.post(
        "/ai/optimize", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )

    assert_clear_answer(response)


def test_a_trace_id_that_cannot_be_a_header_is_percent_encoded(service: Service) -> None:
    trace_id = "trace\r\nSet-Cookie: x=1 \u2603 \U0001f600"
    body = {"trace_id": trace_id, "source_code": CODE, "optimized_code": CODE}

    response = service.client.post("/ai/explain", json=body)

    assert response.status_code == 200, response.text
    assert response.headers["x-trace-id"] == ("trace%0D%0ASet-Cookie%3A%20x%3D1%20%E2%98%83%20%F0%9F%98%80")
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "reply",
    [
        Reply("```python\n" + "def f(x):\n    return x + 1\n" * 200_000 + "```"),
        Reply("```python\ndef f(x):\n    return " + "(" * 100_000 + "x" + ")" * 100_000 + "\n```"),
        Reply("```python\n" + "\x00" * 10_000 + "\n```"),
        Reply("```python\ndef f(x):\n    return x +", truncated=True),
        Reply(""),
    ],
    ids=["5mb-reply", "deeply-nested-reply", "nul-reply", "truncated-reply", "empty-reply"],
)
def test_hostile_llm_replies_are_bounded_and_dropped_or_used(
    service: Service, fresh_fake: FakeLLM, reply: Reply
) -> None:
    fresh_fake.default = reply
    body = {"trace_id": TRACE, "source_code": CODE, "n_candidates": 2}

    response = service.client.post("/ai/optimize", json=body)

    assert response.status_code == 200, response.text
    for candidate in response.json()["optimizations"]:
        assert len(candidate["source_code"]) <= service.settings.llm.max_reply_chars


async def _llm_call_rows(service: Service, trace_id: str) -> list[Any]:
    async with service.app.state.resources.database.connection() as conn:
        return list(await conn.fetch("SELECT prompt, reply FROM llm_calls WHERE trace_id = $1", trace_id))


def test_calls_with_nul_bytes_are_still_recorded(service: Service, fresh_fake: FakeLLM) -> None:
    fresh_fake.default = Reply("```python\ndef f(x):\n    return '\x00'\n```")
    # PostgreSQL text refuses NUL, which used to get the whole llm_calls row rejected (lost).
    # (Lone surrogates cannot get this far: the request schema refuses them with a 422.)
    trace_id = "nul-trace"
    body = {"trace_id": trace_id, "source_code": "def f(x):\x00\n    return x\n", "n_candidates": 2}

    response = service.client.post(
        "/ai/optimize", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert service.client.portal is not None
    rows: list[Any] = []
    for _ in range(200):  # the recorder writes in the background
        rows = service.client.portal.call(_llm_call_rows, service, trace_id)
        if len(rows) == 2:
            break
        service.client.portal.call(asyncio.sleep, 0.05)

    assert len(rows) == 2
    assert all("\ufffd" in row["reply"] for row in rows)
    assert all("\ufffd" in json.dumps(row["prompt"], ensure_ascii=False) for row in rows)
