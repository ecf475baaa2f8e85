"""ASGI entry point of the mysite project, for any ASGI server.

``djanco serve`` uses it; so does ``uvicorn mysite.asgi:application``.
"""

import os

from djanco.asgi import get_asgi_app

os.environ.setdefault("DJANCO_SETTINGS", "mysite.settings")

application = get_asgi_app()
