"""The operator console: ``/console`` pages for admins, and ``/console/api/*`` for their scripts.

Every route needs an admin (session cookie or bearer admin key, see ``http/console/session.py``);
every form post checks its CSRF token.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import attrs
from fastapi import APIRouter, Form, Query, Request, Response
from starlette.responses import HTMLResponse

from codeflash_engine.auth.accounts import ROLES, Role, issue_key, list_keys, revoke_key_by_id
from codeflash_engine.auth.settings import TIERS, Tier
from codeflash_engine.db import console_queries
from codeflash_engine.db.console_queries import TraceCursor, TraceFilter
from codeflash_engine.db.rows import TraceListRow
from codeflash_engine.http.console.charts import daily_cost_chart, every_day
from codeflash_engine.http.console.filters import decode_cursor, encode_cursor, query_string, trace_filter
from codeflash_engine.http.console.session import (
    Admin,
    ConsoleAdmin,
    ConsoleDatabase,
    FormAdmin,
    LoginRequired,
    current_admin,
    log_in,
    log_out,
    login_page,
)
from codeflash_engine.http.console.templating import render
from codeflash_engine.http.deps import Resources
from codeflash_engine.http.errors import APIError
from codeflash_engine.http.schemas.console import TraceDetailOut, TraceListOut

router = APIRouter(prefix="/console", tags=["console"])

PAGE_SIZE = 50
USAGE_DAYS = (1, 7, 30, 90)
Text = Annotated[str | None, Query(max_length=500)]


async def _traces_page(
    database: ConsoleDatabase, where: TraceFilter, after: TraceCursor | None, limit: int
) -> tuple[list[TraceListRow], TraceCursor | None]:
    async with database.connection() as conn:
        rows = await console_queries.list_traces(conn, where, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = TraceCursor(last_at=rows[-1].last_at, trace_id=rows[-1].trace_id) if more else None
    return rows, cursor


@router.get("", include_in_schema=False, response_model=None)
async def console_home(request: Request, database: ConsoleDatabase) -> Response:
    """The login form, or the traces for an operator already logged in."""
    try:
        await current_admin(request, database)
    except LoginRequired:
        return login_page(request)
    return Response(status_code=303, headers={"Location": "/console/traces"})


@router.post("/login", include_in_schema=False)
async def login(
    request: Request,
    *,
    database: ConsoleDatabase,
    key: Annotated[str, Form(max_length=512)] = "",
    csrf_token: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    return await log_in(request, database, key, csrf_token)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, database: ConsoleDatabase, admin: FormAdmin) -> Response:
    return await log_out(request, database)


@router.get("/traces", include_in_schema=False)
async def traces_page(
    request: Request,
    *,
    database: ConsoleDatabase,
    admin: Admin,
    user: Text = None,
    org: Text = None,
    endpoint: Text = None,
    language: Text = None,
    status: Text = None,
    since: Text = None,
    until: Text = None,
    after: Text = None,
) -> HTMLResponse:
    where = trace_filter(
        user=user, org=org, endpoint=endpoint, language=language, status=status, since=since, until=until
    )
    rows, cursor = await _traces_page(database, where, decode_cursor(after), PAGE_SIZE)
    context = {
        "admin": admin,
        "section": "traces",
        "traces": rows,
        "filters": where,
        "since_text": (since or "").strip(),
        "until_text": (until or "").strip(),
        "next_url": None if cursor is None else f"/console/traces?{query_string(where, cursor)}",
    }
    return render(request, "traces.html", context)


@router.get("/traces/{trace_id}", include_in_schema=False)
async def trace_page(
    request: Request, database: ConsoleDatabase, admin: Admin, trace_id: str
) -> HTMLResponse:
    async with database.connection() as conn:
        detail = await console_queries.trace_detail(conn, trace_id)
    if detail is None:
        raise APIError(404, f"no trace {trace_id!r} is recorded")
    context = {
        "admin": admin,
        "section": "traces",
        "trace": detail.trace,
        "privacy": detail.privacy_mode,
        "requests": detail.requests,
        "calls": detail.llm_calls,
        "candidates": detail.candidates,
        "errors": detail.errors,
    }
    return render(request, "trace.html", context)


@router.get("/usage", include_in_schema=False)
async def usage_page(
    request: Request, database: ConsoleDatabase, admin: Admin, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> HTMLResponse:
    since = datetime.now(UTC).date() - timedelta(days=days - 1)
    async with database.connection() as conn:
        per_day = await console_queries.usage(conn, "day", since)
        per_model = await console_queries.usage(conn, "model", since)
        per_org = await console_queries.usage(conn, "organization", since)
    context = {
        "admin": admin,
        "section": "usage",
        "days": days,
        "chart": daily_cost_chart(every_day(per_day, since, days)),
        "per_day": per_day,
        "per_model": per_model,
        "per_org": per_org,
        "total_calls": sum(row.calls for row in per_day),
        "total_cost": sum((row.cost_usd for row in per_day), Decimal(0)),
    }
    return render(request, "usage.html", context)


async def _keys_page(
    request: Request,
    resources: Resources,
    admin: ConsoleAdmin,
    *,
    status_code: int = 200,
    new_key: object = None,
    message: str | None = None,
) -> HTMLResponse:
    database = resources.database
    assert database is not None  # the console's dependencies refuse an app without one
    context = {
        "admin": admin,
        "section": "keys",
        "keys": await list_keys(database),
        "tiers": TIERS,
        "roles": ROLES,
        "new_key": new_key,
        "message": message,
    }
    return render(request, "keys.html", context, status_code=status_code)


@router.get("/keys", include_in_schema=False)
async def keys_page(request: Request, resources: Resources, admin: Admin) -> HTMLResponse:
    return await _keys_page(request, resources, admin)


@router.post("/keys", include_in_schema=False)
async def create_key(
    request: Request,
    *,
    resources: Resources,
    database: ConsoleDatabase,
    admin: FormAdmin,
    email: Annotated[str, Form(min_length=3, max_length=320)],
    tier: Annotated[Tier, Form()] = "free",
    role: Annotated[Role, Form()] = "user",
    organization: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Create a key; the answer to this post is the only page that ever shows it."""
    issued = await issue_key(
        database, email, tier, organization.strip() or None, resources.settings.auth, role=role
    )
    return await _keys_page(request, resources, admin, status_code=201, new_key=issued)


