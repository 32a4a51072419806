"""Structured logging: JSON lines in production, readable lines in development."""

import logging
import re
import sys
from collections.abc import Iterable
from typing import Any

import structlog

from codeflash_engine.settings import HTTPSettings

REDACTED = "[redacted]"
_SENSITIVE_KEY = re.compile(r"(api[_-]?key|secret|password|token|authorization|credential|dsn)", re.I)
_secret_values: set[str] = set()


def register_secrets(values: Iterable[str]) -> None:
    """Values that must never appear in a log line, wherever they turn up (the configured keys)."""
    # Very short values would redact ordinary words; real keys are long.
    _secret_values.update(value for value in values if len(value) >= 8)


def scrub(value: Any) -> Any:
    """``value`` with registered secrets and values under secret-looking keys replaced."""
    if isinstance(value, str):
        for secret in _secret_values:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {k: REDACTED if _sensitive(k, v) else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    return value


def _sensitive(key: object, value: object) -> bool:
    return isinstance(key, str) and isinstance(value, str) and bool(_SENSITIVE_KEY.search(key))


def redact_secrets(_: Any, __: str, event_dict: structlog.types.EventDict) -> structlog.types.EventDict:
    """Blank values under secret-looking keys and every registered secret anywhere in the line."""
    return {key: REDACTED if _sensitive(key, value) else scrub(value) for key, value in event_dict.items()}


def configure_logging(settings: HTTPSettings) -> None:
    """Route both structlog and stdlib logging through one renderer on stderr."""
    production = settings.environment.lower() == "production"
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if production else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            # Again after the traceback is rendered: an exception message can carry a key too.
            redact_secrets,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name("codeflash-engine")
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == "codeflash-engine"]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
