"""CsrfViewMiddleware: the cookie, the masked token in pages, the checks of unsafe requests
(token, Origin, Referer on HTTPS), the 403 page, and what the test client skips."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from djanco.conf import settings
from djanco.middleware.csrf import CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH
from djanco.test import Client
from tests.handlers.support import SetSettings
from tests.middleware.urls_csrf import SESSIONS

MIDDLEWARE = [
    "djanco.middleware.security.SecurityMiddleware",
    "djanco.middleware.common.CommonMiddleware",
    "djanco.middleware.csrf.CsrfViewMiddleware",
]
TEMPLATES = {"DIRS": [Path(__file__).parent / "templates"]}
TOKEN_IN_PAGE = re.compile(r'value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _csrf_site(set_settings: SetSettings) -> None:
    set_settings(
        ROOT_URLCONF="tests.middleware.urls_csrf", MIDDLEWARE=MIDDLEWARE, TEMPLATES=TEMPLATES
    )


@pytest.fixture
def client() -> Iterator[Client]:
    """A browser-like client: it sends CSRF tokens only when the test does."""
    with Client(enforce_csrf_checks=True) as test_client:
        yield test_client


def token_of(page: str) -> str:
    match = TOKEN_IN_PAGE.search(page)
    assert match is not None, page
    return match[1]


def unmask(token: str) -> str:
    """The secret inside a masked token (the inverse of the middleware's masking)."""
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return "".join(
        chars[chars.index(c) - chars.index(m)] for c, m in zip(cipher, mask, strict=True)
    )


def visit_form(client: Client, path: str = "/form/") -> str:
    """GET the form page like a browser; the token the page holds."""
    response = client.get(path)
    assert response.status_code == 200
    return token_of(response.text)


# -- the cookie and the token --------------------------------------------------------------


def test_a_form_page_sets_the_cookie_and_holds_a_masked_token(client: Client) -> None:
    response = client.get("/form/")
    secret = client.cookies["csrftoken"]
    assert len(secret) == CSRF_SECRET_LENGTH
    token = token_of(response.text)
    assert len(token) == CSRF_TOKEN_LENGTH
    assert secret not in response.text  # masked against BREACH
    assert unmask(token) == secret
    assert "Cookie" in response.headers["vary"]
    cookie = response.headers["set-cookie"]
    assert "Max-Age=31449600" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    again = token_of(client.get("/form/").text)
    assert again != token  # a new mask per render...
    assert unmask(again) == secret  # ...of the same secret


def test_a_page_without_the_token_sets_no_cookie(client: Client) -> None:
    response = client.get("/plain/")
    assert "set-cookie" not in response.headers
    assert "csrftoken" not in client.cookies


def test_csrf_token_in_a_template_gives_the_token_alone(client: Client) -> None:
    page = client.get("/token/").text
    token = re.search(r'content="([A-Za-z0-9]{64})"', page)
    assert token is not None
    assert unmask(token[1]) == client.cookies["csrftoken"]


@pytest.mark.parametrize("path", ["/form/", "/aform/"], ids=["def view", "async def view"])
def test_the_cookie_settings_are_honoured(
    client: Client, set_settings: SetSettings, path: str
) -> None:
    set_settings(
        CSRF_COOKIE_NAME="xsrf",
        CSRF_COOKIE_AGE=None,
        CSRF_COOKIE_SECURE=True,
        CSRF_COOKIE_HTTPONLY=True,
        CSRF_COOKIE_SAMESITE="Strict",
        CSRF_COOKIE_PATH="/shop/",
        CSRF_COOKIE_DOMAIN=".testserver.local",
    )
    cookie = client.get(path).headers["set-cookie"]
    assert cookie.startswith("xsrf=")
    for part in (
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/shop/",
        "Domain=.testserver.local",
    ):
        assert part in cookie
    assert "Max-Age" not in cookie


# -- unsafe requests -------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["take", "atake"], ids=["def view", "async def view"])
def test_a_form_post_with_its_token_is_accepted(client: Client, view: str) -> None:
    token = visit_form(client)
    response = client.post(f"/{view}/", {"csrfmiddlewaretoken": token, "choice": "3"})
    assert response.status_code == 200
    assert response.text == "took POST 3"


def test_a_multipart_form_post_with_its_token_is_accepted(client: Client) -> None:
    token = visit_form(client)
    data = {"csrfmiddlewaretoken": token, "choice": "4"}
    response = client.post("/take/", data, files={"f": ("f.txt", b"x")})
    assert response.text == "took POST 4"


@pytest.mark.parametrize("view", ["take", "atake"], ids=["def view", "async def view"])
def test_a_post_without_the_cookie_is_refused(client: Client, view: str) -> None:
    response = client.post(f"/{view}/", {"choice": "3"})
    assert response.status_code == 403
    assert "CSRF verification failed. Request aborted." in response.text
    assert "CSRF cookie not set." in response.text


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "CSRF token missing."),
        ("x" * 64, "CSRF token from POST incorrect."),
        ("short", "CSRF token from POST has incorrect length."),
        ("!" * 64, "CSRF token from POST has invalid characters."),
    ],
)
def test_a_post_without_the_right_token_is_refused(
    client: Client, token: str | None, reason: str
) -> None:
    visit_form(client)
    data = {"choice": "3"} if token is None else {"choice": "3", "csrfmiddlewaretoken": token}
    response = client.post("/take/", data)
    assert response.status_code == 403
    assert reason in response.text


