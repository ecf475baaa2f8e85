"""EmailMessage and EmailMultiAlternatives: what the built message holds, and header
injection refused."""

from __future__ import annotations

import email
import email.message
from email.headerregistry import Address
from pathlib import Path

import pytest

from djanco.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from tests.http.factory import override_settings


def _text(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_headers_and_body() -> None:
    message = EmailMessage(
        "Hello",
        "Body text",
        "Site <site@example.com>",
        ["a@example.com", "B <b@example.com>"],
        cc=["c@example.com"],
        bcc=["hidden@example.com"],
        reply_to=["replies@example.com"],
        headers={"X-Campaign": "spring"},
    )

    built = message.message()

    assert built["Subject"] == "Hello"
    assert built["From"] == "Site <site@example.com>"
    assert built["To"] == "a@example.com, B <b@example.com>"
    assert built["Cc"] == "c@example.com"
    assert built["Reply-To"] == "replies@example.com"
    assert built["X-Campaign"] == "spring"
    assert "Bcc" not in built
    assert built["Message-ID"] and built["Date"]
    assert built.get_content_type() == "text/plain"
    assert _text(built) == "Body text\n"
    assert message.recipients() == [
        "a@example.com",
        "B <b@example.com>",
        "c@example.com",
        "hidden@example.com",
    ]


def test_the_default_sender_is_default_from_email() -> None:
    with override_settings(DEFAULT_FROM_EMAIL="noreply@example.com"):
        assert EmailMessage("s", "b", to=["a@example.com"]).message()["From"] == (
            "noreply@example.com"
        )


def test_headers_may_override_from_and_to() -> None:
    message = EmailMessage(
        "s",
        "b",
        "bounce@example.com",
        ["list-member@example.com"],
        headers={"From": "Editor <editor@example.com>", "To": "list@example.com"},
    )

    built = message.message()

    assert built["From"] == "Editor <editor@example.com>"
    assert built["To"] == "list@example.com"
    assert message.recipients() == ["list-member@example.com"]  # the envelope stays


def test_a_string_instead_of_a_list_of_addresses_is_refused() -> None:
    with pytest.raises(TypeError, match='"to" argument must be a list or tuple'):
        EmailMessage("s", "b", to="a@example.com")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "message",
    [
        EmailMessage("Subject\nBcc: victim@example.com", "b", to=["a@example.com"]),
        EmailMessage("s", "b", "me@example.com\r\nBcc: victim@example.com", ["a@example.com"]),
        EmailMessage("s", "b", to=["a@example.com\nBcc: victim@example.com"]),
        EmailMessage("s", "b", to=["a@example.com"], reply_to=["r@example.com\n"]),
        EmailMessage("s", "b", to=["a@example.com"], headers={"X-Tag": "a\r\nBcc: v@example.com"}),
    ],
    ids=["subject", "from", "to", "reply-to", "extra header"],
)
def test_a_newline_in_a_header_is_refused(message: EmailMessage) -> None:
    with pytest.raises(BadHeaderError, match="Header values can't contain newlines"):
        message.message()


def test_bad_header_error_is_a_value_error() -> None:
    assert issubclass(BadHeaderError, ValueError)


def test_text_and_html_alternatives() -> None:
    message = EmailMultiAlternatives("Hi", "Plain version", to=["a@example.com"])
    message.attach_alternative("<p>HTML version</p>", "text/html")

    built = message.message()

    assert built.get_content_type() == "multipart/alternative"
    plain, html = built.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert _text(plain) == "Plain version\n"
    assert html.get_content_type() == "text/html"
    assert _text(html) == "<p>HTML version</p>\n"
    assert not message.body_contains("HTML")
    assert message.body_contains("version")


def test_attachments(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")
    message = EmailMultiAlternatives("Files", "See attached.", to=["a@example.com"])
    message.attach_alternative("<p>See attached.</p>", "text/html")
    message.attach("logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    message.attach_file(report)
    message.attach("notes.txt", b"\xff\xfe not utf-8")

    built = message.message()

    assert built.get_content_type() == "multipart/mixed"
    body, logo, csv, notes = built.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert logo.get_filename() == "logo.png"
    assert logo.get_payload(decode=True) == b"\x89PNG\r\n\x1a\n"
    assert csv.get_filename() == "report.csv"
    assert csv.get_content_type() == "text/csv"
    assert _text(csv) == "a,b\n1,2\n"
    assert notes.get_content_type() == "application/octet-stream"  # text that is not UTF-8


def test_a_non_ascii_subject_and_domain_are_encoded() -> None:
    message = EmailMessage("Café ☕", "b", "ich@bücher.example", ["you@example.com"])

    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)

    assert raw.isascii()
    assert parsed["Subject"] == "Café ☕"
    assert parsed["From"].addresses[0] == Address(username="ich", domain="xn--bcher-kva.example")


def test_html_only_message() -> None:
    message = EmailMessage("s", "<b>bold</b>", to=["a@example.com"])
    message.content_subtype = "html"

    assert message.message().get_content_type() == "text/html"
