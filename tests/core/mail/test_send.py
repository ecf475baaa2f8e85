"""send_mail, send_mass_mail, mail_admins/mail_managers and their async forms, through the
local-memory backend the pytest plugin sets for tests."""

from __future__ import annotations

import pytest

from djanco.conf import Settings, settings
from djanco.core import mail
from djanco.core.exceptions import ImproperlyConfigured
from djanco.core.mail import (
    EmailMessage,
    EmailMultiAlternatives,
    amail_admins,
    asend_mail,
    asend_mass_mail,
    get_connection,
    mail_admins,
    mail_managers,
    send_mail,
    send_mass_mail,
)
from djanco.core.mail.backends.locmem import EmailBackend as LocMemBackend
from tests.http.factory import override_settings


def test_tests_send_to_the_outbox() -> None:
    assert settings.EMAIL_BACKEND == "djanco.core.mail.backends.locmem.EmailBackend"
    assert isinstance(get_connection(), LocMemBackend)


def test_send_mail() -> None:
    sent = send_mail("Subject", "Message.", "from@example.com", ["to@example.com"])

    assert sent == 1
    (message,) = mail.outbox
    assert message.subject == "Subject"
    assert message.to == ["to@example.com"]
    assert message.from_email == "from@example.com"


def test_the_outbox_starts_empty_in_each_test() -> None:
    assert mail.outbox == []


def test_send_mail_with_html() -> None:
    send_mail("Hi", "Plain", None, ["to@example.com"], html_message="<p>HTML</p>")

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives[0].content == "<p>HTML</p>"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_send_mail_refuses_header_injection_and_sends_nothing() -> None:
    with pytest.raises(mail.BadHeaderError):
        send_mail("Hi\nBcc: victim@example.com", "b", None, ["to@example.com"])

    assert mail.outbox == []


async def test_asend_mail() -> None:
    sent = await asend_mail("Async", "Message.", None, ["to@example.com"])

    assert sent == 1
    assert [m.subject for m in mail.outbox] == ["Async"]


async def test_asend_on_a_message() -> None:
    message = EmailMessage("Async", "b", to=["to@example.com"])

    assert await message.asend() == 1
    assert await EmailMessage("Nobody", "b").asend() == 0
    assert [m.subject for m in mail.outbox] == ["Async"]


def test_send_mass_mail() -> None:
    sent = send_mass_mail(
        [
            ("First", "1", None, ["a@example.com"]),
            ("Second", "2", "other@example.com", ["b@example.com", "c@example.com"]),
        ]
    )

    assert sent == 2
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("First", ["a@example.com"]),
        ("Second", ["b@example.com", "c@example.com"]),
    ]


async def test_asend_mass_mail() -> None:
    assert await asend_mass_mail([("One", "1", None, ["a@example.com"])]) == 1
    assert len(mail.outbox) == 1


def test_mail_admins_and_managers() -> None:
    with override_settings(
        ADMINS=["ops@example.com", ("Old Style", "old@example.com")],
        MANAGERS=["boss@example.com"],
        SERVER_EMAIL="server@example.com",
        EMAIL_SUBJECT_PREFIX="[Site] ",
    ):
        mail_admins("Disk full", "Details.", html_message="<p>Details.</p>")
        mail_managers("Report", "Numbers.")

    admins, managers = mail.outbox
    assert admins.subject == "[Site] Disk full"
    assert admins.to == ["ops@example.com", "old@example.com"]
    assert admins.from_email == "server@example.com"
    assert managers.to == ["boss@example.com"]


async def test_amail_admins_without_admins_sends_nothing() -> None:
    await amail_admins("Nobody", "listens")

    assert mail.outbox == []


def test_an_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="no module named"):
        get_connection("djanco.core.mail.backends.nope.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="not a BaseEmailBackend"):
        get_connection("builtins.dict")


def test_settings_refuse_tls_and_ssl_together() -> None:
    with pytest.raises(ValueError, match="EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive"):
        Settings(EMAIL_USE_TLS=True, EMAIL_USE_SSL=True)
