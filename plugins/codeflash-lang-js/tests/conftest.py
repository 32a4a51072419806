"""Shared set-up for the JavaScript plugin's tests."""

import sys
from pathlib import Path

# The suite runs with --import-mode=importlib, which puts no test directory on sys.path; the sample
# module next to this file is made importable here rather than in the workspace-wide settings.
sys.path.insert(0, str(Path(__file__).parent))
