"""The HTTP layer: the FastAPI app factory, request/response schemas and thin routers."""
