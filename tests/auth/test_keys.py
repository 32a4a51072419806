"""Key format and hashing, and the quota settings (unit tests, no database)."""

import hashlib
import re

import pytest

from codeflash_engine.auth.keys import generate_api_key, hash_api_key, is_well_formed, key_suffix, mask_suffix
from codeflash_engine.auth.settings import AuthSettings


def test_generated_keys_are_cf_prefixed_url_safe_and_unique() -> None:
    keys = {generate_api_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        assert re.fullmatch(r"cf-[A-Za-z0-9_-]{32,}", key)
        assert is_well_formed(key)


def test_hash_is_sha384_hex_of_the_whole_key() -> None:
    key = generate_api_key()
    assert hash_api_key(key) == hashlib.sha384(key.encode()).hexdigest()
    assert len(hash_api_key(key)) == 96


def test_only_the_last_four_characters_are_shown() -> None:
    assert key_suffix("cf-abcdefgh") == "efgh"
    assert mask_suffix("efgh") == "cf-…efgh"


@pytest.mark.parametrize(
    "key", ["", "badkey", "cf-", "cf-ab", "cf-has space", "cf-" + "a" * 300, "CF-abcdef"]
)
def test_malformed_keys_are_recognised(key: str) -> None:
    assert not is_well_formed(key)


def test_quota_settings_accept_unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEFLASH_QUOTA_PRO", "unlimited")
    monkeypatch.setenv("CODEFLASH_QUOTA_FREE", "7")
    settings = AuthSettings()
    assert (settings.quota_for("free"), settings.quota_for("pro"), settings.quota_for("enterprise")) == (
        7,
        None,
        None,
    )
