"""Orchestration: prompt -> LLM fan-out -> extract -> validate -> postprocess, per endpoint task."""
