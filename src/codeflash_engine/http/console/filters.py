"""The trace list's query string: filters typed by an operator, and the opaque page cursor."""

import base64
import binascii
from datetime import UTC, datetime
from urllib.parse import urlencode

from codeflash_engine.db.console_queries import TraceCursor, TraceFilter
from codeflash_engine.http.errors import APIError

STATUSES = ("ok", "failed")


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def parse_when(value: str | None, name: str) -> datetime | None:
    """``2026-12-04`` or ``2026-12-04T10:30`` (UTC unless it says otherwise)."""
    text = _text(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise APIError(
            422, f"invalid request: {name}: expected a date like 2026-12-04 or 2026-12-04T10:30"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def trace_filter(
    *,
    user: str | None,
    org: str | None,
    endpoint: str | None,
    language: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
) -> TraceFilter:
    wanted_status = _text(status)
    if wanted_status is not None and wanted_status not in STATUSES:
        raise APIError(422, f"invalid request: status: expected one of {', '.join(STATUSES)}")
    return TraceFilter(
        user=_text(user),
        organization=_text(org),
        endpoint=_text(endpoint),
        language=_text(language),
        status=wanted_status,
        since=parse_when(since, "since"),
        until=parse_when(until, "until"),
    )


def encode_cursor(cursor: TraceCursor) -> str:
    raw = f"{cursor.last_at.isoformat()}|{cursor.trace_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> TraceCursor | None:
    text = _text(value)
    if text is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        moment, _, trace_id = raw.partition("|")
        return TraceCursor(last_at=datetime.fromisoformat(moment), trace_id=trace_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise APIError(422, "invalid request: after: not a cursor this console made") from None


def query_string(where: TraceFilter, after: TraceCursor) -> str:
    """The query string of the next page: the same filters, after ``after``."""
    params = {
        "user": where.user,
        "org": where.organization,
        "endpoint": where.endpoint,
        "language": where.language,
        "status": where.status,
        "since": None if where.since is None else where.since.isoformat(),
        "until": None if where.until is None else where.until.isoformat(),
        "after": encode_cursor(after),
    }
    return urlencode({key: value for key, value in params.items() if value is not None})
