"""Uploaded files: what a form's ``files`` mapping holds for each ``<input type="file">``."""

from __future__ import annotations

import io
import os
from typing import IO

from djanco.core.files.base import File

_MAX_NAME_LENGTH = 255


class UploadedFile(File):
    """A file sent by a client: its content, the name it had there, its declared type.

    ``name`` is reduced to its last path component (no directories from the client survive)
    and at most 255 characters, keeping the extension. ``content_type`` and ``charset`` are
    what the client claimed: never trust them for security decisions.
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


class SimpleUploadedFile(UploadedFile):
    """An upload held in memory, mostly for tests: ``SimpleUploadedFile("a.txt", b"hi")``."""

    def __init__(self, name: str, content: bytes | None, content_type: str = "text/plain") -> None:
        data = content or b""
        super().__init__(io.BytesIO(data), name, content_type, len(data))


def _safe_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = os.path.basename(name.replace("\\", "/"))
    if name in {".", ".."}:
        return ""
    if len(name) > _MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext[:_MAX_NAME_LENGTH]
        name = stem[: _MAX_NAME_LENGTH - len(ext)] + ext
    return name
