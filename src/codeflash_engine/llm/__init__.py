"""The LLM client layer: providers, the model registry and cost, retries, fan-out.

The pipeline gets the app's client from ``AppResources.llm`` and calls ``call`` or ``fan_out``.
"""

from codeflash_engine.llm.client import CallObserver, LLMCallEvent, LLMClient, raise_if_all_failed
from codeflash_engine.llm.errors import (
    LLMCancelledError,
    LLMContextLengthError,
    LLMError,
    LLMNotConfiguredError,
    LLMPermanentError,
    LLMTimeoutError,
    LLMTransientError,
)
from codeflash_engine.llm.readiness import LLMReadiness, llm_readiness, log_readiness
from codeflash_engine.llm.registry import ModelInfo, ModelRegistry, packaged_registry
from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.llm.types import (
    CallContext,
    Family,
    FanOutResult,
    LLMFailure,
    LLMRequest,
    LLMResult,
    Provider,
    TokenUsage,
)

__all__ = [
    "CallContext",
    "CallObserver",
    "Family",
    "FanOutResult",
    "LLMCallEvent",
    "LLMCancelledError",
    "LLMClient",
    "LLMContextLengthError",
    "LLMError",
    "LLMFailure",
    "LLMNotConfiguredError",
    "LLMPermanentError",
    "LLMReadiness",
    "LLMRequest",
    "LLMResult",
    "LLMSettings",
    "LLMTimeoutError",
    "LLMTransientError",
    "ModelInfo",
    "ModelRegistry",
    "Provider",
    "TokenUsage",
    "llm_readiness",
    "log_readiness",
    "packaged_registry",
    "raise_if_all_failed",
]
