"""Uploaded files: what a form's ``files`` mapping holds for each ``<input type="file">``."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from typing import IO

from djanco.conf import settings
from djanco.core.files.base import File

_MAX_NAME_LENGTH = 255


class UploadedFile(File):
    """A file sent by a client: its content, the name it had there, its declared type.

    ``name`` is reduced to its last path component (no directories from the client survive),
    without NUL or other control characters, and at most 255 characters, keeping the
    extension. ``content_type`` and ``charset`` are what the client claimed: never trust them
    for security decisions.
    """

    def __init__(
        self,
        file: IO[bytes] | None = None,
        name: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        charset: str | None = None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(file, _safe_name(name))
        if size is not None:
            self.size = size
        self.content_type = content_type
        self.charset = charset
        self.content_type_extra = content_type_extra or {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name} ({self.content_type})>"


class InMemoryUploadedFile(UploadedFile):
    """An upload small enough to be kept in memory (up to FILE_UPLOAD_MAX_MEMORY_SIZE).

    ``field_name`` is the form field it was sent as.
    """

    def __init__(
        self,
        file: IO[bytes],
        field_name: str | None,
        name: str | None,
        content_type: str | None,
        size: int | None,
        charset: str | None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(file, name, content_type, size, charset, content_type_extra)
        self.field_name = field_name


class TemporaryUploadedFile(UploadedFile):
    """An upload written to a temporary file (in FILE_UPLOAD_TEMP_DIR, or the system's).

    ``temporary_file_path()`` is where it is: a storage may move the file from there instead
    of copying it. Closing the upload deletes the file unless it was moved away.
    """

    def __init__(
        self,
        name: str | None,
        content_type: str | None,
        size: int | None,
        charset: str | None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by close()
            suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        super().__init__(temporary, name, content_type, size, charset, content_type_extra)
        self._path = temporary.name

    def temporary_file_path(self) -> str:
        """The path of the temporary file holding the content."""
        return self._path

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):  # moved away (by a storage) already
            super().close()


class SimpleUploadedFile(InMemoryUploadedFile):
    """An upload held in memory, mostly for tests: ``SimpleUploadedFile("a.txt", b"hi")``."""

    def __init__(self, name: str, content: bytes | None, content_type: str = "text/plain") -> None:
        data = content or b""
        super().__init__(io.BytesIO(data), None, name, content_type, len(data), None)


def _safe_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = os.path.basename(name.replace("\\", "/"))
    # NUL ends a name for the C library; other control and format characters (such as a
    # right-to-left override) only serve to disguise a name.
    name = "".join(char for char in name if char.isprintable())
    if name in {".", ".."}:
        return ""
    if len(name) > _MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext[:_MAX_NAME_LENGTH]
        name = stem[: _MAX_NAME_LENGTH - len(ext)] + ext
    return name
