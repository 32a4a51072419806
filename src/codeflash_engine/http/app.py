"""The app factory: ``create_app(settings)`` builds a FastAPI app whose lifespan owns every resource."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from codeflash_engine import __version__
from codeflash_engine.http.body_limit import BodySizeLimitMiddleware
from codeflash_engine.http.console import install_console
from codeflash_engine.http.deadline import RequestDeadlineMiddleware
from codeflash_engine.http.errors import install_error_handlers
from codeflash_engine.http.openapi import install_openapi
from codeflash_engine.http.resources import AppOptions, open_resources
from codeflash_engine.http.routers import (
    console,
    features,
    health,
    insights,
    metrics,
    optimize,
    plugin_listing,
    refinement,
    testgen,
)
from codeflash_engine.http.storage import NoDatabase
from codeflash_engine.observability.logging import configure_logging
from codeflash_engine.observability.middleware import ObservabilityMiddleware
from codeflash_engine.settings import Settings

DOCS_ASSETS_URL = "/docs-assets"


def create_app(
    settings: Settings | None = None,
    *,
    plugins: Sequence[object] = (),
    load_entry_points: bool = True,
    no_database: NoDatabase | None = None,
) -> FastAPI:
    """Build the service. Nothing is loaded or connected until the lifespan starts.

    ``plugins`` registers plugin objects in-process (their hooks then run in threads, not worker
    processes); ``load_entry_points=False`` ignores installed plugins, for isolated tests.
    ``no_database=NoDatabase(api_keys=...)`` runs without PostgreSQL (tests and plugin authors
    only; ``settings.database`` is then ignored): see ``NoDatabase``.
    """
    settings = settings or Settings()
    options = AppOptions(
        extra_plugins=tuple(plugins), load_entry_points=load_entry_points, no_database=no_database
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.http)
        async with AsyncExitStack() as stack:
            app.state.resources = await open_resources(settings, stack, options)
            yield

    # /docs with Swagger UI's assets served by the service itself (a closed network has no CDN).
    app: FastAPI = FastAPIOffline(
        title="codeflash-engine",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        static_url=DOCS_ASSETS_URL,
    )
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.http.max_body_bytes)
    app.add_middleware(RequestDeadlineMiddleware, timeout_s=settings.http.request_timeout_s)
    # Added last, so outermost: its ids and timings cover everything, a 413 included.
    app.add_middleware(ObservabilityMiddleware)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(plugin_listing.router)
    for family in (optimize, refinement, testgen, insights, features):
        app.include_router(family.router)
    app.include_router(console.router)
    install_console(app)
    return app
