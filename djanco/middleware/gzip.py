"""GZipMiddleware: compresses responses for clients that accept gzip."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import AsyncIterable, AsyncIterator
from typing import TYPE_CHECKING

from starlette.responses import StreamingResponse

from djanco.http import FileResponse
from djanco.middleware.base import Middleware

if TYPE_CHECKING:
    from starlette.datastructures import MutableHeaders

    from djanco.http import HttpRequest, HttpResponseBase

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_MIN_SIZE = 200  # smaller bodies may grow when compressed; not worth the CPU


class GZipMiddleware(Middleware):
    """Compresses a response when the client sends ``Accept-Encoding: gzip``, the body is at
    least 200 bytes (any size when streaming) and not already encoded; adds
    ``Vary: Accept-Encoding`` so caches keep both versions. File responses are sent as they are.
    """

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = await self.get_response(request)
        if isinstance(response, FileResponse):
            return response  # often compressed already (images, archives); keeps its length
        if isinstance(response, StreamingResponse):
            _compress_stream(request, response)
            return response
        body: bytes | memoryview | None = getattr(response, "body", None)
        if body is None or len(body) < _MIN_SIZE:
            return response
        headers = response.headers
        if "content-encoding" in headers:
            return response
        _add_vary(headers)
        if not _ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
            return response
        compressed = gzip.compress(body, mtime=0)
        if len(compressed) >= len(body):
            return response
        response.body = compressed
        headers["content-length"] = str(len(compressed))
        _mark_gzipped(headers)
        return response


def _compress_stream(request: HttpRequest, response: StreamingResponse) -> None:
    headers = response.headers
    if "content-encoding" in headers:
        return
    _add_vary(headers)
    if not _ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
        return
    response.body_iterator = _gzip_chunks(response.body_iterator, response.charset)
    if "content-length" in headers:
        del headers["content-length"]
    _mark_gzipped(headers)


async def _gzip_chunks(
    chunks: AsyncIterable[str | bytes | memoryview], charset: str
) -> AsyncIterator[bytes]:
    # Flush after every chunk so a streamed response (e.g. server-sent events) stays live.
    compressor = zlib.compressobj(wbits=31)  # 31: gzip container
    async for chunk in chunks:
        data = chunk.encode(charset) if isinstance(chunk, str) else chunk
        yield compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


def _mark_gzipped(headers: MutableHeaders) -> None:
    headers["content-encoding"] = "gzip"
    etag = headers.get("etag")
    if etag is not None and etag.startswith('"'):
        headers["etag"] = "W/" + etag  # the bytes changed, so the validator is only weak now


def _add_vary(headers: MutableHeaders) -> None:
    vary = headers.get("vary")
    if vary is None:
        headers["vary"] = "Accept-Encoding"
        return
    existing = {item.strip().lower() for item in vary.split(",")}
    if "*" not in existing and "accept-encoding" not in existing:
        headers["vary"] = f"{vary}, Accept-Encoding"
