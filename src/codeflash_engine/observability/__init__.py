"""Logs, metrics, traces and the recording of LLM calls and errors."""
