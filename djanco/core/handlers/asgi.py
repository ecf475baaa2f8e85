"""ASGIHandler: the ASGI application a server runs (HTTP, lifespan; websockets are refused)."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from djanco.core.handlers.base import BaseHandler
from djanco.db import connections
from djanco.http import HttpRequest
from djanco.http.mounts import mounted_app


class ASGIHandler(BaseHandler):
    """Turns each HTTP scope into an HttpRequest, runs the chain and sends the response.

    A request under the prefix of an app's mount (``djanco.http.register_mount``) goes to
    the mounted ASGI app instead.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "http":
            mounted = mounted_app(scope)
            if mounted is not None:
                await mounted(scope, receive, send)
                return
            request = HttpRequest(scope, receive)
            chain = self._chain
            if chain is None:
                response = await self.get_response(request)
            else:
                response = await chain(request)
            await response(scope, receive, send)
            await request.close()  # closes uploaded files of a parsed multipart form
        elif scope_type == "lifespan":
            await self._lifespan(receive, send)
        elif scope_type == "websocket":
            # No websocket routing yet: refuse the handshake politely (403 to the client).
            await receive()
            await send({"type": "websocket.close", "code": 1000})
        else:
            raise ValueError(f"Djanco cannot handle ASGI scope type {scope_type!r}.")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await connections.aclose_all()
                connections.close_all()
                await send({"type": "lifespan.shutdown.complete"})
                return
