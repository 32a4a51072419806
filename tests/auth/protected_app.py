"""The service app plus two routes guarded like ``/ai/*`` routes, for tests only.

``uvicorn --factory protected_app:create_app_from_env`` serves it from another process.
"""

from typing import Any

from fastapi import APIRouter, FastAPI

from codeflash_engine.http.app import create_app
from codeflash_engine.http.auth_deps import CurrentUser, UsageCharge
from codeflash_engine.settings import Settings

router = APIRouter()


@router.get("/ai/test-whoami")
async def whoami(user: CurrentUser) -> dict[str, Any]:
    return {"user_id": user.user_id, "tier": user.tier, "key": user.key_suffix}


@router.post("/ai/test-optimize")
async def optimize(user: CurrentUser, charge: UsageCharge) -> dict[str, Any]:
    await charge()
    return {"user_id": user.user_id}


def create_protected_app(settings: Settings) -> FastAPI:
    app = create_app(settings)
    app.include_router(router)
    return app


def create_app_from_env() -> FastAPI:
    return create_protected_app(Settings())
