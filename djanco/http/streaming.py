"""Responses whose body is produced while it is sent: StreamingHttpResponse, FileResponse."""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import IO, ClassVar
from urllib.parse import quote

import anyio
import anyio.to_thread
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from djanco.http.base import HttpResponseBase

Chunk = str | bytes | memoryview
"""One piece of a streamed body; ``str`` is encoded with the response's charset."""
StreamingContent = Iterable[Chunk] | AsyncIterable[Chunk]

# A ".tar.gz" is sent as the compressed file it is, not as a tarball to be decoded.
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip",
    "xz": "application/x-xz",
}


class StreamingHttpResponse(HttpResponseBase, StreamingResponse):
    """A response sent piece by piece from an iterator or async iterator.

    A sync iterator is advanced in a worker thread so it never blocks the event loop.
    There is no ``content``: middleware reads and replaces ``streaming_content``.
    """

    streaming: ClassVar[bool] = True

    def __init__(
        self,
        streaming_content: StreamingContent = (),
        content_type: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        super().__init__(content_type, status, headers, charset)
        self.streaming_content = streaming_content

    @property
    def streaming_content(self) -> AsyncIterator[bytes]:
        """The body as an async iterator of bytes; assign any (async) iterable to replace it."""
        return self._encoded(self.body_iterator)

    @streaming_content.setter
    def streaming_content(self, value: StreamingContent) -> None:
        self._source = value
        if isinstance(value, AsyncIterable):
            self.body_iterator = value
        else:
            self.body_iterator = iterate_in_threadpool(value)

    @property
    def is_async(self) -> bool:
        """Whether the body comes from an async iterator (a sync one runs in a thread)."""
        return isinstance(self._source, AsyncIterable)

    @property
    def content(self) -> bytes:
        raise AttributeError(
            f"This {type(self).__name__} instance has no `content` attribute. "
            "Use `streaming_content` instead."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._close_source()

    async def _encoded(self, chunks: AsyncIterable[Chunk]) -> AsyncIterator[bytes]:
        async for chunk in chunks:
            yield chunk.encode(self.charset) if isinstance(chunk, str) else bytes(chunk)

    async def _close_source(self) -> None:
        # The body may stop early (client gone, error): release files and generators now,
        # not whenever the garbage collector gets to them.
        for source in (self.body_iterator, self._source):
            aclose = getattr(source, "aclose", None)
            if aclose is not None:
                await aclose()
            close = getattr(source, "close", None)
            if close is not None:
                with suppress(ValueError):  # "generator already executing" in a cancelled thread
                    close()


class FileResponse(StreamingHttpResponse):
    """A file sent in chunks, from a path or an open binary file (which it closes).

    Content-Type is guessed from the file name, Content-Length taken from the file's size,
    and ``Content-Disposition`` is ``inline`` (or ``attachment`` with ``as_attachment=True``)
    naming ``filename`` or the file's own name.
    """

    chunk_size: ClassVar[int] = 64 * 1024

    def __init__(
        self,
        file: str | os.PathLike[str] | IO[bytes],
        *,
        as_attachment: bool = False,
        filename: str = "",
        content_type: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        charset: str | None = None,
    ) -> None:
        size: int | None
        if isinstance(file, str | os.PathLike):
            path = Path(file)
            info = path.stat()  # a missing file is an error now, in the view, not mid-send
            if not stat.S_ISREG(info.st_mode):
                raise IsADirectoryError(f"FileResponse needs a regular file, not {str(path)!r}")
            name, size = filename or path.name, info.st_size
            body: AsyncIterable[bytes] = _read_path(path, self.chunk_size)
        else:
            own_name = getattr(file, "name", "")
            name = filename or (os.path.basename(own_name) if isinstance(own_name, str) else "")
            size = _remaining_size(file)
            body = _read_file(file, self.chunk_size)
        if content_type is None and not (headers and "content-type" in _lower(headers)):
            content_type = _guess_type(name)
        super().__init__(body, content_type, status, headers, charset)
        if size is not None:
            self.setdefault("Content-Length", str(size))
        if as_attachment or name:
            self.setdefault("Content-Disposition", _disposition(as_attachment, name))


async def _read_path(path: Path, chunk_size: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as file:
        while chunk := await file.read(chunk_size):
            yield chunk


async def _read_file(file: IO[bytes], chunk_size: int) -> AsyncIterator[bytes]:
    try:
        while chunk := await anyio.to_thread.run_sync(file.read, chunk_size):
            yield chunk
    finally:
        file.close()


def _remaining_size(file: IO[bytes]) -> int | None:
    try:
        return os.fstat(file.fileno()).st_size - file.tell()
    except (OSError, AttributeError, ValueError):
        pass
    try:
        position = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(position)
        return end - position
    except (OSError, AttributeError, ValueError):
        return None


def _guess_type(name: str) -> str:
    content_type, encoding = mimetypes.guess_type(name)
    # A ".tar.gz" is sent as the compressed file it is, not as a tarball to be decoded.
    compressed = {
        "gzip": "application/gzip",
        "bzip2": "application/x-bzip",
        "xz": "application/x-xz",
    }
    if encoding in compressed:
        return compressed[encoding]
    return content_type or "application/octet-stream"


def _disposition(as_attachment: bool, name: str) -> str:
    kind = "attachment" if as_attachment else "inline"
    if not name:
        return kind
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        return f"{kind}; filename*=utf-8''{quote(name)}"
    escaped = name.replace("\\", "\\\\").replace('"', r"\"")
    return f'{kind}; filename="{escaped}"'


def _lower(headers: Mapping[str, str]) -> set[str]:
    return {name.lower() for name in headers}
