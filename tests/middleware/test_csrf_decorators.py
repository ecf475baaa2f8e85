"""The CSRF decorators on def and async def views, in a project without CsrfViewMiddleware
(and with it: the checks run once)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from djanco.test import Client
from tests.handlers.support import SetSettings

TEMPLATES = {"DIRS": [Path(__file__).parent / "templates"]}


@pytest.fixture(autouse=True)
def _site_without_the_middleware(set_settings: SetSettings) -> None:
    set_settings(ROOT_URLCONF="tests.middleware.urls_csrf", MIDDLEWARE=[], TEMPLATES=TEMPLATES)


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(enforce_csrf_checks=True) as test_client:
        yield test_client


def token_of(page: str) -> str:
    match = re.search(r'value="([A-Za-z0-9]{64})"', page)
    assert match is not None, page
    return match[1]


@pytest.mark.parametrize("view", ["protected", "aprotected"], ids=["def view", "async def view"])
def test_csrf_protect_guards_one_view(client: Client, view: str) -> None:
    page = client.get(f"/{view}/")
    assert "csrftoken" in page.cookies  # set once the TemplateResponse rendered the token
    assert client.post(f"/{view}/").status_code == 403
    accepted = client.post(f"/{view}/", {"csrfmiddlewaretoken": token_of(page.text)})
    assert accepted.status_code == 200
    assert client.post("/take/").status_code == 200  # undecorated views are not protected


def test_csrf_protect_with_the_middleware_checks_once(
    client: Client, set_settings: SetSettings
) -> None:
    set_settings(MIDDLEWARE=["djanco.middleware.csrf.CsrfViewMiddleware"])
    token = token_of(client.get("/protected/").text)
    assert client.post("/protected/", {"csrfmiddlewaretoken": token}).status_code == 200
    assert client.post("/protected/").status_code == 403


def test_ensure_csrf_cookie_sets_the_cookie_without_a_token_on_the_page(client: Client) -> None:
    response = client.get("/ensured/")
    assert response.text == "cookie, no token on the page"
    assert len(response.cookies["csrftoken"]) == 32
    assert client.post("/ensured/").status_code == 200  # it refuses nothing


def test_requires_csrf_token_gives_templates_a_token_and_refuses_nothing(client: Client) -> None:
    page = client.get("/required/")
    assert "csrftoken" in page.cookies
    token_of(page.text)
    assert client.post("/required/").status_code == 200


def test_templates_get_a_token_without_any_csrf_code(client: Client) -> None:
    # get_token() works in any view; the cookie is set only where a protection runs.
    page = client.get("/form/")
    assert page.status_code == 200
    token_of(page.text)
