"""The console email backend: each message is written to standard output (development)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from djanco.core.mail.backends.base import BaseEmailBackend, OutgoingMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND = "djanco.core.mail.backends.console.EmailBackend"``: messages are
    printed as sent, each followed by a line of dashes (``stream=`` writes elsewhere)."""

    def __init__(
        self, *args: object, stream: TextIO | None = None, fail_silently: bool = False
    ) -> None:
        super().__init__(fail_silently=fail_silently)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def write_message(self, message: OutgoingMessage) -> None:
        text = message.message().as_bytes().decode()
        self.stream.write(f"{text}\n{'-' * 79}\n")

    def send_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        sent = 0
        with self._lock:
            try:
                stream_created = self.open()
                for message in email_messages:
                    self.write_message(message)
                    self.stream.flush()
                    sent += 1
                if stream_created:
                    self.close()
            except Exception:
                if not self.fail_silently:
                    raise
        return sent
