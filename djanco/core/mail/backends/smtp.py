"""The SMTP email backend (the default): sends through EMAIL_HOST with smtplib, over
STARTTLS (EMAIL_USE_TLS) or implicit TLS (EMAIL_USE_SSL), verifying the server's certificate."""

from __future__ import annotations

import email.policy
import smtplib
import ssl
import threading
from collections.abc import Sequence
from email.headerregistry import AddressHeader
from functools import cached_property
from pathlib import Path
from typing import Any

from djanco.conf import settings
from djanco.core.mail.backends.base import BaseEmailBackend, OutgoingMessage
from djanco.core.mail.dns import dns_name

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND = "djanco.core.mail.backends.smtp.EmailBackend"``; each argument
    defaults to its EMAIL_* setting."""

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool | None = None,
        fail_silently: bool = False,
        use_ssl: bool | None = None,
        timeout: float | None = None,
        ssl_keyfile: str | Path | None = None,
        ssl_certfile: str | Path | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(fail_silently=fail_silently)
        self.host = host or settings.EMAIL_HOST
        self.port = port or settings.EMAIL_PORT
        self.username = settings.EMAIL_HOST_USER if username is None else username
        self.password = settings.EMAIL_HOST_PASSWORD if password is None else password
        self.use_tls = settings.EMAIL_USE_TLS if use_tls is None else use_tls
        self.use_ssl = settings.EMAIL_USE_SSL if use_ssl is None else use_ssl
        self.timeout = settings.EMAIL_TIMEOUT if timeout is None else timeout
        self.ssl_keyfile = settings.EMAIL_SSL_KEYFILE if ssl_keyfile is None else ssl_keyfile
        self.ssl_certfile = settings.EMAIL_SSL_CERTFILE if ssl_certfile is None else ssl_certfile
        if self.use_ssl and self.use_tls:
            raise ValueError(
                "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those "
                "settings to True."
            )
        self.connection: smtplib.SMTP | None = None
        self._lock = threading.RLock()

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        """Verifies the server against the system's certificate authorities (and presents
        EMAIL_SSL_CERTFILE/KEYFILE when set)."""
        context = ssl.create_default_context()
        if self.ssl_certfile or self.ssl_keyfile:
            context.load_cert_chain(
                str(self.ssl_certfile), self.ssl_keyfile and str(self.ssl_keyfile)
            )
        return context

    def open(self) -> bool | None:
        """Connect (and log in); False if already connected, None if it failed silently."""
        if self.connection is not None:
            return False
        # Without EMAIL_TIMEOUT, smtplib's own default (the socket default timeout) applies.
        timeout: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
        try:
            if self.use_ssl:
                self.connection = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    local_hostname=dns_name(),
                    context=self.ssl_context,
                    **timeout,
                )
            else:
                self.connection = smtplib.SMTP(
                    self.host, self.port, local_hostname=dns_name(), **timeout
                )
                if self.use_tls:
                    self.connection.starttls(context=self.ssl_context)
            if self.username and self.password:
                self.connection.login(self.username, self.password)
        except (OSError, smtplib.SMTPException):
            self._drop_connection()
            if not self.fail_silently:
                raise
            return None
        return True

    def _drop_connection(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def close(self) -> None:
        """Say QUIT and close the connection."""
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (ssl.SSLError, smtplib.SMTPServerDisconnected):
            # The server may drop a TLS connection, or have dropped it already.
            self.connection.close()
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
        finally:
            self.connection = None

    def send_messages(self, email_messages: Sequence[OutgoingMessage]) -> int:
        if not email_messages:
            return 0
        with self._lock:
            new_connection = self.open()
            if self.connection is None or new_connection is None:
                return 0  # could not connect, silently
            sent = 0
            try:
                for message in email_messages:
                    if self._send(message):
                        sent += 1
            finally:
                if new_connection:
                    self.close()
        return sent

    def _send(self, message: OutgoingMessage) -> bool:
        recipients = message.recipients()
        if not recipients:
            return False
        assert self.connection is not None
        from_address = _envelope_address(message.from_email)
        to_addresses = [_envelope_address(address) for address in recipients]
        data = message.message(policy=email.policy.SMTP).as_bytes()
        try:
            self.connection.sendmail(from_address, to_addresses, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


def _envelope_address(address: str) -> str:
    """The bare ``user@domain`` of ``"Name <user@domain>"`` for the SMTP envelope, its domain
    in IDNA form; ValueError if it is not exactly one valid address."""
    parsed = AddressHeader.value_parser(address)
    defects = {str(defect) for defect in parsed.all_defects}
    defects.discard("addr-spec local part with no domain")  # local mailboxes ("webmaster")
    if defects:
        raise ValueError(f"Invalid address {address!r}: {'; '.join(sorted(defects))}")
    mailboxes = parsed.all_mailboxes
    if len(mailboxes) != 1:
        raise ValueError(f"Invalid address {address!r}: must be a single address")
    mailbox = mailboxes[0]
    if not mailbox.domain:
        return str(mailbox.local_part)
    domain = mailbox.domain.encode("idna").decode("ascii")
    return f"{mailbox.local_part}@{domain}"
