"""The HTTP protocol ``djanco serve`` and ``runserver`` give uvicorn: its httptools protocol
with bounded headers and timeouts for slow clients.

uvicorn's httptools protocol keeps however many header bytes a client sends and waits for
them forever. Here, past the settings' limits, the client gets an answer and the connection
is closed:

- request line longer than REQUEST_HEADERS_MAX_SIZE: 414; request line plus headers longer,
  or more than REQUEST_HEADERS_MAX_COUNT header fields: 431;
- request line and headers not complete within REQUEST_HEADERS_TIMEOUT seconds: 408;
- a body arriving slower than REQUEST_BODY_MIN_RATE bytes a second, after a grace of
  REQUEST_BODY_TIMEOUT seconds: 408 (or only a closed connection once a response started).

Other clients are served meanwhile: nothing here blocks, and each connection has at most one
timer, armed only while a request is arriving in pieces (and while a new connection is silent).
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any, Literal

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from djanco.conf import settings

logger = logging.getLogger("djanco.server")

_Reading = Literal["headers", "body"] | None


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing oversized headers and timing out slow clients.

    It follows a request from outside the parser, after each read, so a request that arrives
    whole in one read (nearly all of them) costs only a few comparisons more.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._max_header_size = settings.REQUEST_HEADERS_MAX_SIZE
        self._max_header_count = settings.REQUEST_HEADERS_MAX_COUNT
        self._headers_timeout = settings.REQUEST_HEADERS_TIMEOUT
        self._body_timeout = settings.REQUEST_BODY_TIMEOUT
        self._body_min_rate = settings.REQUEST_BODY_MIN_RATE
        self._reading: _Reading = None  # the part of a request still arriving, after a read
        self._started = 0.0  # when it began arriving
        self._received = 0  # bytes of it in reads that lay wholly inside it
        self._scope_before_read: object = None
        self._read_size = 0
        self._timer: asyncio.TimerHandle | None = None
        self._done = False  # refused, or handed over to the websocket protocol

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow("headers")  # a client that connects and sends nothing is timed out too
        self._arm_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._reading = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._done:
            return
        scope_before = self._scope_before_read = self.scope
        self._read_size = len(data)
        super().data_received(data)
        if self._done:
            return
        reading = self._still_reading()
        if reading is None:
            self._reading = None  # the common case: the request came whole
            return
        if reading != self._reading or self.scope is not scope_before:
            self._follow(reading)  # a new request, or its body, began in this read
        else:
            self._received += len(data)
            if reading == "headers" and self._received > self._max_header_size:
                # Bound the memory the parser holds before it hands the headers over.
                self._refuse(414 if len(self.url) > self._max_header_size else 431, reading)
                return
        self._arm_timer()

    def handle_websocket_upgrade(self) -> None:
        self._done = True  # the websocket protocol takes the connection over
        super().handle_websocket_upgrade()

    def on_headers_complete(self) -> None:
        if self._done:
            return
        # Headers that came whole in a read no longer than the limit cannot be too long:
        # only count them otherwise.
        began_in_this_read = self.scope is not self._scope_before_read
        if not (began_in_this_read and self._read_size <= self._max_header_size):
            if len(self.url) > self._max_header_size:
                self._refuse(414, "headers")
                return
            size = sum(len(name) + len(value) + 4 for name, value in self.headers)
            if len(self.url) + size > self._max_header_size:
                self._refuse(431, "headers")
                return
        if len(self.headers) > self._max_header_count:
            self._refuse(431, "headers")
            return
        super().on_headers_complete()

    # -- limits --------------------------------------------------------------------------

    def _still_reading(self) -> _Reading:
        """What of the current request is still to arrive, judged from uvicorn's state: a
        request has a cycle once its headers are complete, and ``more_body`` until its end."""
        cycle = self.cycle
        if cycle is None or cycle.scope is not self.scope:
            return "headers"
        return "body" if cycle.more_body else None

    def _follow(self, reading: _Reading) -> None:
        self._reading = reading
        self._started = self.loop.time()
        self._received = 0

    def _deadline(self) -> float | None:
        if self._reading == "headers":
            return self._started + self._headers_timeout
        if self._reading == "body":
            return self._started + self._body_timeout + self._received / self._body_min_rate
        return None

    def _arm_timer(self) -> None:
        # A timer left from an earlier, shorter deadline re-arms itself when it fires.
        deadline = self._deadline()
        if deadline is not None and self._timer is None:
            self._timer = self.loop.call_at(deadline, self._check_deadline)

    def _check_deadline(self) -> None:
        self._timer = None
        deadline = self._deadline()
        if deadline is None or self.transport.is_closing():
            return
        now = self.loop.time()
        if now < deadline:
            self._timer = self.loop.call_at(deadline, self._check_deadline)
            return
        if self._reading == "body" and (
            self.flow.read_paused or self.cycle.waiting_for_100_continue
        ):
            # The application has not taken the body read so far (or not asked for it yet):
            # the client is not the slow one. Its clock restarts from now.
            self._started = now - self._received / self._body_min_rate
            self._arm_timer()
            return
        logger.warning(
            "Closing the connection from %s: the request %s took longer than allowed.",
            _client(self.client),
            self._reading,
        )
        self._refuse(408, self._reading)

    def _refuse(self, status: int, reading: _Reading) -> None:
        """Answer ``status`` unless a response is already under way, then close."""
        if status != 408:
            logger.warning(
                "Refusing a request from %s: %s.", _client(self.client), HTTPStatus(status).phrase
            )
        self._reading, self._done = None, True
        cycle = self.cycle
        if reading == "body":  # the request's own cycle: its application must stop waiting
            answer = not cycle.response_started
            cycle.disconnected = True
            cycle.message_event.set()
        else:  # headers: the cycle, if any, is a previous request's, maybe still answering
            answer = cycle is None or cycle.response_complete
        if answer:
            self.transport.write(self._status_response(status))
        self.transport.close()

    def _status_response(self, status: int) -> bytes:
        body = f"{status} {HTTPStatus(status).phrase}\n".encode()
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
        lines += [name + b": " + value for name, value in self.server_state.default_headers]
        lines += [
            b"content-type: text/plain; charset=utf-8",
            b"content-length: " + str(len(body)).encode(),
            b"connection: close",
        ]
        return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _client(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "a client"
