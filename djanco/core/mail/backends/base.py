"""``BaseEmailBackend``, what every email backend provides, and ``get_connection``."""

from __future__ import annotations

import email.message
import email.policy
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

import anyio.to_thread

from djanco.conf import settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.module_loading import import_string

__all__ = ["BaseEmailBackend", "OutgoingMessage", "get_connection"]


class OutgoingMessage(Protocol):
    """What a backend needs of a message (``djanco.core.mail.EmailMessage`` has it)."""

    from_email: str

    def recipients(self) -> list[str]: ...

    def message(
        self, *, policy: email.policy.Policy = email.policy.default
    ) -> email.message.EmailMessage: ...


class BaseEmailBackend:
    """Sends messages somewhere. Subclasses implement ``send_messages``; ``open``/``close``
    manage a connection kept across several sends (``with get_connection() as c: ...``).

    ``fail_silently=True`` asks the backend to swallow its errors (the message is then not
    sent), as in Django.
    """

    def __init__(self, fail_silently: bool = False, **kwargs: object) -> None:
        self.fail_silently = fail_silently

    def open(self) -> bool | None:
        """Open a connection to reuse for several sends; whether one was opened."""
        return None

    def close(self) -> None:
        """Close the connection ``open()`` made."""

    def __enter__(self) -> Self:
        try:
            self.open()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        """Send the messages; the number sent."""
        raise NotImplementedError("subclasses of BaseEmailBackend must provide send_messages()")

    async def asend_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        """Async form of ``send_messages``: the blocking sending runs in a worker thread, so
        the event loop keeps serving meanwhile."""
        return await anyio.to_thread.run_sync(self.send_messages, list(email_messages))


def get_connection(
    backend: str | None = None, *, fail_silently: bool = False, **kwargs: object
) -> BaseEmailBackend:
    """An instance of the email backend at dotted path ``backend`` (default: EMAIL_BACKEND);
    the keyword arguments go to its constructor."""
    path = backend or settings.EMAIL_BACKEND
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, BaseEmailBackend)):
        raise ImproperlyConfigured(f"Email backend {path!r} is not a BaseEmailBackend subclass.")
    return cls(fail_silently=fail_silently, **kwargs)
