"""How a test scripts the fake LLM: what to answer, and when.

A ``Rule`` pairs a matcher over the request with the ``Response`` to give. Responses are plain
values: ``Reply`` (a normal answer), ``Failure`` (an HTTP error with the provider's real error body
and headers), ``Hang`` (never answer), ``ResetConnection`` (TCP reset), ``Malformed`` (a body that
is not valid JSON).
"""

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from attrs import field, frozen


@frozen
class FakeUsage:
    """Token counts to report instead of the estimate (about 4 characters per token).

    ``prompt_tokens`` is uncached input; the fake folds cached reads into OpenAI's ``prompt_tokens``
    and reports them in ``prompt_tokens_details.cached_tokens``, as OpenAI does, and reports them as
    ``cache_read_input_tokens`` / ``cache_creation_input_tokens`` for Anthropic and Bedrock.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_read_tokens: int = 0
    cached_write_tokens: int = 0


@frozen
class Reply:
    """A successful answer.

    ``truncated=True`` reports that the model hit its output limit (``finish_reason: "length"`` for
    OpenAI, ``stop_reason: "max_tokens"`` for Anthropic). ``model`` overrides the model named in
    the reply (by default the one requested).
    """

    text: str
    truncated: bool = False
    usage: FakeUsage | None = None
    model: str | None = None


@frozen
class Failure:
    """An HTTP error as the provider sends it: its JSON error body, ``request-id`` headers and,
    when set, ``retry-after`` (seconds) and ``retry-after-ms`` (milliseconds, which the official
    SDKs prefer, so tests can keep retry waits tiny)."""

    status: int
    message: str | None = None
    retry_after: float | None = None
    retry_after_ms: int | None = None
    headers: Mapping[str, str] = field(factory=dict)


@frozen
class Hang:
    """Accept the request and never answer (for ``seconds``, or until the fake stops); the client
    sees a timeout."""

    seconds: float | None = None


@frozen
class ResetConnection:
    """Drop the TCP connection with a reset before any response byte."""


@frozen
class Malformed:
    """A 200 whose body is not the JSON the SDK expects (by default, JSON cut off mid-way)."""

    body: str = '{"id": "broken", "choices": [{"index": 0, "message": {"role": "assist'


Response = Reply | Failure | Hang | ResetConnection | Malformed


@frozen
class RecordedRequest:
    """One request the fake received.

    ``api`` is ``"openai"``, ``"azure"``, ``"anthropic"`` or ``"bedrock"``; ``prompt`` is every
    message's text (system first) joined by newlines, what rules match against.
    """

    api: str
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: Any
    model: str
    system: str
    prompt: str

    @property
    def user(self) -> str:
        """The text of the last user message."""
        messages = self.body.get("messages", []) if isinstance(self.body, dict) else []
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "user":
                return content_text(message.get("content"))
        return ""


def content_text(content: object) -> str:
    """The text of a message's ``content``, whether a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict) and "text" in part
        )
    return ""


Matcher = str | re.Pattern[str] | Callable[[RecordedRequest], bool] | None
"""``None`` matches everything; a ``str`` matches when it occurs in the prompt text; a compiled
pattern when it is found in it (``re.search``); a callable when it returns true."""


class Rule:
    """``responses`` are given in turn (the last one repeats); ``times`` caps how often the rule
    applies in total, after which it stops matching and later rules (or the default) answer.
    ``delay`` seconds pass before the response."""

    def __init__(
        self,
        when: Matcher,
        responses: tuple[Response, ...],
        *,
        times: int | None = None,
        delay: float = 0.0,
    ) -> None:
        if not responses:
            raise ValueError("a rule needs at least one response")
        self.when = when
        self.responses = responses
        self.times = times
        self.delay = delay
        self.used = 0
        self._lock = threading.Lock()

    def matches(self, request: RecordedRequest) -> bool:
        when = self.when
        if when is None:
            return True
        if isinstance(when, str):
            return when in request.prompt
        if isinstance(when, re.Pattern):
            return when.search(request.prompt) is not None
        return bool(when(request))

    def take(self, request: RecordedRequest) -> Response | None:
        """The response for this request, or ``None`` if the rule does not apply (any more)."""
        if not self.matches(request):
            return None
        with self._lock:
            if self.times is not None and self.used >= self.times:
                return None
            response = self.responses[min(self.used, len(self.responses) - 1)]
            self.used += 1
        return response

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.used >= self.times
