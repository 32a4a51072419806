"""API key format: ``cf-`` + 43 URL-safe random characters; stored only as SHA-384 hex.

The plaintext exists in the response of ``keys create`` and in the client's environment, nowhere
else: logs and operator output show ``…`` plus the last four characters.
"""

import hashlib
import re
import secrets

KEY_PREFIX = "cf-"
SUFFIX_LENGTH = 4
# 32 random bytes give 43 URL-safe characters (256 bits).
_RANDOM_BYTES = 32
# Generous bounds: anything else cannot be a key this service issued.
_KEY_PATTERN = re.compile(r"^cf-[A-Za-z0-9_-]{4,256}$")


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def hash_api_key(key: str) -> str:
    return hashlib.sha384(key.encode()).hexdigest()


def key_suffix(key: str) -> str:
    return key[-SUFFIX_LENGTH:]


def mask_suffix(suffix: str) -> str:
    """How a key is displayed: ``cf-…abcd``."""
    return f"{KEY_PREFIX}…{suffix}"


def is_well_formed(key: str) -> bool:
    return _KEY_PATTERN.fullmatch(key) is not None
