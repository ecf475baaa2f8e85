"""ContentSecurityPolicyMiddleware: SECURE_CSP and SECURE_CSP_REPORT_ONLY as headers, the
per-request nonce in templates, and the views' own policies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.test import Client
from djanco.utils.csp import CSP
from djanco.views.decorators.csp import csp_override
from tests.handlers.support import SetSettings

POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "img-src": {"data:", CSP.SELF},
}


@pytest.fixture(autouse=True)
def _csp_site(set_settings: SetSettings) -> None:
    set_settings(
        ROOT_URLCONF="tests.middleware.urls_csp",
        MIDDLEWARE=["djanco.middleware.csp.ContentSecurityPolicyMiddleware"],
        TEMPLATES={"DIRS": [Path(__file__).parent / "templates"]},
        SECURE_CSP=POLICY,
    )


@pytest.fixture
def client() -> Iterator[Client]:
    with Client() as test_client:
        yield test_client


def test_the_policy_gets_the_nonce_the_page_used(client: Client) -> None:
    response = client.get("/script/")
    nonces = re.findall(r'nonce="([^"]+)"', response.text)
    assert len(nonces) == 2 and nonces[0] == nonces[1]  # one nonce per request
    assert response.headers["content-security-policy"] == (
        f"default-src 'self'; script-src 'self' 'nonce-{nonces[0]}'; img-src 'self' data:"
    )
    again = re.findall(r'nonce="([^"]+)"', client.get("/script/").text)
    assert again[0] != nonces[0]  # and a new one for the next


def test_a_page_without_the_nonce_gets_a_policy_without_it(client: Client) -> None:
    response = client.get("/maybe/")
    assert "no nonce" in response.text  # {% if csp_nonce %} is false until used
    assert response.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; img-src 'self' data:"
    )


def test_report_only_and_empty_policies(client: Client, set_settings: SetSettings) -> None:
    set_settings(
        SECURE_CSP={}, SECURE_CSP_REPORT_ONLY={"default-src": [CSP.NONE], "report-uri": "/csp/"}
    )
    response = client.get("/maybe/")
    assert "content-security-policy" not in response.headers
    assert response.headers["content-security-policy-report-only"] == (
        "default-src 'none'; report-uri /csp/"
    )


def test_directives_without_value_and_left_out(client: Client, set_settings: SetSettings) -> None:
    set_settings(
        SECURE_CSP={"upgrade-insecure-requests": True, "frame-src": None, "base-uri": False}
    )
    assert client.get("/maybe/").headers["content-security-policy"] == "upgrade-insecure-requests"


def test_a_header_the_view_set_is_kept(client: Client) -> None:
    assert client.get("/own-header/").headers["content-security-policy"] == "default-src 'none'"


def test_a_view_s_own_policy_replaces_the_setting(client: Client) -> None:
    assert client.get("/framed/").headers["content-security-policy"] == (
        "default-src 'self'; frame-src https://maps.example"
    )
    assert "content-security-policy" not in client.get("/unprotected/").headers
    trial = client.get("/trial/")
    nonce = re.findall(r'nonce="([^"]+)"', trial.text)[0]
    assert (
        trial.headers["content-security-policy-report-only"] == f"script-src 'self' 'nonce-{nonce}'"
    )
    assert "'nonce-" in trial.headers["content-security-policy"]  # the setting's, same nonce
    assert (
        client.get("/maybe/").headers["content-security-policy"].startswith("default-src 'self';")
    )


def test_without_the_middleware_there_is_no_header_and_no_nonce(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=[])
    response = client.get("/maybe/")
    assert "no nonce" in response.text
    assert "content-security-policy" not in response.headers


def test_a_policy_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match=r"CSP config should be a mapping\."):
        csp_override(["default-src 'self'"])  # type: ignore[arg-type]
