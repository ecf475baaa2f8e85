"""The file email backend: the messages of each connection go to a new file in
EMAIL_FILE_PATH."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TextIO

from djanco.conf import settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.core.mail.backends.base import OutgoingMessage
from djanco.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

__all__ = ["EmailBackend"]


class EmailBackend(ConsoleEmailBackend):
    """``EMAIL_BACKEND = "djanco.core.mail.backends.filebased.EmailBackend"``: messages are
    written as the console backend writes them, into ``<timestamp>-<id>.log`` files."""

    def __init__(
        self, *args: object, file_path: str | Path | None = None, fail_silently: bool = False
    ) -> None:
        directory = file_path if file_path is not None else settings.EMAIL_FILE_PATH
        if directory is None:
            raise ImproperlyConfigured("The file email backend needs EMAIL_FILE_PATH.")
        self.file_path = Path(directory).resolve()
        if self.file_path.exists() and not self.file_path.is_dir():
            raise ImproperlyConfigured(
                f"EMAIL_FILE_PATH {str(self.file_path)!r} exists and is not a directory."
            )
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"Could not create EMAIL_FILE_PATH {str(self.file_path)!r}: {exc}"
            ) from exc
        if not os.access(self.file_path, os.W_OK):
            raise ImproperlyConfigured(f"EMAIL_FILE_PATH {str(self.file_path)!r} is not writable.")
        self._file: TextIO | None = None
        self._filename: Path | None = None
        super().__init__(stream=None, fail_silently=fail_silently)

    def write_message(self, message: OutgoingMessage) -> None:
        assert self._file is not None
        self.stream = self._file
        super().write_message(message)

    def _get_filename(self) -> Path:
        """The file of this connection (one per connection, named by time and identity)."""
        if self._filename is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            self._filename = self.file_path / f"{stamp}-{id(self)}.log"
        return self._filename

    def open(self) -> bool:
        if self._file is None:
            self._file = self._get_filename().open("a", encoding="utf-8")
            return True
        return False

    def close(self) -> None:
        try:
            if self._file is not None:
                self._file.close()
        finally:
            self._file = None