def test_a_token_of_another_client_is_refused(client: Client) -> None:
    with Client(enforce_csrf_checks=True) as other:
        stolen = visit_form(other)
    visit_form(client)
    response = client.post("/take/", {"csrfmiddlewaretoken": stolen})
    assert response.status_code == 403
    assert "CSRF token from POST incorrect." in response.text


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_scripts_send_the_token_in_the_x_csrftoken_header(client: Client, method: str) -> None:
    token = visit_form(client)
    refused = client.request(method, "/take/", b"{}", content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF token missing." in refused.text
    for sent in (token, client.cookies["csrftoken"]):  # masked from the page, or the cookie's
        response = client.request(method, "/take/", headers={"X-CSRFToken": sent})
        assert response.status_code == 200, response.text
    wrong = client.request(method, "/take/", headers={"X-CSRFToken": "y" * 32})
    assert "CSRF token from the 'X-Csrftoken' HTTP header incorrect." in html.unescape(wrong.text)


def test_csrf_header_name_is_a_setting(client: Client, set_settings: SetSettings) -> None:
    set_settings(CSRF_HEADER_NAME="X-XSRF-TOKEN")
    token = visit_form(client)
    assert client.put("/take/", headers={"X-XSRF-TOKEN": token}).status_code == 200
    assert client.put("/take/", headers={"X-CSRFToken": token}).status_code == 403


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "TRACE"])
def test_safe_methods_need_no_token(client: Client, method: str) -> None:
    assert client.request(method, "/take/").status_code == 200


