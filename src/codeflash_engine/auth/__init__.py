"""API keys, authentication, rate limits and usage quotas (the logic; FastAPI wiring is in ``http``)."""
