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
timer, armed only while a request is arriving in pieces.
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
    """uvicorn's httptools protocol, refusing oversized headers and timing out slow clients."""

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
        self._reading: _Reading = None
        self._started = 0.0  # when the part being read began arriving
        self._messages = 0
        self._header_size = 0  # request line and header fields, as the parser hands them over
        self._header_count = 0
        self._header_read_bytes = 0  # reads that fell wholly inside the headers
        self._body_received = 0
        self._timer: asyncio.TimerHandle | None = None
        self._refused = False

    # -- the connection ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._begin("headers")  # a client that connects and sends nothing is timed out too
        self._arm_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._reading = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        messages_before, reading_before = self._messages, self._reading
        super().data_received(data)
        if self._refused or self._reading is None:
            return
        if reading_before == self._reading == "headers" and messages_before == self._messages:
            # The parser keeps a header field it has not finished in memory, unseen by the
            # callbacks below: count the bytes of reads that lie wholly inside the headers.
            self._header_read_bytes += len(data)
            if self._header_read_bytes > self._max_header_size:
                self._refuse(431)
                return
        self._arm_timer()

    def handle_websocket_upgrade(self) -> None:
        self._reading = None  # the websocket protocol takes the connection over
        super().handle_websocket_upgrade()

    # -- parser callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self._refused:
            return
        super().on_message_begin()
        self._messages += 1
        self._begin("headers")

    def on_url(self, url: bytes) -> None:
        if self._refused:
            return
        self._header_size += len(url)
        if self._header_size > self._max_header_size:
            self._refuse(414)
            return
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._header_size += len(name) + len(value) + 4  # ": " and CRLF
        self._header_count += 1
        if self._header_size > self._max_header_size or self._header_count > self._max_header_count:
            self._refuse(431)
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._begin("body")
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._refused:
            return
        self._body_received += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._reading = None
        super().on_message_complete()

    # -- limits --------------------------------------------------------------------------

    def _begin(self, reading: _Reading) -> None:
        self._reading = reading
        self._started = self.loop.time()
        self._header_size = self._header_count = self._header_read_bytes = 0
        self._body_received = 0

    def _deadline(self) -> float | None:
        if self._reading == "headers":
            return self._started + self._headers_timeout
        if self._reading == "body":
            needed = self._body_received / self._body_min_rate
            return self._started + self._body_timeout + needed
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
        if self._reading == "body" and self.flow.read_paused:
            # The application has not taken the body read so far: the client is not the slow
            # one. Its clock restarts from now.
            self._started = now - self._body_received / self._body_min_rate
            self._arm_timer()
            return
        logger.warning(
            "Closing the connection from %s: the request %s took longer than allowed.",
            _client(self.client),
            self._reading,
        )
        self._refuse(408)

    def _refuse(self, status: int) -> None:
        """Answer ``status`` unless a response is already under way, then close."""
        if status != 408:
            logger.warning(
                "Refusing a request from %s: %s.", _client(self.client), HTTPStatus(status).phrase
            )
        reading, self._reading, self._refused = self._reading, None, True
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
