"""``GET /healthcheck``: liveness, the database's state, a plugin summary and the LLM state.

It answers 200 while the process serves (``degraded`` when a plugin failed, the database does not
answer or no LLM provider is configured); load balancers should route on the status code and alert
on ``degraded``. ``database`` is ``ok``, ``unavailable``, or ``none`` for an app built in code
without one (tests). ``llm`` lists the configured providers, ``state`` (``ok`` or ``not
configured``) and each configured family's model with its published retirement date and
``retirement`` (``current``, ``retiring`` within 30 days, ``retired``, or ``unknown``).
"""

from typing import Any

from fastapi import APIRouter

from codeflash_engine import __version__
from codeflash_engine.http.deps import Plugins, Resources
from codeflash_engine.llm import llm_readiness, packaged_registry

router = APIRouter(tags=["health"])


@router.get("/healthcheck")
async def healthcheck(plugins: Plugins, resources: Resources) -> dict[str, Any]:
    problems = plugins.problems
    database = await resources.database_probe.database_state()
    llm = llm_readiness(resources.settings.llm, packaged_registry())
    return {
        "status": "degraded" if problems or database == "unavailable" or not llm.configured else "ok",
        "version": __version__,
        "database": database,
        "languages": list(plugins.languages),
        "plugins": {
            "loaded": [record.name for record in plugins.records if record.status == "loaded"],
            "failed": [record.name for record in problems],
        },
        "llm": llm.report(),
    }
