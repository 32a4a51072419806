"""``StaticGate``: the access gate of an app without a database (unit tests, no database)."""

import pytest

from codeflash_engine.auth.gate import AccessGate, StaticGate
from codeflash_engine.auth.keys import generate_api_key
from codeflash_engine.auth.service import InvalidApiKeyError

FIRST = generate_api_key()
SECOND = generate_api_key()


async def test_each_given_key_is_a_user_of_its_own() -> None:
    gate: AccessGate = StaticGate([FIRST, SECOND])
    first, second = (await gate.admit(FIRST)).user, (await gate.admit(SECOND)).user
    assert first.user_id != second.user_id
    assert (first.key_suffix, second.key_suffix) == (FIRST[-4:], SECOND[-4:])
    assert (first.tier, first.privacy_mode, first.organization_id) == ("enterprise", False, None)
    assert (await gate.admit(FIRST)).user == first


@pytest.mark.parametrize("token", [generate_api_key(), "badkey", "", FIRST + "x", FIRST.upper()])
async def test_any_other_token_is_an_invalid_key(token: str) -> None:
    with pytest.raises(InvalidApiKeyError, match="accepts only the API keys it was created with"):
        await StaticGate([FIRST]).admit(token)


async def test_no_key_at_all_admits_nobody() -> None:
    with pytest.raises(InvalidApiKeyError):
        await StaticGate([]).admit(FIRST)


def test_a_malformed_key_is_refused_when_the_gate_is_built() -> None:
    with pytest.raises(ValueError, match=r"malformed API keys \['cf-…-key'\]"):
        StaticGate([FIRST, "not-a-cf-key"])


async def test_there_is_no_rate_limit_and_no_quota() -> None:
    gate = StaticGate([FIRST])
    for _ in range(1000):
        admission = await gate.admit(FIRST)
        assert admission.rate_limit is None
        await gate.consume_optimization(admission.user)


def test_the_keys_are_not_kept_in_plain_text() -> None:
    gate = StaticGate([FIRST])
    assert FIRST not in repr(vars(gate))
