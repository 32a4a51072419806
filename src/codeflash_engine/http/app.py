"""The app factory: ``create_app(settings)`` builds a FastAPI app whose lifespan owns every resource."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from codeflash_engine import __version__
from codeflash_engine.http.body_limit import BodySizeLimitMiddleware
from codeflash_engine.http.errors import install_error_handlers
from codeflash_engine.http.resources import open_resources
from codeflash_engine.http.routers import health, insights, optimize, plugins, refinement, testgen
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Nothing is loaded or connected until the lifespan starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.http)
        async with AsyncExitStack() as stack:
            app.state.resources = await open_resources(settings, stack)
            yield

    app = FastAPI(
        title="codeflash-engine",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.http.max_body_bytes)
    app.include_router(health.router)
    app.include_router(plugins.router)
    for family in (optimize, refinement, testgen, insights):
        app.include_router(family.router)
    return app
