"""``codeflash-engine keys``: issue, list and revoke API keys."""

from datetime import datetime

import click

from codeflash_engine.auth.accounts import ROLES, KeyLookupError, Role, issue_key, list_keys, revoke_key
from codeflash_engine.auth.keys import mask_suffix
from codeflash_engine.auth.settings import TIERS, Tier
from codeflash_engine.cli._database import cli_settings, run_database_command
from codeflash_engine.db import Database

LIST_COLUMNS = ("ID", "KEY", "EMAIL", "TIER", "ROLE", "ORGANIZATION", "CREATED", "LAST USED", "STATUS")


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


@click.group("keys")
def keys_group() -> None:
    """API keys (uses DATABASE_URL, or the embedded PostgreSQL in CODEFLASH_DATA_DIR)."""


@keys_group.command("create")
@click.option("--email", required=True, help="The key owner's email; the user is created if new.")
@click.option("--tier", type=click.Choice(TIERS), default="free", show_default=True, help="Plan and quota.")
@click.option("--org", "organization", default=None, help="Organization name; created if new.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="user",
    show_default=True,
    help="user: calls /ai/*; admin: opens the operator console at /console.",
)
def create_command(email: str, tier: Tier, organization: str | None, role: Role) -> None:
    """Create a key and print it, alone, on the last line (it is not shown again)."""
    settings = cli_settings()

    async def create(database: Database) -> tuple[str, list[str]]:
        issued = await issue_key(database, email, tier, organization, settings.auth, role=role)
        subscription = issued.subscription
        limit = (
            "unlimited"
            if subscription.optimizations_limit is None
            else f"{subscription.optimizations_used} of {subscription.optimizations_limit} used"
        )
        org = f", organization {issued.organization.name}" if issued.organization else ""
        return issued.key, [
            f"created key {issued.row.id} ({mask_suffix(issued.row.suffix)}) for {issued.user.email}, "
            f"tier {tier}{org}, role {role}",
            f"subscription: {subscription.plan_type} plan, optimizations {limit}, period ends "
            f"{_when(subscription.current_period_end)}",
            "the key is shown only this once:",
        ]

    key, lines = run_database_command(settings, create)
    for line in lines:
        click.echo(line)
    click.echo(key)


@keys_group.command("list")
@click.option("--email", default=None, help="Only this user's keys.")
def list_command(email: str | None) -> None:
    """List keys (suffixes only)."""
    rows = run_database_command(cli_settings(), lambda database: list_keys(database, email))
    if not rows:
        click.echo("no keys")
        return
    table = [
        (
            str(row.id),
            mask_suffix(row.suffix),
            row.email or "-",
            row.tier,
            row.role,
            row.organization_name or "-",
            _when(row.created_at),
            _when(row.last_used_at),
            "active" if row.revoked_at is None else f"revoked {_when(row.revoked_at)}",
        )
        for row in rows
    ]
    widths = [max(len(header), *(len(row[i]) for row in table)) for i, header in enumerate(LIST_COLUMNS)]
    click.echo(
        "  ".join(header.ljust(width) for header, width in zip(LIST_COLUMNS, widths, strict=True)).rstrip()
    )
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@keys_group.command("revoke")
@click.argument("suffix_or_id")
def revoke_command(suffix_or_id: str) -> None:
    """Revoke the active key with this suffix (last 4 characters) or id; takes effect at once."""
    try:
        revoked = run_database_command(cli_settings(), lambda database: revoke_key(database, suffix_or_id))
    except KeyLookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"revoked key {revoked.id} ({mask_suffix(revoked.suffix)}) of {revoked.email or '-'}")
