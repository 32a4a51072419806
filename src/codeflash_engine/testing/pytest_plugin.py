"""The pytest plugin installed with codeflash-engine (entry point ``pytest11``).

It defines fixtures only: no autouse fixtures and no import-time side effects, so having the engine
installed changes nothing in another project's test run until a test asks for a ``codeflash_`` fixture.
"""
