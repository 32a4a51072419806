"""``codeflash-engine serve``: run the HTTP service with uvicorn."""

import click
import uvicorn


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development only).")
def serve_command(host: str, port: int, workers: int, reload: bool) -> None:
    """Run the service. Settings come from the environment (see the README)."""
    uvicorn.run(
        "codeflash_engine.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        log_config=None,
        proxy_headers=True,
    )
