"""StreamingHttpResponse and FileResponse, sent over ASGI."""

from __future__ import annotations

import io
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from starlette.requests import ClientDisconnect
from starlette.types import Message

from djanco.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from tests.http.factory import make_request, send_response


async def test_streams_a_sync_iterator_in_a_worker_thread() -> None:
    threads: list[threading.Thread] = []

    def chunks() -> Iterator[str | bytes]:
        threads.append(threading.current_thread())
        yield "é"
        yield b"-two"

    response = StreamingHttpResponse(chunks(), content_type="text/plain")
    sent = await send_response(response)

    assert sent.status == 200
    assert sent.body == "é-two".encode()
    assert "content-length" not in dict(sent.headers)
    assert threads[0] is not threading.main_thread()  # never blocks the event loop
    assert not response.is_async


async def test_streams_an_async_iterator() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"
        yield b"b"

    response = StreamingHttpResponse(chunks())

    assert response.streaming
    assert response.is_async
    assert isinstance(response, HttpResponseBase)
    assert (await send_response(response)).body == b"ab"


async def test_streaming_content_can_be_wrapped_by_middleware() -> None:
    response = StreamingHttpResponse(["a", "b"])

    async def upper(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        async for chunk in chunks:
            yield chunk.upper()

    response.streaming_content = upper(response.streaming_content)

    assert (await send_response(response)).body == b"AB"


def test_streaming_response_has_no_content() -> None:
    with pytest.raises(AttributeError, match="Use `streaming_content` instead"):
        _ = StreamingHttpResponse([b"x"]).content


async def test_sync_generator_is_closed_when_sending_fails() -> None:
    closed = threading.Event()

    def chunks() -> Iterator[bytes]:
        try:
            yield b"a"
            yield b"b"
        finally:
            closed.set()

    response = StreamingHttpResponse(chunks())
    request = make_request()
    messages = 0

    async def send(message: Message) -> None:
        nonlocal messages
        messages += 1
        if messages == 2:
            raise OSError("client went away")

    with pytest.raises(ClientDisconnect):
        await response(request.scope, request.receive, send)
    assert closed.is_set()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n1,2\n")
    return path


async def test_file_response_from_a_path(report: Path) -> None:
    response = FileResponse(report)
    sent = await send_response(response)

    assert sent.body == b"a,b\n1,2\n"
    assert sent.header("content-type") == "text/csv"
    assert sent.header("content-length") == "8"
    assert sent.header("content-disposition") == 'inline; filename="report.csv"'


async def test_file_response_as_attachment_with_a_unicode_name(report: Path) -> None:
    response = FileResponse(str(report), as_attachment=True, filename="résumé.csv")

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.csv"


async def test_file_response_from_an_open_file_closes_it(report: Path) -> None:
    handle = report.open("rb")
    response = FileResponse(handle)
    sent = await send_response(response)

    assert sent.body == b"a,b\n1,2\n"
    assert sent.header("content-length") == "8"
    assert sent.header("content-type") == "text/csv"
    assert handle.closed


async def test_file_response_from_memory() -> None:
    response = FileResponse(io.BytesIO(b"\x00\x01"), filename="blob.tar.gz")

    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Length"] == "2"
    assert (await send_response(response)).body == b"\x00\x01"


def test_file_response_for_a_missing_file_fails_in_the_view(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FileResponse(tmp_path / "nope.txt")
    with pytest.raises(IsADirectoryError, match="needs a regular file"):
        FileResponse(tmp_path)
