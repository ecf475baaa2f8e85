"""The dummy email backend: messages are dropped (and counted as sent)."""

from __future__ import annotations

from collections.abc import Sequence

from djanco.core.mail.backends.base import BaseEmailBackend, OutgoingMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND = "djanco.core.mail.backends.dummy.EmailBackend"``."""

    def send_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        return len(list(email_messages))
