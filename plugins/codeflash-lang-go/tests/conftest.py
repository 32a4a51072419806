"""Shared by the Go plugin's tests."""

import sys
from pathlib import Path

# Run with --import-mode=importlib (the workspace) no test directory is on sys.path; the sample
# module next to this file is made importable here.
sys.path.insert(0, str(Path(__file__).parent))
