"""The access gate of ``/ai/*``: who is calling, and whether they may make this request.

``DatabaseGate`` keeps keys, rate-limit windows and quotas in PostgreSQL. The HTTP layer only sees
``AccessGate`` and turns its errors into responses.
"""

from typing import Protocol

from codeflash_engine.auth.service import (
    AuthenticatedUser,
    RateLimitStatus,
    authenticate,
    consume_optimization,
    count_request,
)
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database


class AccessGate(Protocol):
    """Authentication, rate limit and quota of ``/ai/*`` requests.

    Each method raises ``InvalidApiKeyError``, ``RateLimitExceededError`` or ``QuotaExceededError``
    to refuse, and ``DatabaseUnavailableError`` when it cannot decide (the HTTP layer fails closed).
    """

    async def authenticate(self, token: str) -> AuthenticatedUser:
        """The owner of the API key ``token``."""
        ...

    async def count_request(self, user: AuthenticatedUser) -> RateLimitStatus:
        """Count one request against ``user``'s key."""
        ...

    async def consume_optimization(self, user: AuthenticatedUser) -> None:
        """Count one optimization against ``user``'s quota."""
        ...


class DatabaseGate:
    """The production gate: API keys, rate-limit windows and quotas in the service's database."""

    def __init__(self, database: Database, settings: AuthSettings) -> None:
        self._database = database
        self._settings = settings

    async def authenticate(self, token: str) -> AuthenticatedUser:
        return await authenticate(self._database, token)

    async def count_request(self, user: AuthenticatedUser) -> RateLimitStatus:
        return await count_request(self._database, user, self._settings)

    async def consume_optimization(self, user: AuthenticatedUser) -> None:
        await consume_optimization(self._database, user)
