"""Rendering console pages: the package's Jinja2 templates (autoescaped), their filters, and the
headers every console page carries (no caching, no framing, nothing loaded from elsewhere)."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from codeflash_engine.auth.keys import mask_suffix

TEMPLATES_DIR = Path(__file__).parent / "templates"

# No script runs on any console page; styles and images come from the service itself.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def usd(value: Decimal | float | None) -> str:
    if value is None:
        return "-"
    amount = Decimal(value)
    return f"${amount:,.2f}" if abs(amount) >= 1 else f"${amount:.4f}"


def when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def milliseconds(value: int | float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(usd=usd, when=when, count=count, ms=milliseconds, key=mask_suffix)


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response
