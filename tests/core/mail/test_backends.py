"""The console, file and dummy email backends."""

from __future__ import annotations

import email
import email.policy
import io
from pathlib import Path

import pytest

from djanco.core.exceptions import ImproperlyConfigured
from djanco.core.mail import EmailMessage, get_connection, send_mail
from tests.http.factory import override_settings


def _message(subject: str) -> EmailMessage:
    return EmailMessage(subject, f"Body of {subject}", "from@example.com", ["to@example.com"])


def test_the_console_backend_writes_each_message() -> None:
    stream = io.StringIO()
    connection = get_connection("djanco.core.mail.backends.console.EmailBackend", stream=stream)

    sent = connection.send_messages([_message("One"), _message("Two")])

    assert sent == 2
    text = stream.getvalue()
    assert "Subject: One" in text and "Body of Two" in text
    assert text.count("-" * 79) == 2


def test_the_console_backend_fails_silently_when_asked() -> None:
    connection = get_connection(
        "djanco.core.mail.backends.console.EmailBackend", stream=io.StringIO(), fail_silently=True
    )
    broken = EmailMessage("bad\nsubject", "b", to=["to@example.com"])

    assert connection.send_messages([broken]) == 0


def test_the_file_backend_writes_one_file_per_connection(tmp_path: Path) -> None:
    backend = "djanco.core.mail.backends.filebased.EmailBackend"
    with override_settings(EMAIL_FILE_PATH=tmp_path / "mail"):
        send_mail("First", "one", None, ["a@example.com"], connection=get_connection(backend))
        with get_connection(backend) as connection:
            connection.send_messages([_message("Second"), _message("Third")])

    files = sorted((tmp_path / "mail").iterdir())
    assert len(files) == 2
    texts = sorted(path.read_text() for path in files)
    first = email.message_from_string(texts[0].split("-" * 79)[0], policy=email.policy.default)
    assert first["Subject"] == "First"
    assert "Subject: Second" in texts[1] and "Subject: Third" in texts[1]


def test_the_file_backend_needs_a_directory(tmp_path: Path) -> None:
    backend = "djanco.core.mail.backends.filebased.EmailBackend"
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_FILE_PATH"):
        get_connection(backend)
    with pytest.raises(ImproperlyConfigured, match="is not a directory"):
        get_connection(backend, file_path=not_a_directory)


async def test_the_dummy_backend_sends_nowhere() -> None:
    connection = get_connection("djanco.core.mail.backends.dummy.EmailBackend")

    assert connection.send_messages([_message("One")]) == 1
    assert await connection.asend_messages([_message("Two")]) == 1
