"""ASGI entry point: ``uvicorn te_djanco.asgi:application``."""

import os

from djanco.asgi import get_asgi_app

os.environ.setdefault("DJANCO_SETTINGS", "te_djanco.settings")

application = get_asgi_app()
