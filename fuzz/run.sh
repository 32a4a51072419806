#!/usr/bin/env sh
# The long fuzzing run: every endpoint, valid and invalid requests generated from the OpenAPI schema.
# Usage: fuzz/run.sh [EXAMPLES_PER_OPERATION_AND_MODE]   (default 500; the test suite uses 12)
set -eu
cd "$(dirname "$0")/.."
CODEFLASH_FUZZ_EXAMPLES="${1:-500}" exec uv run pytest tests/reliability/test_fuzz.py \
    -p no:cacheprovider -q --timeout 1800 --durations=5
