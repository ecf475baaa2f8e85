"""Email messages: ``EmailMessage`` and ``EmailMultiAlternatives``, built with Python's
``email`` package; a newline in a header (header injection) is refused with BadHeaderError."""

from __future__ import annotations

import email.message
import email.policy
import mimetypes
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.headerregistry import Address, AddressHeader
from email.utils import make_msgid
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from djanco.conf import settings
from djanco.core.mail.backends.base import BaseEmailBackend, get_connection
from djanco.core.mail.dns import dns_name

__all__ = [
    "DEFAULT_ATTACHMENT_MIME_TYPE",
    "BadHeaderError",
    "EmailAlternative",
    "EmailAttachment",
    "EmailMessage",
    "EmailMultiAlternatives",
]

DEFAULT_ATTACHMENT_MIME_TYPE = "application/octet-stream"


class BadHeaderError(ValueError):
    """A header value with a newline: it could add headers of an attacker's choosing."""


class EmailAttachment(NamedTuple):
    filename: str | None
    content: str | bytes
    mimetype: str


class EmailAlternative(NamedTuple):
    content: str | bytes
    mimetype: str


def _refuse_newlines(name: str, value: str) -> None:
    if "\n" in value or "\r" in value:
        raise BadHeaderError(
            f"Header values can't contain newlines (got {value!r} for header {name!r})"
        )


def _address_list(name: str, value: Sequence[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        raise TypeError(f'"{name}" argument must be a list or tuple')
    return list(value)


class EmailMessage:
    """One email, to any number of recipients::

    EmailMessage("Hello", "Body", "from@example.com", ["to@example.com"],
                 cc=[...], bcc=[...], reply_to=[...], headers={"X-Tag": "x"}).send()
    """

    content_subtype = "plain"
    """The body's text subtype: set ``"html"`` for an HTML-only message."""
    encoding: str | None = None
    """Charset of text parts (default: DEFAULT_CHARSET)."""

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        *,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: Sequence[EmailAttachment | tuple[str, str | bytes, str | None]] | None = None,
        headers: Mapping[str, str] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
    ) -> None:
        self.to = _address_list("to", to)
        self.cc = _address_list("cc", cc)
        self.bcc = _address_list("bcc", bcc)
        self.reply_to = _address_list("reply_to", reply_to)
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.subject = subject
        self.body = body or ""
        self.attachments: list[EmailAttachment | email.message.MIMEPart] = []
        for attachment in attachments or ():
            self.attach(*attachment)
        self.extra_headers: dict[str, str] = dict(headers or {})
        self.connection = connection

    def get_connection(self, fail_silently: bool = False) -> BaseEmailBackend:
        """The backend this message is sent with (EMAIL_BACKEND unless one was given)."""
        if self.connection is None:
            self.connection = get_connection(fail_silently=fail_silently)
        return self.connection

    def recipients(self) -> list[str]:
        """Every address the message goes to: To, Cc and Bcc."""
        return [address for address in (*self.to, *self.cc, *self.bcc) if address]

    def send(self, fail_silently: bool = False) -> int:
        """Send the message; the number sent (0 or 1)."""
        if not self.recipients():
            return 0  # no connection for nobody
        return self.get_connection(fail_silently).send_messages([self])

    async def asend(self, fail_silently: bool = False) -> int:
        """Async form of ``send()``: the backend's blocking work runs in a worker thread."""
        if not self.recipients():
            return 0
        return await self.get_connection(fail_silently).asend_messages([self])

    # -- attachments -----------------------------------------------------------------------
    def attach(
        self,
        filename: str | email.message.MIMEPart | None = None,
        content: str | bytes | None = None,
        mimetype: str | None = None,
    ) -> None:
        """Attach ``content`` as a file called ``filename`` (the type guessed from the name
        unless given), or a ready ``email.message.MIMEPart``. Text that is not valid UTF-8
        is attached as ``application/octet-stream``."""
        if isinstance(filename, email.message.MIMEPart):
            if content is not None or mimetype is not None:
                raise ValueError(
                    "content and mimetype must not be given when a MIMEPart instance is provided."
                )
            self.attachments.append(filename)
            return
        if content is None:
            raise ValueError("content must be provided.")
        mimetype = (
            mimetype
            or (mimetypes.guess_type(filename)[0] if filename else None)
            or DEFAULT_ATTACHMENT_MIME_TYPE
        )
        if mimetype.startswith("text/") and isinstance(content, bytes):
            try:
                content = content.decode()
            except UnicodeDecodeError:
                mimetype = DEFAULT_ATTACHMENT_MIME_TYPE
        self.attachments.append(EmailAttachment(filename, content, mimetype))

    def attach_file(self, path: str | Path, mimetype: str | None = None) -> None:
        """Attach the file at ``path`` under its own name."""
        path = Path(path)
        self.attach(path.name, path.read_bytes(), mimetype)

    # -- building --------------------------------------------------------------------------
    def message(
        self, *, policy: email.policy.Policy = email.policy.default
    ) -> email.message.EmailMessage:
        """The message as Python's ``email.message.EmailMessage``, ready to send.

        Raises BadHeaderError if the subject, an address or a header has a newline in it.
        """
        self._check_headers()
        msg = email.message.EmailMessage(policy=policy)
        self._add_bodies(msg)
        self._add_attachments(msg)
        msg["Subject"] = str(self.subject)
        msg["From"] = self.extra_headers.get("From", self.from_email)
        for header, values in (("To", self.to), ("Cc", self.cc), ("Reply-To", self.reply_to)):
            if header in self.extra_headers:
                msg[header] = self.extra_headers[header]
            elif values:
                msg[header] = ", ".join(values)
        given = {name.lower() for name in self.extra_headers}
        if "date" not in given:
            zone = ZoneInfo(settings.TIME_ZONE) if settings.EMAIL_USE_LOCALTIME else UTC
            msg["Date"] = datetime.now(zone)
        if "message-id" not in given:
            msg["Message-ID"] = make_msgid(domain=dns_name())
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                msg[name] = value
        _idna_encode_domains(msg)
        return msg

    def _check_headers(self) -> None:
        _refuse_newlines("Subject", str(self.subject))
        _refuse_newlines("From", self.from_email)
        for header, values in (
            ("To", self.to),
            ("Cc", self.cc),
            ("Bcc", self.bcc),
            ("Reply-To", self.reply_to),
        ):
            for value in values:
                _refuse_newlines(header, value)
        for name, value in self.extra_headers.items():
            _refuse_newlines(name, name)
            _refuse_newlines(name, str(value))

    def _add_bodies(self, msg: email.message.EmailMessage) -> None:
        if self.body or not self.attachments:
            charset = self.encoding or settings.DEFAULT_CHARSET
            msg.set_content(self.body, subtype=self.content_subtype, charset=charset)

    def _add_attachments(self, msg: email.message.EmailMessage) -> None:
        if not self.attachments:
            return
        msg.make_mixed()
        for attachment in self.attachments:
            if isinstance(attachment, email.message.MIMEPart):
                msg.attach(attachment)  # type: ignore[arg-type]  # typeshed asks for an EmailMessage; any part works
                continue
            filename, content, mimetype = attachment
            maintype, _, subtype = mimetype.partition("/")
            if maintype == "text" and isinstance(content, str):
                charset = self.encoding or settings.DEFAULT_CHARSET
                msg.add_attachment(content, subtype=subtype, filename=filename, charset=charset)
            else:
                data = content.encode() if isinstance(content, str) else content
                msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)


