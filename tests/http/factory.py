"""Build HttpRequests straight from ASGI scopes, and run responses through ASGI."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from starlette.types import Message, Scope

from djanco.conf import settings
from djanco.http import HttpRequest, HttpResponseBase


def make_request(
    method: str = "GET",
    path: str = "/",
    *,
    query: str = "",
    headers: Sequence[tuple[str, str]] = (("host", "testserver"),),
    body: bytes = b"",
    scheme: str = "http",
    root_path: str = "",
    server: tuple[str, int | None] | None = ("testserver", 80),
) -> HttpRequest:
    """An HttpRequest as the ASGI handler would build it; ``body`` arrives in one message."""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": root_path + path,
        "raw_path": (root_path + path).encode(),
        "root_path": root_path,
        "query_string": query.encode("latin-1"),
        "headers": [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
        ],
        "server": server,
        "client": ("127.0.0.1", 50000),
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return HttpRequest(scope, receive)


class Sent:
    """What a response sent over ASGI: status, headers (lower-cased names) and body."""

    def __init__(self, messages: list[Message]) -> None:
        start = messages[0]
        self.status: int = start["status"]
        self.headers: list[tuple[str, str]] = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in start["headers"]
        ]
        self.body = b"".join(message.get("body", b"") for message in messages[1:])
        self.chunks = [message.get("body", b"") for message in messages[1:]]

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key == name.lower()]
        return values[-1] if values else None


async def send_response(response: HttpResponseBase, request: HttpRequest | None = None) -> Sent:
    """Send ``response`` as the ASGI handler does and capture the messages."""
    request = request or make_request()
    messages: list[Message] = []

    async def send(message: Message) -> None:
        messages.append(message)

    await response(request.scope, request.receive, send)
    return Sent(messages)


@contextmanager
def override_settings(**values: object) -> Iterator[None]:
    """Set settings for the duration of the block, then put the old values back."""
    old = {name: getattr(settings, name) for name in values}
    try:
        for name, value in values.items():
            setattr(settings, name, value)
        yield
    finally:
        for name, value in old.items():
            setattr(settings, name, value)


BOUNDARY = "djanco-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
"""The Content-Type of a body made by ``multipart_body()``."""


def multipart_body(
    fields: Sequence[tuple[str, str]] = (), files: Sequence[tuple[str, str, bytes]] = ()
) -> bytes:
    """A ``multipart/form-data`` body (see MULTIPART) of ``(name, value)`` fields and
    ``(field name, file name, content)`` files, written out by hand so any name can be sent."""
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, file_name, content in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
