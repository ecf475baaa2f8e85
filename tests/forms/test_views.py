"""A form behind a view, over the test client: show, re-show with errors, accept."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from djanco.conf import Settings
from djanco.test import Client


@pytest.fixture(autouse=True)
def _contact_page(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    settings.ROOT_URLCONF = "tests.forms.urls"
    settings.TEMPLATES.DIRS = [Path(__file__).parent / "templates"]
    caplog.set_level(logging.INFO, logger="tests.forms.urls")


def test_get_shows_the_empty_form(client: Client) -> None:
    response = client.get("/contact/")
    assert response.status_code == 200
    assert '<label for="id_subject">Subject:</label>' in response.text
    assert '<textarea name="message" cols="40" rows="10" required' in response.text
    assert 'aria-describedby="id_sender_helptext"' in response.text


def test_invalid_post_re_renders_with_errors_and_the_typed_values(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post(
        "/contact/",
        {"subject": "<b>Hi</b>", "message": "", "sender": "not-an-address", "cc_myself": "on"},
    )
    assert response.status_code == 200
    html = response.text
    assert 'value="&lt;b&gt;Hi&lt;/b&gt;"' in html
    assert "<b>Hi</b>" not in html
    assert (
        '<ul class="errorlist" id="id_message_error"><li>This field is required.</li></ul>' in html
    )
    assert 'value="not-an-address"' in html
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true" aria-describedby="id_sender_helptext id_sender_error"' in html
    assert 'name="cc_myself" id="id_cc_myself" checked' in html
    assert "Message from" not in caplog.text


def test_valid_post_redirects(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    data = {"subject": "Hi", "message": "Hello", "sender": "ann@example.com"}
    response = client.post("/contact/", data)
    assert response.status_code == 302
    assert response.headers["location"] == "/thanks/"
    assert "Message from ann@example.com: Hi" in caplog.text
