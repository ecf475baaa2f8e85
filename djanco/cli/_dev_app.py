"""What ``runserver`` serves: the project's app or, while its code fails to import, a 500 page
showing that error for every request (instead of a port that accepts and never answers) until
a fixed file is saved and the reloader starts a fresh process."""

from __future__ import annotations

import os
import sys
import traceback
from html import escape

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.importer import import_from_string

from djanco.cli._server import asgi_target
from djanco.conf.discovery import SETTINGS_ENV


def project_app_or_error_page() -> ASGIApp:
    """The uvicorn factory of each reloaded server process (``load_project()`` has put the
    settings module in the environment and the project on ``sys.path``)."""
    target = asgi_target(os.environ[SETTINGS_ENV])
    try:
        app = import_from_string(target.import_string)
        loaded: ASGIApp = app() if target.factory else app
    except Exception as exc:
        traceback.print_exc()
        return ImportErrorPage(exc)
    return loaded


class ImportErrorPage:
    """An ASGI app answering every HTTP request with 500 and the traceback of ``error``."""

    def __init__(self, error: BaseException) -> None:
        self.name = type(error).__name__
        self.text = "".join(traceback.format_exception(error))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return  # a websocket: closed unanswered
        body = self._page(scope["path"]).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _page(self, path: str) -> str:
        return (
            '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
            f"<title>{escape(self.name)} at {escape(path)}</title></head>\n<body>\n"
            f"<h1>{escape(self.name)}: the project failed to load</h1>\n"
            f"<pre>{escape(self.text)}</pre>\n"
            "<p>The development server reloads when you save a fix; every request gets this "
            f"page until then. Python {escape(sys.version.split()[0])}.</p>\n</body>\n</html>\n"
        )