@pytest.mark.parametrize("view", ["exempt", "aexempt"], ids=["def view", "async def view"])
def test_csrf_exempt_views_take_posts_without_a_token(client: Client, view: str) -> None:
    response = client.post(f"/{view}/", {"a": "1"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert response.text == "exempt"


def test_a_malformed_cookie_is_replaced(client: Client) -> None:
    client.cookies.set("csrftoken", "not a secret!")
    response = client.get("/form/")
    secret = response.cookies["csrftoken"]
    assert len(secret) == CSRF_SECRET_LENGTH
    assert unmask(token_of(response.text)) == secret


def test_rotate_token_gives_a_new_secret(client: Client) -> None:
    token = visit_form(client)
    old = client.cookies["csrftoken"]
    client.post("/log-in/", {"csrfmiddlewaretoken": token})
    assert client.cookies["csrftoken"] != old
    refused = client.post("/take/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403  # the page from before the login is stale
    assert client.post("/take/", {"csrfmiddlewaretoken": visit_form(client)}).status_code == 200


# -- origins ----------------------------------------------------------------------------------


def test_the_origin_must_be_the_site_or_trusted(client: Client, set_settings: SetSettings) -> None:
    token = visit_form(client)

    def post_from(origin: str, path: str = "/take/") -> int:
        data = {"csrfmiddlewaretoken": token}
        return client.post(path, data, headers={"Origin": origin}).status_code

    assert post_from("http://testserver") == 200
    refused = client.post(
        "/take/", {"csrfmiddlewaretoken": token}, headers={"Origin": "https://evil.example"}
    )
    assert refused.status_code == 403
    assert (
        "Origin checking failed - https://evil.example does not match any trusted origins."
        in refused.text
    )
    assert post_from("https://testserver") == 403  # another scheme is another origin
    assert post_from("null") == 403
    set_settings(CSRF_TRUSTED_ORIGINS=["https://shop.example", "https://*.corp.example"])
    assert post_from("https://shop.example") == 200
    assert post_from("https://a.corp.example") == 200
    assert post_from("https://a.b.corp.example") == 200
    assert post_from("http://a.corp.example") == 403
    assert post_from("https://evilcorp.example") == 403


def test_a_bad_origin_is_refused_before_the_body_is_read(client: Client) -> None:
    visit_form(client)
    response = client.post(
        "/take/",
        b"not multipart",
        content_type="multipart/form-data; boundary=x",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403  # not the malformed body's 400


def test_https_without_origin_needs_a_trusted_referer(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    token = visit_form(client)

    def post_with(referer: str | None) -> str:
        headers = {"X-Forwarded-Proto": "https"}
        if referer is not None:
            headers["Referer"] = referer
        response = client.post("/take/", {"csrfmiddlewaretoken": token}, headers=headers)
        return "ok" if response.status_code == 200 else response.text

    assert post_with("https://testserver/form/") == "ok"
    assert "Referer checking failed - no Referer." in post_with(None)
    assert "Referer checking failed - Referer is insecure while host is secure." in post_with(
        "http://testserver/form/"
    )
    assert "Referer checking failed - Referer is malformed." in post_with("testserver/form/")
    assert (
        "Referer checking failed - https://evil.example/x does not match any trusted origins."
        in post_with("https://evil.example/x")
    )
    set_settings(CSRF_TRUSTED_ORIGINS=["https://*.example"])
    assert post_with("https://evil.example/x") == "ok"


def test_trusted_origins_need_a_scheme() -> None:
    with pytest.raises(ValidationError, match=r"'example\.com' must start with a scheme"):
        settings.CSRF_TRUSTED_ORIGINS = ["example.com"]


# -- the failure page --------------------------------------------------------------------------


def test_the_403_page_says_how_to_fix_it_with_debug(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(DEBUG=True)
    page = client.post("/take/").text
    assert "Reason given for failure" in page
    assert "How to fix it" in page
    assert "{{ csrf_input }}" in page
    visit_form(client)
    origin = client.post("/take/", headers={"Origin": "https://other.example"}).text
    assert "CSRF_TRUSTED_ORIGINS" in origin
    set_settings(DEBUG=False)
    quiet = client.post("/take/")
    assert quiet.status_code == 403
    assert "CSRF cookie not set." not in quiet.text
    assert "More information is available with DEBUG=True." in quiet.text


def test_a_refusal_is_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="djanco.security.csrf"):
        client.post("/take/")
    assert caplog.messages == ["Forbidden (CSRF cookie not set.): /take/"]


@pytest.mark.parametrize(
    ("view", "text"),
    [("custom_failure", "custom: "), ("acustom_failure", "async custom: ")],
    ids=["def view", "async def view"],
)
def test_csrf_failure_view_is_a_setting(
    client: Client, set_settings: SetSettings, view: str, text: str
) -> None:
    set_settings(CSRF_FAILURE_VIEW=f"tests.middleware.urls_csrf.{view}")
    response = client.post("/take/")
    assert response.status_code == 403
    assert response.text == text + "CSRF cookie not set."


def test_a_project_403_csrf_template_replaces_the_page(
    client: Client, set_settings: SetSettings, tmp_path: Path
) -> None:
    (tmp_path / "403_csrf.html").write_text("Sorry: {{ reason }} ({{ no_cookie }})")
    set_settings(TEMPLATES={"DIRS": [tmp_path]})
    response = client.post("/take/")
    assert response.status_code == 403
    assert response.text == "Sorry: CSRF cookie not set. (True)"


# -- the test client -----------------------------------------------------------------------


def test_the_test_client_skips_the_checks_by_default_as_django_s_does() -> None:
    with Client() as lenient:
        response = lenient.post(
            "/take/", {"choice": "1"}, headers={"Origin": "https://evil.example"}
        )
        assert response.status_code == 200
        assert "csrftoken" in lenient.get("/form/").cookies  # the rest works as usual


# -- sessions ------------------------------------------------------------------------------


@pytest.fixture
def sessions(set_settings: SetSettings) -> None:
    """CSRF_USE_SESSIONS on, with sessions kept under a cookie by a test middleware."""
    set_settings(
        CSRF_USE_SESSIONS=True,
        MIDDLEWARE=[
            "tests.middleware.urls_csrf.CookieSessions",
            "djanco.middleware.csrf.CsrfViewMiddleware",
        ],
    )


@pytest.mark.usefixtures("sessions")
def test_csrf_use_sessions_keeps_the_secret_in_the_session(client: Client) -> None:
    response = client.get("/form/")
    assert "csrftoken" not in response.cookies
    session = SESSIONS[client.cookies["sid"]]
    secret = session.get("_csrftoken")
    assert isinstance(secret, str)
    assert unmask(token_of(response.text)) == secret
    assert (
        client.post("/take/", {"csrfmiddlewaretoken": token_of(response.text)}).status_code == 200
    )
    assert client.post("/take/", {"csrfmiddlewaretoken": "z" * 64}).status_code == 403


@pytest.mark.usefixtures("sessions")
def test_a_malformed_secret_in_the_session_is_replaced(client: Client) -> None:
    client.get("/plain/")
    session = SESSIONS[client.cookies["sid"]]
    session["_csrftoken"] = "é" * 32
    page = client.get("/form/")
    assert page.status_code == 200
    secret = session.get("_csrftoken")
    assert isinstance(secret, str) and secret.isalnum() and secret.isascii()
    assert unmask(token_of(page.text)) == secret


def test_csrf_use_sessions_without_sessions_says_what_is_missing(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(CSRF_USE_SESSIONS=True)
    response = client.get("/form/")
    assert response.status_code == 500
    assert "SessionMiddleware must come before CsrfViewMiddleware" in html.unescape(response.text)
