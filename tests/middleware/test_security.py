"""SecurityMiddleware: Host validation, security headers, HSTS and the HTTPS redirect."""

from __future__ import annotations

import logging

import httpx
import pytest

from djanco.asgi import get_asgi_app
from tests.handlers.support import SetSettings


def _client(base_url: str = "http://testserver") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=get_asgi_app()), base_url=base_url)


async def test_unknown_host_is_400_and_logged(
    aclient: httpx.AsyncClient, set_settings: SetSettings, caplog: pytest.LogCaptureFixture
) -> None:
    set_settings(DEBUG=False)
    with caplog.at_level(logging.ERROR, logger="djanco.security"):
        response = await aclient.get("/about/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Bad Request (400)" in response.text
    assert "evil.example" not in response.text
    [record] = [r for r in caplog.records if r.name == "djanco.security.DisallowedHost"]
    assert record.getMessage() == (
        "Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to "
        "ALLOWED_HOSTS."
    )


async def test_unknown_host_with_debug_explains(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/about/", headers={"Host": "evil.example:8000"})
    assert response.status_code == 400
    assert "You may need to add &#x27;evil.example&#x27; to ALLOWED_HOSTS." in response.text


async def test_malformed_host_is_400(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/about/", headers={"Host": "bad host!"})
    assert response.status_code == 400
    assert "not valid according to RFC 1034/1035" in response.text


async def test_bad_host_still_gets_security_headers(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/about/", headers={"Host": "evil.example"})
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("allowed", "host", "status"),
    [
        ([".example.com"], "example.com", 200),
        ([".example.com"], "www.example.com", 200),
        ([".example.com"], "www.example.com:8443", 200),
        ([".example.com"], "badexample.com", 400),
        (["example.com"], "www.example.com", 400),
        (["EXAMPLE.com"], "example.COM", 200),
        (["example.com"], "example.com.", 200),
        (["*"], "anything.test", 200),
        (["[::1]"], "[::1]:8000", 200),
    ],
)
async def test_allowed_hosts_patterns(
    set_settings: SetSettings, allowed: list[str], host: str, status: int
) -> None:
    set_settings(ALLOWED_HOSTS=allowed)
    async with _client() as client:
        response = await client.get("/about/", headers={"Host": host})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("host", "status"), [("localhost", 200), ("127.0.0.1:8000", 200), ("example.com", 400)]
)
async def test_debug_with_empty_allowed_hosts_allows_localhost(
    set_settings: SetSettings, host: str, status: int
) -> None:
    set_settings(ALLOWED_HOSTS=[], DEBUG=True)
    async with _client() as client:
        assert (await client.get("/about/", headers={"Host": host})).status_code == status


async def test_empty_allowed_hosts_without_debug_allows_nothing(set_settings: SetSettings) -> None:
    set_settings(ALLOWED_HOSTS=[], DEBUG=False)
    async with _client() as client:
        assert (await client.get("/about/", headers={"Host": "localhost"})).status_code == 400


async def test_security_headers_are_set(aclient: httpx.AsyncClient) -> None:
    headers = (await aclient.get("/about/")).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "strict-transport-security" not in headers


async def test_headers_set_by_the_view_are_kept(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/framed/")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


async def test_headers_follow_settings(set_settings: SetSettings) -> None:
    set_settings(
        SECURE_CONTENT_TYPE_NOSNIFF=False,
        SECURE_REFERRER_POLICY="strict-origin",
        SECURE_CROSS_ORIGIN_OPENER_POLICY=None,
        X_FRAME_OPTIONS="sameorigin",
    )
    async with _client() as client:
        headers = (await client.get("/about/")).headers
    assert "x-content-type-options" not in headers
    assert headers["referrer-policy"] == "strict-origin"
    assert "cross-origin-opener-policy" not in headers
    assert headers["x-frame-options"] == "SAMEORIGIN"


async def test_hsts_only_on_secure_requests(set_settings: SetSettings) -> None:
    set_settings(
        SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
    )
    async with _client("https://testserver") as client:
        secure = await client.get("/about/")
    async with _client() as client:
        plain = await client.get("/about/")
    assert secure.headers["strict-transport-security"] == (
        "max-age=3600; includeSubDomains; preload"
    )
    assert "strict-transport-security" not in plain.headers


async def test_hsts_trusts_the_proxy_header_when_configured(set_settings: SetSettings) -> None:
    set_settings(SECURE_HSTS_SECONDS=60, SECURE_PROXY_SSL_HEADER=("X-Forwarded-Proto", "https"))
    async with _client() as client:
        response = await client.get("/about/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["strict-transport-security"] == "max-age=60"


async def test_ssl_redirect(set_settings: SetSettings) -> None:
    set_settings(SECURE_SSL_REDIRECT=True)
    async with _client() as client:
        response = await client.get("/docs/a b/?q=1")
    assert response.status_code == 301
    assert response.headers["location"] == "https://testserver/docs/a%20b/?q=1"
    assert response.headers["x-frame-options"] == "DENY"
    async with _client("https://testserver") as client:
        assert (await client.get("/about/")).status_code == 200


async def test_ssl_redirect_host_and_exempt_paths(set_settings: SetSettings) -> None:
    set_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_SSL_HOST="secure.example.com",
        SECURE_REDIRECT_EXEMPT=[r"^exempt/"],
    )
    async with _client() as client:
        redirected = await client.get("/about/")
        exempt = await client.get("/exempt/page/")
    assert redirected.headers["location"] == "https://secure.example.com/about/"
    assert exempt.status_code == 200


async def test_bad_host_is_not_redirected_to_https(set_settings: SetSettings) -> None:
    set_settings(SECURE_SSL_REDIRECT=True)
    async with _client() as client:
        response = await client.get("/about/", headers={"Host": "evil.example"})
    assert response.status_code == 400
