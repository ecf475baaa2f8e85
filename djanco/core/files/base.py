"""``File``: a named binary file object with Django's reading helpers (``chunks()``, ``size``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Self


class File:
    """A binary file object and its name.

    ``read()``, ``seek()``, ``tell()`` and ``close()`` go to the wrapped object; ``chunks()``
    reads it from the start in pieces, so a large file never has to fit in memory.
    """

    DEFAULT_CHUNK_SIZE = 64 * 2**10

    def __init__(self, file: IO[bytes] | None, name: str | None = None) -> None:
        self.file = file
        if name is None:
            found = getattr(file, "name", None)
            name = found if isinstance(found, str) else None
        self.name = name
        self._size: int | None = None

    def __str__(self) -> str:
        return self.name or ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name or 'None'}>"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __len__(self) -> int:
        return self.size

    @property
    def size(self) -> int:
        """The size in bytes (measured once, without moving the read position)."""
        if self._size is None:
            self._size = self._measure()
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._size = value

    def _measure(self) -> int:
        file = self._open_file()
        try:
            return os.fstat(file.fileno()).st_size
        except (AttributeError, OSError, ValueError):  # not backed by a real file (BytesIO)
            position = file.tell()
            size = file.seek(0, os.SEEK_END)
            file.seek(position)
            return size

    def _open_file(self) -> IO[bytes]:
        if self.file is None:
            raise ValueError(f"{self!r} has no file to read.")
        return self.file

    @property
    def closed(self) -> bool:
        return self.file is None or self.file.closed

    def read(self, size: int = -1) -> bytes:
        return self._open_file().read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._open_file().seek(offset, whence)

    def tell(self) -> int:
        return self._open_file().tell()

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The content from the start, ``chunk_size`` bytes (default 64 KiB) at a time."""
        file = self._open_file()
        if file.seekable():
            file.seek(0)
        size = chunk_size or self.DEFAULT_CHUNK_SIZE
        while chunk := file.read(size):
            yield chunk

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Whether ``chunks()`` yields more than one piece (a hint to stream, not read)."""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def __iter__(self) -> Iterator[bytes]:
        """The content line by line, line endings kept."""
        pending = b""
        for chunk in self.chunks():
            lines = (pending + chunk).splitlines(keepends=True)
            # An unfinished last line (or one ending in "\r", perhaps before "\n") waits.
            pending = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
            yield from lines
        if pending:
            yield pending

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
