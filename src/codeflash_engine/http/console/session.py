"""Who may use the console: an active admin key, by session cookie (browsers) or by
``Authorization: Bearer`` (scripts).

A login stores only the SHA-256 of a random session token; the cookie is ``HttpOnly``,
``SameSite=Strict``, scoped to ``/console`` and ``Secure`` when the request came over HTTPS. Every
state-changing form carries the session's CSRF token (the login form a pre-session one, checked
against a cookie of its own); bearer requests carry no cookie, so they need none.
"""

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Annotated

from attrs import frozen
from fastapi import Depends, FastAPI, Form, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from codeflash_engine.auth.keys import hash_api_key, is_well_formed
from codeflash_engine.db import Database, console_queries
from codeflash_engine.http.console.templating import render
from codeflash_engine.http.deps import Resources
from codeflash_engine.http.errors import APIError, error_response

SESSION_COOKIE = "cf_console_session"
LOGIN_CSRF_COOKIE = "cf_console_login_csrf"
COOKIE_PATH = "/console"
SESSION_LIFETIME_S = 12 * 3600
STATIC_DIR = Path(__file__).parent / "static"
API_PREFIX = "/console/api/"


@frozen
class ConsoleAdmin:
    """The operator behind a console request; ``csrf_token`` is ``None`` for bearer requests."""

    key_id: int
    suffix: str
    email: str | None
    csrf_token: str | None


class LoginRequired(Exception):
    """No admin session and no bearer key: pages answer with the login form, the API with 401."""


def _same(expected: str, given: str) -> bool:
    # Bytes: compare_digest refuses non-ASCII text, and a form may send anything.
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def console_database(resources: Resources) -> Database:
    if resources.database is None:
        raise APIError(503, "the console needs the database, and this app runs without one")
    return resources.database


ConsoleDatabase = Annotated[Database, Depends(console_database)]


async def _bearer_admin(database: Database, header: str) -> ConsoleAdmin:
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not is_well_formed(token):
        raise APIError(401, "malformed Authorization header: expected 'Bearer <admin key>'")
    async with database.connection() as conn:
        admin = await console_queries.find_admin_key(conn, hash_api_key(token))
    if admin is None:
        raise APIError(403, "the console needs an active admin key")
    return ConsoleAdmin(key_id=admin.key_id, suffix=admin.suffix, email=admin.email, csrf_token=None)


async def current_admin(request: Request, database: ConsoleDatabase) -> ConsoleAdmin:
    """The admin making this request, or ``LoginRequired`` / 401 / 403."""
    header = request.headers.get("authorization")
    if header is not None:
        return await _bearer_admin(database, header)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with database.connection() as conn:
            session = await console_queries.find_session(conn, _token_hash(token))
        if session is not None:
            return ConsoleAdmin(
                key_id=session.key_id,
                suffix=session.suffix,
                email=session.email,
                csrf_token=session.csrf_token,
            )
    raise LoginRequired


Admin = Annotated[ConsoleAdmin, Depends(current_admin)]


def checked_form(admin: Admin, csrf_token: Annotated[str, Form()] = "") -> ConsoleAdmin:
    """The admin of a form post whose CSRF token matches its session's (403 otherwise)."""
    if admin.csrf_token is not None and not _same(admin.csrf_token, csrf_token):
        raise APIError(403, "invalid or missing CSRF token: reload the page and try again")
    return admin


FormAdmin = Annotated[ConsoleAdmin, Depends(checked_form)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def login_page(request: Request, *, status_code: int = 200, message: str | None = None) -> HTMLResponse:
    """The login form, with a fresh pre-session CSRF token in a cookie and in the form."""
    csrf = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", {"csrf_token": csrf, "message": message}, status_code=status_code
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=_secure(request), path=COOKIE_PATH
    )
    return response


async def log_in(request: Request, database: Database, key: str, csrf_token: str) -> Response:
    """Check the login form; on success a session cookie and a redirect to the traces."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not _same(expected, csrf_token):
        return login_page(request, status_code=403, message="The form expired; please try again.")
    key = key.strip()
    admin = None
    if is_well_formed(key):
        async with database.connection() as conn:
            admin = await console_queries.find_admin_key(conn, hash_api_key(key))
    if admin is None:
        return login_page(request, status_code=403, message="That is not an active admin key.")
    token = secrets.token_urlsafe(32)
    async with database.connection() as conn:
        await console_queries.create_session(
            conn, _token_hash(token), admin.key_id, secrets.token_urlsafe(32), SESSION_LIFETIME_S
        )
    response = Response(status_code=303, headers={"Location": "/console/traces"})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_LIFETIME_S,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=COOKIE_PATH,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    return response


async def log_out(request: Request, database: Database) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with database.connection() as conn:
            await console_queries.delete_session(conn, _token_hash(token))
    response = Response(status_code=303, headers={"Location": "/console"})
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith(API_PREFIX):
        return error_response(
            401, "the console needs an admin session or 'Authorization: Bearer <admin key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    return login_page(request, status_code=401)


def install_console(app: FastAPI) -> None:
    """The console's assets (served by the service itself) and its login-required answer."""
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.add_exception_handler(LoginRequired, _login_required)
