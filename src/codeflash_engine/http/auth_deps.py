"""FastAPI dependencies for API-key auth, rate limits and quotas, asked of the app's ``AccessGate``.

Compose them in a route's signature::

    async def optimize(user: CurrentUser, charge: UsageCharge) -> ...

Every ``/ai/*`` router depends on ``require_auth`` (authentication and the rate limit, one database
round trip); the routes that start an optimization also take ``UsageCharge`` and await it once the
request is valid and served.
"""

from typing import Annotated

import structlog
from fastapi import Depends, Request, Response

from codeflash_engine.auth.service import (
    AuthenticatedUser,
    InvalidApiKeyError,
    QuotaExceededError,
    RateLimitExceededError,
)
from codeflash_engine.db import DatabaseUnavailableError
from codeflash_engine.http.deps import Resources
from codeflash_engine.http.errors import APIError
from codeflash_engine.observability.context import note_caller
from codeflash_engine.pipeline.ports import Admission

logger = structlog.get_logger(__name__)

# Seconds a client should wait before retrying while the database is unreachable.
UNAVAILABLE_RETRY_AFTER_S = 5

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _unavailable(exc: DatabaseUnavailableError) -> APIError:
    # Fail closed: without its database the gate cannot authenticate, count or charge anybody.
    logger.warning("refusing request: database unavailable", error=str(exc))
    return APIError(
        503,
        "the service cannot check API keys right now (database unavailable); try again shortly",
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)},
    )


def _bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise APIError(
            401, "missing API key: send 'Authorization: Bearer cf-…' (CODEFLASH_API_KEY)", headers=_CHALLENGE
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise APIError(
            401, "malformed Authorization header: expected 'Authorization: Bearer cf-…'", headers=_CHALLENGE
        )
    return token.strip()


async def require_auth(request: Request, response: Response, resources: Resources) -> AuthenticatedUser:
    """The caller of this request, counted against its key's rate limit: 401 without a valid active
    key, 429 with ``Retry-After`` over the limit, 503 if keys cannot be checked."""
    token = _bearer_token(request)
    try:
        admission = await resources.gate.admit(token)
    except InvalidApiKeyError as exc:
        raise APIError(401, str(exc), headers=_CHALLENGE) from None
    except RateLimitExceededError as exc:
        raise APIError(429, str(exc), headers={"Retry-After": str(exc.retry_after_s)}) from None
    except DatabaseUnavailableError as exc:
        raise _unavailable(exc) from exc
    user = admission.user
    note_caller(user.user_id, user.organization_id, user.privacy_mode)
    rate = admission.rate_limit
    if rate is not None:  # a gate without a rate limit sends no invented numbers
        response.headers["X-RateLimit-Limit"] = str(rate.limit)
        response.headers["X-RateLimit-Remaining"] = str(rate.remaining)
    return user


# FastAPI runs a dependency once per request however many times a route asks for it, so a router's
# ``dependencies=[Depends(require_auth)]`` and its handlers' ``CurrentUser`` count the request once.
CurrentUser = Annotated[AuthenticatedUser, Depends(require_auth)]


def usage_charge(user: CurrentUser, resources: Resources) -> Admission:
    """What counts one optimization against the subscription (403 when its quota is used up).

    A route awaits it, or hands it to the pipeline as ``admit``, only once the request is known to
    be served: FastAPI runs dependencies before it rejects a malformed body, so charging in a
    dependency would bill requests that never reach an LLM.
    """

    async def charge() -> None:
        try:
            await resources.gate.consume_optimization(user)
        except QuotaExceededError as exc:
            raise APIError(403, str(exc)) from None
        except DatabaseUnavailableError as exc:
            raise _unavailable(exc) from exc

    return charge


UsageCharge = Annotated[Admission, Depends(usage_charge)]
