"""What the drivers in this folder share. Like them, it runs inside the isolated environment of
the released codeflash client (never imported by the project's tests): a driver runs as a script,
so its folder is first on ``sys.path`` and it imports this module by its bare name."""

import logging
import os
import traceback
from collections.abc import Callable
from typing import Any

from codeflash.api.aiservice import AiServiceClient


class Captured(logging.Handler):
    """Every record the client logs, so the test sees what the user sees."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append({"level": record.levelname, "message": record.getMessage()})


CAPTURED = Captured()


def capture(*logger_names: str) -> None:
    """Send the records of these client loggers (at every level) to ``CAPTURED``."""
    for name in logger_names:
        logging.getLogger(name).addHandler(CAPTURED)
        logging.getLogger(name).setLevel(logging.DEBUG)


def client_for(base_url: str, key: str) -> AiServiceClient:
    os.environ["CODEFLASH_API_KEY"] = key
    client = AiServiceClient()  # the base URL is localhost:8000 or production: point it at ours
    client.base_url = base_url
    # The client caches the first key it reads for the whole process; each scenario has its own.
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def call(report: dict[str, Any], name: str, action: Callable[[], Any]) -> Any:
    """Run one client method; a raised exception is what the contract forbids, so record it."""
    start = len(CAPTURED.records)
    try:
        result = action()
    except BaseException as exc:  # the point: catch whatever the client raises
        report[name] = {"crashed": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        return None
    report[name] = {"logs": CAPTURED.records[start:]}
    return result


def reviews_json(reviews: list[Any] | None) -> list[dict[str, Any]]:
    """``review_generated_tests``' answer: which test functions of which test the client repairs."""
    return [
        {"test_index": r.test_index, "functions": [list(f) for f in r.functions_to_repair]}
        for r in reviews or []
    ]


def log_features_status(client: AiServiceClient, trace_id: str) -> int:
    """``log_results`` returns nothing: the status of the same kind of call, which the client
    ignores, is what the test checks."""
    response = client.make_ai_service_request(
        "/log_features", payload={"trace_id": trace_id, "metadata": {}}, timeout=client.timeout
    )
    status: int = response.status_code
    return status
