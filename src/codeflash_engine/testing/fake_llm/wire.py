"""The providers' wire formats: success bodies with realistic ``usage`` blocks, and error bodies
and headers as each provider really sends them."""

import json
import math
import time
import uuid
from collections.abc import Mapping
from typing import Any

from codeflash_engine.testing.fake_llm.script import (
    Failure,
    FakeUsage,
    RecordedRequest,
    Reply,
    content_text,
)

_OPENAI_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}
_ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_BEDROCK_ERROR_TYPES = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}
_DEFAULT_MESSAGES = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "You are not allowed to access this resource.",
    404: "The model does not exist or you do not have access to it.",
    408: "The request timed out.",
    429: "Rate limit reached for requests. Please try again later.",
    500: "The server had an error while processing your request.",
    503: "The service is temporarily unavailable.",
    529: "Overloaded",
}


def estimate_tokens(text: str) -> int:
    """About four characters per token, at least one: close enough for tests and benchmarks."""
    return max(1, math.ceil(len(text) / 4))


def _usage(reply: Reply, request: RecordedRequest) -> FakeUsage:
    if reply.usage is not None:
        return reply.usage
    return FakeUsage(
        prompt_tokens=estimate_tokens(request.prompt), completion_tokens=estimate_tokens(reply.text)
    )


def success(request: RecordedRequest, reply: Reply) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of a 200 for ``request``'s API."""
    usage = _usage(reply, request)
    model = reply.model or request.model
    if request.api in ("openai", "azure"):
        body: dict[str, Any] = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": reply.text,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "length" if reply.truncated else "stop",
                }
            ],
            "usage": {
                # OpenAI counts cached tokens inside prompt_tokens and details them separately.
                "prompt_tokens": usage.prompt_tokens + usage.cached_read_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.prompt_tokens + usage.cached_read_tokens + usage.completion_tokens,
                "prompt_tokens_details": {"cached_tokens": usage.cached_read_tokens, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "system_fingerprint": "fp_fake",
        }
        return body, _request_id_headers(request.api)
    content = [{"type": "text", "text": reply.text}] if reply.text else []
    body = {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "max_tokens" if reply.truncated else "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": usage.prompt_tokens,
            "cache_creation_input_tokens": usage.cached_write_tokens,
            "cache_read_input_tokens": usage.cached_read_tokens,
            "output_tokens": usage.completion_tokens,
        },
    }
    headers = _request_id_headers(request.api)
    if request.api == "bedrock":
        headers["x-amzn-bedrock-input-token-count"] = str(usage.prompt_tokens)
        headers["x-amzn-bedrock-output-token-count"] = str(usage.completion_tokens)
    return body, headers


def failure(api: str, failure: Failure) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of an error response, shaped like the provider's own."""
    status = failure.status
    message = failure.message or _DEFAULT_MESSAGES.get(status, f"Error {status}.")
    headers = _request_id_headers(api)
    body: dict[str, Any]
    if api == "openai":
        error_type, code = _OPENAI_ERROR_TYPES.get(status, ("server_error", None))
        body = {"error": {"message": message, "type": error_type, "param": None, "code": code}}
    elif api == "azure":
        body = {"error": {"code": str(status), "message": message}}
    elif api == "anthropic":
        body = {
            "type": "error",
            "error": {"type": _ANTHROPIC_ERROR_TYPES.get(status, "api_error"), "message": message},
            "request_id": headers["request-id"],
        }
    else:
        exception = _BEDROCK_ERROR_TYPES.get(status, "InternalServerException")
        headers["x-amzn-errortype"] = f"{exception}:http://internal.amazon.com/coral/com.amazon.bedrock/"
        body = {"message": message}
    if failure.retry_after is not None:
        headers["retry-after"] = f"{failure.retry_after:g}"
    if failure.retry_after_ms is not None:
        headers["retry-after-ms"] = str(failure.retry_after_ms)
    headers.update(failure.headers)
    return body, headers


def _request_id_headers(api: str) -> dict[str, str]:
    request_id = uuid.uuid4().hex
    if api == "openai":
        return {"x-request-id": f"req_{request_id}", "openai-processing-ms": "1"}
    if api == "azure":
        return {"x-request-id": request_id, "apim-request-id": request_id}
    if api == "anthropic":
        return {"request-id": f"req_{request_id}"}
    return {"x-amzn-requestid": str(uuid.UUID(request_id))}


def parse_request(
    api: str,
    *,
    method: str,
    path: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    raw: bytes,
    model: str,
) -> RecordedRequest:
    """Read what the SDK sent; a body that is not JSON is recorded as text."""
    body: Any
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    system = ""
    parts: list[str] = []
    if isinstance(body, dict):
        model = model or str(body.get("model", ""))
        raw_system = body.get("system")
        if isinstance(raw_system, str):
            system = raw_system
        elif isinstance(raw_system, list):
            system = "\n".join(str(p.get("text", "")) for p in raw_system if isinstance(p, dict))
        for message in body.get("messages", []):
            if not isinstance(message, dict):
                continue
            text = content_text(message.get("content"))
            if message.get("role") in ("system", "developer") and not system:
                system = text
            else:
                parts.append(text)
    prompt = "\n".join([system, *parts]) if system else "\n".join(parts)
    return RecordedRequest(
        api=api,
        method=method,
        path=path,
        query=dict(query),
        headers=dict(headers),
        body=body,
        model=model,
        system=system,
        prompt=prompt,
    )
