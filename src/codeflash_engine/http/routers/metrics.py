"""``GET /metrics``: Prometheus exposition of the service's metrics."""

from fastapi import APIRouter
from fastapi.responses import Response

from codeflash_engine.observability.metrics import render_metrics

router = APIRouter(tags=["observability"])


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = render_metrics()
    return Response(content=body, media_type=content_type)