@router.post("/keys/{key_id}/revoke", include_in_schema=False)
async def revoke(
    request: Request, resources: Resources, database: ConsoleDatabase, admin: FormAdmin, key_id: int
) -> Response:
    if not await revoke_key_by_id(database, key_id):
        message = f"no active key has the id {key_id}"
        return await _keys_page(request, resources, admin, status_code=404, message=message)
    return Response(status_code=303, headers={"Location": "/console/keys"})


# --- JSON, for scripts ------------------------------------------------------------------------------


@router.get("/api/traces")
async def api_traces(
    database: ConsoleDatabase,
    *,
    admin: Admin,
    user: Text = None,
    org: Text = None,
    endpoint: Text = None,
    language: Text = None,
    status: Text = None,
    since: Text = None,
    until: Text = None,
    after: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
) -> TraceListOut:
    """Traces newest first, as the console lists them; ``next_cursor`` goes into ``after``."""
    where = trace_filter(
        user=user, org=org, endpoint=endpoint, language=language, status=status, since=since, until=until
    )
    rows, cursor = await _traces_page(database, where, decode_cursor(after), limit)
    return TraceListOut.model_validate(
        {
            "traces": [attrs.asdict(row) for row in rows],
            "next_cursor": None if cursor is None else encode_cursor(cursor),
        }
    )


@router.get("/api/traces/{trace_id}")
async def api_trace(database: ConsoleDatabase, admin: Admin, trace_id: str) -> TraceDetailOut:
    """One trace: its requests, LLM calls (with prompt and reply, unless privacy mode), candidates
    and errors."""
    async with database.connection() as conn:
        detail = await console_queries.trace_detail(conn, trace_id)
    if detail is None:
        raise APIError(404, f"no trace {trace_id!r} is recorded")
    return TraceDetailOut.model_validate(attrs.asdict(detail))
