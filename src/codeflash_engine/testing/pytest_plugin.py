"""The pytest plugin installed with codeflash-engine (entry point ``pytest11``).

It defines fixtures only: no autouse fixtures and no import-time side effects, so having the engine
installed changes nothing in another project's test run until a test asks for a ``codeflash_`` fixture.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from codeflash_engine.testing.fake_llm import FakeLLM


@pytest.fixture
def codeflash_fake_llm() -> "Iterator[FakeLLM]":
    """A started ``FakeLLM`` on 127.0.0.1 (a free port), stopped after the test.

    Script it (``reply``, ``fail``, ``hang`` ...), point clients at its ``*_base_url`` properties or
    the service at ``codeflash_fake_llm.env(...)``, and assert on ``codeflash_fake_llm.requests``.
    """
    # Imported here so a project that never asks for this fixture never imports the server.
    from codeflash_engine.testing.fake_llm import FakeLLM

    with FakeLLM() as fake:
        yield fake
