"""``GET /healthcheck``: liveness plus a plugin summary."""

from typing import Any

from fastapi import APIRouter

from codeflash_engine import __version__
from codeflash_engine.http.deps import Plugins

router = APIRouter(tags=["health"])


@router.get("/healthcheck")
async def healthcheck(plugins: Plugins) -> dict[str, Any]:
    problems = plugins.problems
    return {
        "status": "degraded" if problems else "ok",
        "version": __version__,
        "languages": list(plugins.languages),
        "plugins": {
            "loaded": [record.name for record in plugins.records if record.status == "loaded"],
            "failed": [record.name for record in problems],
        },
    }
