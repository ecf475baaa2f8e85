"""The local-memory email backend: sent messages are appended to ``djanco.core.mail.outbox``
(the test plugin uses it for every test and empties the outbox before each)."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from djanco.core.mail.backends.base import BaseEmailBackend, OutgoingMessage

__all__ = ["EmailBackend", "outbox"]

outbox: list[OutgoingMessage] = []
"""Every message sent with this backend, in order (``djanco.core.mail.outbox``)."""


class EmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND = "djanco.core.mail.backends.locmem.EmailBackend"``."""

    def send_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        count = 0
        for message in email_messages:
            message.message()  # the checks of a real send (header injection) run here too
            outbox.append(copy.deepcopy(message))
            count += 1
        return count
