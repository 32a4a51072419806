"""``language_version`` as the client sends it: the pom's raw text or ``java -version``'s major."""

import pytest
from codeflash_lang_java.java_version import OLDEST_ASSUMED, parse_java_version


@pytest.mark.parametrize(
    ("raw", "major"),
    [("17", 17), ("1.8", 8), ("11", 11), ("21.0.2", 21), ("1.7", 7), (" 17 ", 17), ("8", 8)],
)
def test_known_versions(raw: str, major: int) -> None:
    version = parse_java_version(raw)
    assert version.major == major
    assert version.floor == major
    assert version.describe() == f"Java {major}"


@pytest.mark.parametrize("raw", ["${java.version}", "${maven.compiler.source}", None, "", "latest"])
def test_unknown_versions_assume_the_oldest_supported(raw: str | None) -> None:
    version = parse_java_version(raw)
    assert version.major is None
    assert version.floor == OLDEST_ASSUMED
    assert f"Java {OLDEST_ASSUMED}" in version.describe()


def test_an_unresolved_property_is_named_in_the_prompt_text() -> None:
    assert "`${java.version}`" in parse_java_version("${java.version}").describe()
