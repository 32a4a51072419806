"""A fake LLM provider: a real HTTP server the official OpenAI and Anthropic SDKs talk to.

Plugin authors and the engine's tests use it instead of patching SDK internals::

    from codeflash_engine.testing.fake_llm import FakeLLM

    with FakeLLM() as fake:
        fake.reply("```python\\ndef f(): ...\\n```", when="optimize")
        fake.fail(429, times=2, retry_after_ms=10)   # two rate limits, then the reply above
        ...  # point the service at fake.env("azure", "bedrock")
        assert fake.requests[-1].model == "gpt-5-mini"

In pytest, ask for the ``codeflash_fake_llm`` fixture instead. Run it standalone with
``python -m codeflash_engine.testing.fake_llm --port 8100``.
"""

from codeflash_engine.testing.fake_llm.script import (
    Failure,
    FakeUsage,
    Hang,
    Malformed,
    Matcher,
    RecordedRequest,
    Reply,
    ResetConnection,
    Response,
    Rule,
)
from codeflash_engine.testing.fake_llm.server import DEFAULT_REPLY, PROVIDER_ENV_VARS, FakeLLM

__all__ = [
    "DEFAULT_REPLY",
    "PROVIDER_ENV_VARS",
    "Failure",
    "FakeLLM",
    "FakeUsage",
    "Hang",
    "Malformed",
    "Matcher",
    "RecordedRequest",
    "Reply",
    "ResetConnection",
    "Response",
    "Rule",
]
