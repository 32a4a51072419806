"""Issuing keys: users, organizations and subscriptions are created once and reused."""

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.db import Database
from codeflash_engine.settings import Settings


async def test_more_keys_reuse_the_user_and_only_a_new_tier_changes_the_limit(
    database: Database, engine_settings: Settings
) -> None:
    auth = engine_settings.auth
    first = await issue_key(database, "Dev@Example.com", "free", "Acme", auth)
    assert first.organization is not None
    assert (first.subscription.plan_type, first.subscription.optimizations_limit) == ("free", auth.quota_free)
    async with database.connection() as conn:
        await conn.execute("UPDATE subscriptions SET optimizations_used = 7")

    upgraded = await issue_key(database, "dev@example.com ", "pro", None, auth)
    assert upgraded.user.user_id == first.user.user_id
    assert upgraded.user.organization_id == first.organization.id
    assert (upgraded.subscription.plan_type, upgraded.subscription.optimizations_limit) == (
        "pro",
        auth.quota_pro,
    )
    assert upgraded.subscription.optimizations_used == 7

    # A limit an operator set by hand survives another key on the same tier.
    async with database.connection() as conn:
        await conn.execute("UPDATE subscriptions SET optimizations_limit = 99")
    same_tier = await issue_key(database, "dev@example.com", "pro", None, auth)
    assert same_tier.subscription.optimizations_limit == 99
    assert len({first.row.id, upgraded.row.id, same_tier.row.id}) == 3
