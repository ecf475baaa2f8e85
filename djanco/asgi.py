"""The entry point a project's ``asgi.py`` uses: ``application = get_asgi_app()``."""

from __future__ import annotations

import djanco
from djanco.core.handlers.asgi import ASGIHandler

__all__ = ["ASGIHandler", "get_asgi_app"]


def get_asgi_app() -> ASGIHandler:
    """Set Djanco up (settings, logging, apps) if needed, and return the ASGI application.

    The middleware chain is built here, so a bad MIDDLEWARE entry fails at start-up.
    """
    djanco.setup()
    return ASGIHandler()
