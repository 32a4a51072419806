"""The samples the tests use are the client's real traffic (when the reference file is at hand)."""

import pytest
from java_samples import OPTIMIZE_MARKDOWN, TESTGEN_DETAILS, TESTGEN_MARKDOWN, TRAFFIC, traffic


def test_the_samples_are_what_the_client_sent() -> None:
    if not TRAFFIC.exists():
        pytest.skip(f"the shared client traffic samples are not beside the checkout ({TRAFFIC})")
    testgen, optimize, _ = traffic()
    assert optimize["request"]["source_code"] == OPTIMIZE_MARKDOWN
    assert testgen["request"]["source_code_being_tested"] == TESTGEN_MARKDOWN
    for key, value in TESTGEN_DETAILS.items():
        if key != "test_timeout":
            assert testgen["request"][key] == value
