"""Sending email: ``send_mail`` and friends (with async forms), ``EmailMessage``,
``EmailMultiAlternatives``, the backends, and ``outbox`` (what the local-memory backend,
used in tests, has sent)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from djanco.conf import settings
from djanco.core.exceptions import ImproperlyConfigured
from djanco.core.mail.backends import locmem
from djanco.core.mail.backends.base import BaseEmailBackend, get_connection
from djanco.core.mail.message import (
    DEFAULT_ATTACHMENT_MIME_TYPE,
    BadHeaderError,
    EmailAlternative,
    EmailAttachment,
    EmailMessage,
    EmailMultiAlternatives,
)

__all__ = [
    "DEFAULT_ATTACHMENT_MIME_TYPE",
    "BadHeaderError",
    "BaseEmailBackend",
    "EmailAlternative",
    "EmailAttachment",
    "EmailMessage",
    "EmailMultiAlternatives",
    "amail_admins",
    "amail_managers",
    "asend_mail",
    "asend_mass_mail",
    "get_connection",
    "mail_admins",
    "mail_managers",
    "outbox",
    "send_mail",
    "send_mass_mail",
]

outbox = cast(list[EmailMessage], locmem.outbox)
"""The messages the local-memory backend sent (every test's, with the pytest plugin), in
order; empty it with ``outbox.clear()``."""

MassMessage = tuple[str, str, str | None, Sequence[str]]
"""``(subject, message, from_email, recipient_list)`` for ``send_mass_mail``."""


def _simple_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: Sequence[str],
    fail_silently: bool,
    auth_user: str | None,
    auth_password: str | None,
    connection: BaseEmailBackend | None,
    html_message: str | None,
) -> EmailMultiAlternatives:
    connection = connection or get_connection(
        username=auth_user, password=auth_password, fail_silently=fail_silently
    )
    mail = EmailMultiAlternatives(
        subject, message, from_email, recipient_list, connection=connection
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    return mail


def send_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: Sequence[str],
    *,
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> int:
    """Send one message to ``recipient_list`` (all in To); the number sent (0 or 1).
    ``from_email=None`` uses DEFAULT_FROM_EMAIL; ``html_message`` adds an HTML version."""
    return _simple_mail(
        subject,
        message,
        from_email,
        recipient_list,
        fail_silently,
        auth_user,
        auth_password,
        connection,
        html_message,
    ).send()


async def asend_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: Sequence[str],
    *,
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> int:
    """Async form of ``send_mail``."""
    return await _simple_mail(
        subject,
        message,
        from_email,
        recipient_list,
        fail_silently,
        auth_user,
        auth_password,
        connection,
        html_message,
    ).asend()


def _mass_mail(
    datatuple: Sequence[MassMessage],
    fail_silently: bool,
    auth_user: str | None,
    auth_password: str | None,
    connection: BaseEmailBackend | None,
) -> tuple[BaseEmailBackend, list[EmailMessage]]:
    connection = connection or get_connection(
        username=auth_user, password=auth_password, fail_silently=fail_silently
    )
    messages = [
        EmailMessage(subject, message, sender, recipients, connection=connection)
        for subject, message, sender, recipients in datatuple
    ]
    return connection, messages


def send_mass_mail(
    datatuple: Sequence[MassMessage],
    *,
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
) -> int:
    """Send each ``(subject, message, from_email, recipient_list)`` over one connection; the
    number sent."""
    connection, messages = _mass_mail(
        datatuple, fail_silently, auth_user, auth_password, connection
    )
    return connection.send_messages(messages)


async def asend_mass_mail(
    datatuple: Sequence[MassMessage],
    *,
    fail_silently: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
    connection: BaseEmailBackend | None = None,
) -> int:
    """Async form of ``send_mass_mail``."""
    connection, messages = _mass_mail(
        datatuple, fail_silently, auth_user, auth_password, connection
    )
    return await connection.asend_messages(messages)


def _server_mail(
    setting: str,
    recipients: list[str | tuple[str, str]],
    subject: str,
    message: str,
    html_message: str | None,
    connection: BaseEmailBackend | None,
) -> EmailMultiAlternatives | None:
    """The message to the ADMINS or MANAGERS, or None when the setting is empty."""
    addresses: list[str] = []
    for entry in recipients:
        if isinstance(entry, tuple):  # Django's older (name, address) pairs
            entry = entry[1]
        if not isinstance(entry, str):
            raise ImproperlyConfigured(f"The {setting} setting must be a list of email addresses.")
        addresses.append(entry)
    if not addresses:
        return None
    mail = EmailMultiAlternatives(
        f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        message,
        settings.SERVER_EMAIL,
        addresses,
        connection=connection,
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    return mail


def mail_admins(
    subject: str,
    message: str,
    *,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Email ADMINS (subject prefixed with EMAIL_SUBJECT_PREFIX, from SERVER_EMAIL)."""
    mail = _server_mail("ADMINS", settings.ADMINS, subject, message, html_message, connection)
    if mail is not None:
        mail.send(fail_silently=fail_silently)


async def amail_admins(
    subject: str,
    message: str,
    *,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Async form of ``mail_admins``."""
    mail = _server_mail("ADMINS", settings.ADMINS, subject, message, html_message, connection)
    if mail is not None:
        await mail.asend(fail_silently=fail_silently)


def mail_managers(
    subject: str,
    message: str,
    *,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Email MANAGERS, as ``mail_admins`` emails ADMINS."""
    mail = _server_mail("MANAGERS", settings.MANAGERS, subject, message, html_message, connection)
    if mail is not None:
        mail.send(fail_silently=fail_silently)


async def amail_managers(
    subject: str,
    message: str,
    *,
    fail_silently: bool = False,
    connection: BaseEmailBackend | None = None,
    html_message: str | None = None,
) -> None:
    """Async form of ``mail_managers``."""
    mail = _server_mail("MANAGERS", settings.MANAGERS, subject, message, html_message, connection)
    if mail is not None:
        await mail.asend(fail_silently=fail_silently)
