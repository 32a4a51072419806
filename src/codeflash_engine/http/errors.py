"""One error format for every non-2xx response: ``{"error": "<message>"}``.

The codeflash client prints ``response.json()["error"]`` on any non-200, so every error path,
FastAPI's own included, must produce that key.
"""

import uuid
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from codeflash_engine.db import DatabaseUnavailableError
from codeflash_engine.errors import (
    InvalidCodeError,
    LanguageNotImplementedError,
    PluginError,
    UnsupportedTaskError,
)
from codeflash_engine.observability.context import current_ids
from codeflash_engine.pipeline.ports import LLMUnavailableError
from codeflash_engine.plugins import PluginHookError, UnknownLanguageError

logger = structlog.get_logger(__name__)


class APIError(Exception):
    """An error the service answers on purpose, with its status and any extra JSON keys."""

    def __init__(
        self, status_code: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.headers = headers
        self.extra = extra


def error_response(
    status_code: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status_code, headers=headers)


def _describe_validation_error(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        location = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
        parts.append(f"{location or 'body'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, APIError)
    return error_response(exc.status_code, exc.message, headers=exc.headers, **exc.extra)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, _describe_validation_error(exc))


async def _unknown_language(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownLanguageError)
    return error_response(422, str(exc), available_languages=list(exc.available))


_PLUGIN_ERROR_STATUS: dict[type[PluginError], int] = {
    LanguageNotImplementedError: 501,
    UnsupportedTaskError: 400,
    InvalidCodeError: 422,
}


async def _plugin_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PluginError)
    status = next((code for kind, code in _PLUGIN_ERROR_STATUS.items() if isinstance(exc, kind)), 502)
    return error_response(status, str(exc) or type(exc).__name__)


def _trace_id(request: Request) -> str | None:
    # The ids middleware tracks the trace id the request learned from its body, if any.
    ids = current_ids()
    return ids.trace_id if ids is not None else getattr(request.state, "trace_id", None)


def _record_error(request: Request, trace_id: str, error_type: str, exc: Exception) -> None:
    """Queue an ``optimization_errors`` row (fire-and-forget; never fails the response)."""
    resources = getattr(request.app.state, "resources", None)
    recorder = getattr(resources, "recorder", None)
    if recorder is not None:
        recorder.record_error(trace_id, error_type, str(exc) or type(exc).__name__, exc=exc)


async def _plugin_hook_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PluginHookError)
    logger.error("plugin hook failed", plugin=exc.plugin, hook=exc.hook, error=str(exc), exc_info=exc)
    _record_error(request, _trace_id(request) or "", "plugin_hook_error", exc)
    return error_response(502, str(exc), plugin=exc.plugin, hook=exc.hook)


async def _llm_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LLMUnavailableError)
    _record_error(request, _trace_id(request) or "", "llm_unavailable", exc)
    return error_response(exc.status_code, str(exc))


# Seconds a client should wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER_S = 5


async def _database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    # Routes that need the database (the console) and do not handle its absence themselves.
    logger.warning("database unavailable", error=str(exc))
    return error_response(
        503,
        "the database is unavailable; try again shortly",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Without a trace id yet (the failure may precede it), mint one so the reply and the log line match.
    trace_id = _trace_id(request) or str(uuid.uuid4())
    logger.exception("unhandled error", path=request.url.path, trace_id=trace_id, exc_info=exc)
    _record_error(request, trace_id, "unhandled", exc)
    return error_response(500, f"internal server error (trace id {trace_id})", trace_id=trace_id)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UnknownLanguageError, _unknown_language)
    app.add_exception_handler(PluginError, _plugin_error)
    app.add_exception_handler(PluginHookError, _plugin_hook_error)
    app.add_exception_handler(LLMUnavailableError, _llm_unavailable)
    app.add_exception_handler(DatabaseUnavailableError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
