"""The access gate of ``/ai/*``: who is calling, and whether they may make this request.

Two gates: ``DatabaseGate`` (production: keys, rate-limit windows and quotas in PostgreSQL) and
``StaticGate`` (an app built in code without a database, for tests and plugin authors). The HTTP
layer only sees ``AccessGate`` and turns its errors into responses.
"""

from collections.abc import Iterable
from typing import Protocol

from codeflash_engine.auth.keys import hash_api_key, is_well_formed, key_suffix, mask_suffix
from codeflash_engine.auth.service import (
    AdmittedRequest,
    AuthenticatedUser,
    InvalidApiKeyError,
    admit,
    consume_optimization,
)
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database


class AccessGate(Protocol):
    """Authentication, rate limit and quota of ``/ai/*`` requests.

    Each method raises ``InvalidApiKeyError``, ``RateLimitExceededError`` or ``QuotaExceededError``
    to refuse, and ``DatabaseUnavailableError`` when it cannot decide (the HTTP layer fails closed).
    """

    async def admit(self, token: str) -> AdmittedRequest:
        """The owner of the API key ``token``, with this request counted against the key's rate
        limit (``AdmittedRequest.rate_limit`` is ``None`` when this gate has none)."""
        ...

    async def consume_optimization(self, user: AuthenticatedUser) -> None:
        """Count one optimization against ``user``'s quota."""
        ...


class DatabaseGate:
    """The production gate: API keys, rate-limit windows and quotas in the service's database."""

    def __init__(self, database: Database, settings: AuthSettings) -> None:
        self._database = database
        self._settings = settings

    async def admit(self, token: str) -> AdmittedRequest:
        return await admit(self._database, token, self._settings)

    async def consume_optimization(self, user: AuthenticatedUser) -> None:
        await consume_optimization(self._database, user)


class StaticGate:
    """Accepts exactly the API keys it was given in code, each as a user of its own, with no rate
    limit and no quota; it stores nothing.

    For an app built without a database (tests, plugin authors): it is never built from settings, so
    no deployment can end up admitting everybody with a fixed key.
    """

    def __init__(self, api_keys: Iterable[str]) -> None:
        keys = tuple(api_keys)
        malformed = [mask_suffix(key_suffix(key)) for key in keys if not is_well_formed(key)]
        if malformed:
            # A key clients could never send successfully: say so now, not as a 401 in some test.
            raise ValueError(f"malformed API keys {malformed}: expected 'cf-' and 4 to 256 of [A-Za-z0-9_-]")
        # Looked up by hash, as the database does, so the plaintext keys are not kept around.
        self._users = {
            hash_api_key(key): AuthenticatedUser(
                user_id=f"static-user-{number}",
                key_id=number,
                key_suffix=key_suffix(key),
                tier="enterprise",
                email=None,
                github_username=None,
                organization_id=None,
                privacy_mode=False,
            )
            for number, key in enumerate(keys, start=1)
        }

    async def admit(self, token: str) -> AdmittedRequest:
        user = self._users.get(hash_api_key(token))
        if user is None:
            raise InvalidApiKeyError(
                f"invalid API key ({mask_suffix(key_suffix(token))}): this app runs without a database "
                "and accepts only the API keys it was created with"
            )
        return AdmittedRequest(user=user, rate_limit=None)

    async def consume_optimization(self, user: AuthenticatedUser) -> None:
        return None
