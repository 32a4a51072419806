"""Issuing, listing and revoking API keys (what ``codeflash-engine keys`` does)."""

from typing import Literal, get_args

from attrs import field, frozen

from codeflash_engine.auth.keys import generate_api_key, hash_api_key, key_suffix
from codeflash_engine.auth.settings import AuthSettings, Tier
from codeflash_engine.db import Database, queries
from codeflash_engine.db.rows import ApiKeyListing, ApiKeyRow, OrganizationRow, SubscriptionRow, UserRow

# An admin key opens the operator console; a user key only ``/ai/*``. Neither can do the other's job.
Role = Literal["user", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)


class KeyLookupError(Exception):
    """No key, or more than one, matches what the operator typed."""


@frozen
class IssuedKey:
    key: str = field(repr=False)
    row: ApiKeyRow
    user: UserRow
    subscription: SubscriptionRow
    organization: OrganizationRow | None


async def issue_key(
    db: Database,
    email: str,
    tier: Tier,
    organization_name: str | None,
    settings: AuthSettings,
    *,
    role: Role = "user",
) -> IssuedKey:
    """Create a key for ``email``, creating its user, subscription and organization as needed.

    An existing subscription moves to ``tier`` (and that tier's quota) if it was on another one.
    """
    key = generate_api_key()
    async with db.transaction() as conn:
        organization = (
            await queries.get_or_create_organization(conn, organization_name) if organization_name else None
        )
        organization_id = None if organization is None else organization.id
        user = await queries.get_or_create_user(conn, email.strip().lower(), organization_id)
        subscription = await queries.ensure_subscription(
            conn, user.user_id, tier, settings.quota_for(tier), settings.quota_period_days
        )
        row = await queries.insert_api_key(
            conn,
            hash_api_key(key),
            suffix=key_suffix(key),
            user_id=user.user_id,
            tier=tier,
            organization_id=organization_id,
            role=role,
        )
    return IssuedKey(key=key, row=row, user=user, subscription=subscription, organization=organization)


async def list_keys(db: Database, email: str | None = None) -> list[ApiKeyListing]:
    async with db.connection() as conn:
        return await queries.list_api_keys(conn, None if email is None else email.strip().lower())


async def revoke_key(db: Database, suffix_or_id: str) -> ApiKeyListing:
    """Revoke the one active key whose suffix (``abcd`` or ``cf-…abcd``) or id is given."""
    wanted = suffix_or_id.strip().removeprefix("cf-").removeprefix("…").removeprefix("...")
    key_id = int(wanted) if wanted.isdigit() else None
    async with db.transaction() as conn:
        matches = await queries.find_active_keys(conn, wanted, key_id)
        if not matches:
            raise KeyLookupError(f"no active key has the suffix or id {suffix_or_id!r}")
        if len(matches) > 1:
            ids = ", ".join(str(match.id) for match in matches)
            raise KeyLookupError(
                f"{len(matches)} active keys match {suffix_or_id!r} (ids {ids}); revoke by id instead"
            )
        await queries.revoke_api_key(conn, matches[0].id)
    return matches[0]


async def revoke_key_by_id(db: Database, key_id: int) -> bool:
    """Revoke the key with this id; ``False`` if there is none or it was already revoked."""
    async with db.connection() as conn:
        return await queries.revoke_api_key(conn, key_id)
