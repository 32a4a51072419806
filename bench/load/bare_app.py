"""The framework's ceiling: a bare FastAPI app answering a constant, under the same uvicorn setup."""

from typing import Any

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthcheck")
async def healthcheck() -> dict[str, Any]:
    return {"status": "ok", "version": "0", "languages": ["python"], "plugins": {"loaded": [], "failed": []}}
