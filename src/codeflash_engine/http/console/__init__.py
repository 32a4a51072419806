"""The operator console at ``/console``: server-rendered pages for admins (sessions, CSRF, templates,
charts). The router is ``http/routers/console.py``; ``install_console`` wires the rest into the app."""

from codeflash_engine.http.console.session import install_console

__all__ = ["install_console"]
