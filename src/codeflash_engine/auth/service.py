"""Authentication, per-key rate limiting and per-subscription quotas, on top of the database.

Raises ``AuthError`` subclasses (and ``DatabaseUnavailableError``); the HTTP layer turns them into
responses.
"""

import math
from datetime import UTC, datetime, timedelta

import structlog
from attrs import frozen

from codeflash_engine.auth.keys import hash_api_key, is_well_formed, key_suffix, mask_suffix
from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db import Database, queries
from codeflash_engine.db.rows import RateLimitHit, SubscriptionRow

logger = structlog.get_logger(__name__)

# ``last_used_at`` is for operators; writing it at most once a minute per key saves a row update
# on almost every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@frozen
class AuthenticatedUser:
    """Who is calling: the key (by id and suffix, never the key itself) and its owner."""

    user_id: str
    key_id: int
    key_suffix: str
    tier: str
    email: str | None
    github_username: str | None
    organization_id: str | None
    # Prompts and replies of this user's LLM calls must not be stored.
    privacy_mode: bool


class AuthError(Exception):
    """A request the service refuses on purpose; the message is shown to the client."""


class InvalidApiKeyError(AuthError):
    pass


class RateLimitExceededError(AuthError):
    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class QuotaExceededError(AuthError):
    pass


@frozen
class RateLimitStatus:
    limit: int
    remaining: int
    resets_at: datetime


@frozen
class AdmittedRequest:
    """An admitted request: who is calling, and its key's rate-limit status (``None`` when the gate
    has no rate limit)."""

    user: AuthenticatedUser
    rate_limit: RateLimitStatus | None


async def admit(db: Database, key: str, settings: AuthSettings) -> AdmittedRequest:
    """Authenticate ``key`` and count this request against its rate-limit window, in one query.

    ``InvalidApiKeyError`` for a malformed, unknown or revoked key (nothing counted);
    ``RateLimitExceededError`` over the limit.
    """
    if not is_well_formed(key):
        raise InvalidApiKeyError(
            "malformed API key: expected 'Authorization: Bearer cf-…' with a key from "
            "'codeflash-engine keys create'"
        )
    async with db.connection() as conn:
        found = await queries.admit_request(conn, hash_api_key(key), settings.rate_limit_window_ms)
        if found is None:
            shown = mask_suffix(key_suffix(key))
            logger.info("rejected unknown or revoked API key", key=shown)
            raise InvalidApiKeyError(f"invalid or revoked API key ({shown})")
        owner, hit = found
        if owner.last_used_at is None or datetime.now(UTC) - owner.last_used_at >= LAST_USED_RESOLUTION:
            await queries.touch_api_key(conn, owner.key_id)
    user = AuthenticatedUser(
        user_id=owner.user_id,
        key_id=owner.key_id,
        key_suffix=owner.suffix,
        tier=owner.tier,
        email=owner.email,
        github_username=owner.github_username,
        organization_id=owner.organization_id,
        privacy_mode=owner.privacy_mode,
    )
    return AdmittedRequest(user=user, rate_limit=_within_rate_limit(user, hit, settings))


def _within_rate_limit(user: AuthenticatedUser, hit: RateLimitHit, settings: AuthSettings) -> RateLimitStatus:
    if hit.request_count > settings.rate_limit_max:
        retry_after = max(1, math.ceil((hit.resets_at - hit.db_now).total_seconds()))
        window_s = settings.rate_limit_window_ms / 1000
        logger.info("rate limited", key=mask_suffix(user.key_suffix), retry_after_s=retry_after)
        raise RateLimitExceededError(
            f"rate limit exceeded: {settings.rate_limit_max} requests per {window_s:g} s for this API key; "
            f"retry in {retry_after} s",
            retry_after_s=retry_after,
        )
    return RateLimitStatus(
        limit=settings.rate_limit_max,
        remaining=settings.rate_limit_max - hit.request_count,
        resets_at=hit.resets_at,
    )


def _format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def consume_optimization(db: Database, user: AuthenticatedUser) -> SubscriptionRow:
    """Count one optimization against the user's subscription; ``QuotaExceededError`` at the limit."""
    async with db.connection() as conn:
        subscription = await queries.consume_optimization(conn, user.user_id)
        if subscription is not None:
            return subscription
        current = await queries.get_subscription(conn, user.user_id)
    if current is None:
        raise QuotaExceededError(
            "no subscription for this account, so no optimization quota; ask the operator to run "
            "'codeflash-engine keys create' for your email"
        )
    logger.info("optimization quota exhausted", key=mask_suffix(user.key_suffix), plan=current.plan_type)
    raise QuotaExceededError(
        f"optimization quota exhausted: {current.optimizations_used} of {current.optimizations_limit} "
        f"optimizations used this period ({current.plan_type} plan); the quota resets at "
        f"{_format_time(current.current_period_end)}"
    )
