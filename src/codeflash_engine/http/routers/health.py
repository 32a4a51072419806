"""``GET /healthcheck``: liveness, the database's state and a plugin summary.

It answers 200 while the process serves (``degraded`` when a plugin failed or the database does not
answer); load balancers should route on the status code and alert on ``degraded``. ``database`` is
``ok``, ``unavailable``, or ``none`` for an app built in code without one (tests).
"""

from typing import Any

from fastapi import APIRouter

from codeflash_engine import __version__
from codeflash_engine.http.deps import Plugins, Resources

router = APIRouter(tags=["health"])


@router.get("/healthcheck")
async def healthcheck(plugins: Plugins, resources: Resources) -> dict[str, Any]:
    problems = plugins.problems
    database = await resources.database_probe.database_state()
    return {
        "status": "degraded" if problems or database == "unavailable" else "ok",
        "version": __version__,
        "database": database,
        "languages": list(plugins.languages),
        "plugins": {
            "loaded": [record.name for record in plugins.records if record.status == "loaded"],
            "failed": [record.name for record in problems],
        },
    }