class EmailMultiAlternatives(EmailMessage):
    """An email with other versions of its body, typically text plus HTML::

    message = EmailMultiAlternatives("Hi", "Plain text", to=["a@example.com"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    """

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        *,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: Sequence[EmailAttachment | tuple[str, str | bytes, str | None]] | None = None,
        headers: Mapping[str, str] | None = None,
        alternatives: Sequence[EmailAlternative | tuple[str | bytes, str]] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            subject,
            body,
            from_email,
            to,
            bcc=bcc,
            connection=connection,
            attachments=attachments,
            headers=headers,
            cc=cc,
            reply_to=reply_to,
        )
        self.alternatives = [EmailAlternative(*alternative) for alternative in alternatives or ()]

    def attach_alternative(self, content: str | bytes, mimetype: str) -> None:
        """Add another version of the body, e.g. ``("<p>Hi</p>", "text/html")``."""
        self.alternatives.append(EmailAlternative(content, mimetype))

    def body_contains(self, text: str) -> bool:
        """Whether ``text`` is in the body and in every text alternative (for tests)."""
        if text not in self.body:
            return False
        return all(
            text in (content if isinstance(content, str) else content.decode())
            for content, mimetype in self.alternatives
            if mimetype.startswith("text/")
        )

    def _add_bodies(self, msg: email.message.EmailMessage) -> None:
        if self.body or not self.alternatives:
            super()._add_bodies(msg)
        if not self.alternatives:
            return
        msg.make_alternative()
        charset = self.encoding or settings.DEFAULT_CHARSET
        for content, mimetype in self.alternatives:
            maintype, _, subtype = mimetype.partition("/")
            if maintype == "text":
                text = content if isinstance(content, str) else content.decode()
                msg.add_alternative(text, subtype=subtype, charset=charset)
            else:
                data = content.encode() if isinstance(content, str) else content
                msg.add_alternative(data, maintype=maintype, subtype=subtype)


def _idna_encode_domains(msg: email.message.EmailMessage) -> None:
    """Put non-ASCII domains of address headers in their IDNA form (``xn--…``): without
    SMTPUTF8 Python would otherwise encode them as RFC 2047 words, which servers refuse."""
    if getattr(msg.policy, "utf8", False):
        return
    for name, value in msg.items():
        if isinstance(value, AddressHeader) and any(
            not address.domain.isascii() for address in value.addresses
        ):
            msg.replace_header(
                name,
                [
                    Address(
                        display_name=address.display_name,
                        username=address.username,
                        domain=address.domain.encode("idna").decode("ascii"),
                    )
                    for address in value.addresses
                ],
            )
