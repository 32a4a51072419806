"""Errors of the LLM layer, classified so callers know whether trying again can help.

Each error carries the HTTP status the service answers with when it ends a request
(``http/errors.py`` renders them): a permanent provider refusal is 502, an exhausted transient
failure (rate limit, 5xx, connection) 503, a timeout 504, no configured provider 503.
"""


class LLMError(Exception):
    """Base class. ``transient`` says whether the same call may succeed later."""

    status_code = 502
    transient = False

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        upstream_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.model = model
        self.upstream_status = upstream_status

    @property
    def kind(self) -> str:
        """A short stable name for metrics and records (``rate_limited``, ``timeout`` ...)."""
        return "llm_error"


class LLMNotConfiguredError(LLMError):
    """No provider is configured for what the request needs."""

    status_code = 503

    @property
    def kind(self) -> str:
        return "not_configured"


class LLMPermanentError(LLMError):
    """The provider refused the request (400/401/403/404/422, context too long): never retried."""

    status_code = 502

    @property
    def kind(self) -> str:
        return "permanent"


class LLMContextLengthError(LLMPermanentError):
    """The prompt does not fit the model's context window."""

    @property
    def kind(self) -> str:
        return "context_length"


class LLMTransientError(LLMError):
    """A failure that may pass (429, 5xx, connection reset, malformed reply); retried by the SDK
    until ``max_retries`` ran out."""

    status_code = 503
    transient = True

    @property
    def kind(self) -> str:
        return "rate_limited" if self.upstream_status == 429 else "transient"


class LLMTimeoutError(LLMTransientError):
    """The provider did not answer within the per-call timeout (after the SDK's retries)."""

    status_code = 504

    @property
    def kind(self) -> str:
        return "timeout"


class LLMCancelledError(LLMError):
    """Never raised: what observers are told about a call abandoned because its request was
    cancelled (the request deadline expired, or the server stopped), so it is still recorded and
    counted (``cancelled``) although no answer, or error, ever arrived."""

    status_code = 504
    transient = True

    @property
    def kind(self) -> str:
        return "cancelled"
