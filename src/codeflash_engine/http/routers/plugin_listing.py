"""``GET /plugins``: every plugin the engine tried to load, with its status (failed ones included)."""

from typing import Any

from fastapi import APIRouter

from codeflash_engine.http.deps import Plugins

router = APIRouter(tags=["plugins"])


@router.get("/plugins")
async def list_plugins(plugins: Plugins) -> dict[str, Any]:
    return {
        "plugins": [record.to_json() for record in plugins.records],
        "languages": list(plugins.languages),
    }
