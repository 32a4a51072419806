"""The fake LLM's scripting API, spoken to with plain HTTP (sync) and as a subprocess."""

import re
import subprocess
import sys

import httpx
import pytest

from codeflash_engine.testing.fake_llm import Failure, FakeLLM, FakeUsage, Reply

OPENAI_BODY = {
    "model": "gpt-5-mini",
    "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hello"}],
}
ANTHROPIC_BODY = {
    "model": "claude-x",
    "system": "sys",
    "max_tokens": 10,
    "messages": [{"role": "user", "content": "hello"}],
}


def chat(fake: FakeLLM, user: str = "hello") -> httpx.Response:
    body = {**OPENAI_BODY, "messages": [{"role": "user", "content": user}]}
    return httpx.post(f"{fake.openai_base_url}/chat/completions", json=body)


def text_of(response: httpx.Response) -> str:
    return str(response.json()["choices"][0]["message"]["content"])


def test_first_matching_rule_wins_then_the_default(codeflash_fake_llm: FakeLLM) -> None:
    fake = codeflash_fake_llm
    fake.reply("by substring", when="alpha")
    fake.reply("by regex", when=re.compile(r"beta\d"))
    fake.reply("by callable", when=lambda request: request.user.endswith("!"))
    fake.reply("never reached", when="alpha")
    fake.default = Reply("default")

    assert [text_of(chat(fake, u)) for u in ("alpha", "beta7", "gamma!", "delta")] == [
        "by substring",
        "by regex",
        "by callable",
        "default",
    ]


def test_n_times_then_succeed_and_sequences(codeflash_fake_llm: FakeLLM) -> None:
    fake = codeflash_fake_llm
    rule = fake.fail(503, times=2)
    assert [chat(fake).status_code for _ in range(3)] == [503, 503, 200]
    assert rule.exhausted and rule.used == 2

    fake.clear()
    fake.on(respond=[Reply("one"), Reply("two")])
    assert [text_of(chat(fake)) for _ in range(3)] == ["one", "two", "two"]


def test_requests_are_recorded(codeflash_fake_llm: FakeLLM) -> None:
    httpx.post(f"{codeflash_fake_llm.url}/v1/messages", json=ANTHROPIC_BODY, headers={"x-api-key": "k"})

    [request] = codeflash_fake_llm.requests
    assert (request.api, request.model, request.system, request.user) == (
        "anthropic",
        "claude-x",
        "sys",
        "hello",
    )
    assert request.prompt == "sys\nhello"
    assert request.headers["x-api-key"] == "k"


def test_usage_blocks_are_realistic(codeflash_fake_llm: FakeLLM) -> None:
    usage = FakeUsage(prompt_tokens=100, completion_tokens=20, cached_read_tokens=50, cached_write_tokens=7)
    codeflash_fake_llm.on(respond=Reply("ok", usage=usage))

    openai_usage = chat(codeflash_fake_llm).json()["usage"]
    anthropic_usage = httpx.post(f"{codeflash_fake_llm.url}/v1/messages", json=ANTHROPIC_BODY).json()["usage"]

    assert openai_usage["prompt_tokens"] == 150 and openai_usage["total_tokens"] == 170
    assert openai_usage["prompt_tokens_details"]["cached_tokens"] == 50
    assert anthropic_usage == {
        "input_tokens": 100,
        "cache_creation_input_tokens": 7,
        "cache_read_input_tokens": 50,
        "output_tokens": 20,
    }


@pytest.mark.parametrize(
    ("path", "body", "check"),
    [
        ("/v1/chat/completions", OPENAI_BODY, lambda b, h: b["error"]["code"] == "rate_limit_exceeded"),
        (
            "/openai/deployments/gpt-5-mini/chat/completions?api-version=2024-10-21",
            OPENAI_BODY,
            lambda b, h: b["error"]["code"] == "429",
        ),
        ("/v1/messages", ANTHROPIC_BODY, lambda b, h: b["error"]["type"] == "rate_limit_error"),
        (
            "/model/anthropic.claude/invoke",
            ANTHROPIC_BODY,
            lambda b, h: "message" in b and h["x-amzn-errortype"].startswith("ThrottlingException:"),
        ),
    ],
)
def test_error_bodies_and_headers_follow_each_provider(
    codeflash_fake_llm: FakeLLM, path: str, body: dict[str, object], check: object
) -> None:
    codeflash_fake_llm.on(respond=Failure(429, retry_after=2, retry_after_ms=20, headers={"x-extra": "1"}))

    response = httpx.post(codeflash_fake_llm.url + path, json=body)

    assert response.status_code == 429
    assert (response.headers["retry-after"], response.headers["retry-after-ms"]) == ("2", "20")
    assert response.headers["x-extra"] == "1"
    assert check(response.json(), response.headers)  # type: ignore[operator]


def test_bedrock_model_comes_from_the_path(codeflash_fake_llm: FakeLLM) -> None:
    body = {k: v for k, v in ANTHROPIC_BODY.items() if k != "model"}
    response = httpx.post(f"{codeflash_fake_llm.url}/model/us.anthropic.claude%3A0/invoke", json=body)
    assert response.json()["model"] == "us.anthropic.claude:0"


def test_unknown_paths_are_404(codeflash_fake_llm: FakeLLM) -> None:
    assert httpx.post(f"{codeflash_fake_llm.url}/v1/embeddings", json={}).status_code == 404


def test_runs_as_a_subprocess() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "codeflash_engine.testing.fake_llm", "--reply", "from a process"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix("FAKE_LLM_URL=")
        response = httpx.post(f"{url}/v1/chat/completions", json=OPENAI_BODY)
        assert text_of(response) == "from a process"
        [seen] = httpx.get(f"{url}/_fake/requests").json()
        assert seen["model"] == "gpt-5-mini"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
