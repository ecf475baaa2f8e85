"""The SMTP backend against a real SMTP server (aiosmtpd) started by the tests: plain,
STARTTLS with login, and implicit TLS, with a certificate authority the test makes."""

from __future__ import annotations

import email
import email.message
import email.policy
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from djanco.core.mail import EmailMessage, asend_mail, get_connection, send_mail, send_mass_mail
from djanco.core.mail.backends.base import BaseEmailBackend
from tests.cli.conftest import free_port
from tests.http.factory import override_settings

SMTP_BACKEND = "djanco.core.mail.backends.smtp.EmailBackend"


@dataclass
class Inbox:
    """What the server received: one envelope per message."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def message(self, index: int = 0) -> email.message.EmailMessage:
        content = self.envelopes[index].content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


def _check_login(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"mailer"
        and auth_data.password == b"s3cret"
    )
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


@dataclass
class Server:
    port: int
    inbox: Inbox
    controller: Controller


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted_ca(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the test's certificate authority the one the client trusts."""
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def _start(**options: object) -> Iterator[Server]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield Server(port, inbox, controller)
    finally:
        controller.stop()


@pytest.fixture
def plain_server() -> Iterator[Server]:
    yield from _start()


@pytest.fixture
def starttls_server(ca: trustme.CA) -> Iterator[Server]:
    """Requires STARTTLS before anything else, and a login (only over TLS)."""
    yield from _start(
        tls_context=_server_context(ca),
        require_starttls=True,
        authenticator=_check_login,
        auth_require_tls=True,
    )


@pytest.fixture
def ssl_server(ca: trustme.CA) -> Iterator[Server]:
    yield from _start(server_hostname="127.0.0.1", ssl_context=_server_context(ca))


def _smtp(port: int, **options: object) -> BaseEmailBackend:
    return get_connection(SMTP_BACKEND, host="127.0.0.1", port=port, timeout=10, **options)


def test_a_message_reaches_the_server(plain_server: Server) -> None:
    message = EmailMessage(
        "Hello",
        "Body",
        "Site <site@example.com>",
        ["a@example.com"],
        cc=["c@example.com"],
        bcc=["hidden@example.com"],
        connection=_smtp(plain_server.port),
    )

    assert message.send() == 1

    (envelope,) = plain_server.inbox.envelopes
    assert envelope.mail_from == "site@example.com"
    assert envelope.rcpt_tos == ["a@example.com", "c@example.com", "hidden@example.com"]
    received = plain_server.inbox.message()
    assert received["Subject"] == "Hello"
    assert received["To"] == "a@example.com"
    assert "Bcc" not in received
    assert received.get_content().strip() == "Body"


def test_send_mass_mail_uses_one_connection(plain_server: Server) -> None:
    sent = send_mass_mail(
        [("One", "1", None, ["a@example.com"]), ("Two", "2", None, ["b@example.com"])],
        connection=_smtp(plain_server.port),
    )

    assert sent == 2
    assert [e.rcpt_tos for e in plain_server.inbox.envelopes] == [
        ["a@example.com"],
        ["b@example.com"],
    ]


def test_starttls_and_login(starttls_server: Server, trusted_ca: None) -> None:
    connection = _smtp(starttls_server.port, use_tls=True, username="mailer", password="s3cret")

    sent = send_mail(
        "Secure",
        "Over TLS",
        "site@example.com",
        ["a@example.com"],
        connection=connection,
        html_message="<p>Over TLS</p>",
    )

    assert sent == 1
    received = starttls_server.inbox.message()
    assert received["Subject"] == "Secure"
    assert received.get_content_type() == "multipart/alternative"


def test_a_wrong_password_is_refused(starttls_server: Server, trusted_ca: None) -> None:
    connection = _smtp(starttls_server.port, use_tls=True, username="mailer", password="wrong")

    with pytest.raises(smtplib.SMTPAuthenticationError):
        send_mail("s", "b", None, ["a@example.com"], connection=connection)
    assert starttls_server.inbox.envelopes == []


def test_an_untrusted_certificate_is_refused(starttls_server: Server) -> None:
    connection = _smtp(starttls_server.port, use_tls=True)

    with pytest.raises(ssl.SSLCertVerificationError):
        send_mail("s", "b", None, ["a@example.com"], connection=connection)
    assert starttls_server.inbox.envelopes == []


def test_implicit_tls(ssl_server: Server, trusted_ca: None) -> None:
    connection = _smtp(ssl_server.port, use_ssl=True)

    assert send_mail("Implicit", "TLS", None, ["a@example.com"], connection=connection) == 1
    assert ssl_server.inbox.message()["Subject"] == "Implicit"


async def test_asend_mail_over_smtp(plain_server: Server) -> None:
    sent = await asend_mail(
        "Async", "Body", None, ["a@example.com"], connection=_smtp(plain_server.port)
    )

    assert sent == 1
    assert plain_server.inbox.message()["Subject"] == "Async"


def test_a_server_that_is_down(plain_server: Server) -> None:
    port = free_port()  # nothing listens there

    with pytest.raises(ConnectionRefusedError):
        send_mail("s", "b", None, ["a@example.com"], connection=_smtp(port))
    assert (
        send_mail("s", "b", None, ["a@example.com"], connection=_smtp(port, fail_silently=True))
        == 0
    )


def test_settings_configure_the_backend(plain_server: Server) -> None:
    with override_settings(
        EMAIL_BACKEND=SMTP_BACKEND, EMAIL_HOST="127.0.0.1", EMAIL_PORT=plain_server.port
    ):
        assert send_mail("From settings", "b", None, ["a@example.com"]) == 1

    assert plain_server.inbox.message()["Subject"] == "From settings"


def test_tls_and_ssl_together_are_refused() -> None:
    with pytest.raises(ValueError, match="mutually exclusive"):
        _smtp(25, use_tls=True, use_ssl=True)
