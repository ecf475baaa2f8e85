"""CommonMiddleware: APPEND_SLASH redirects GET/HEAD to the slashed URL when only it exists."""

from __future__ import annotations

import httpx

from tests.handlers.support import SetSettings


async def test_get_without_slash_redirects(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/about?x=1&y=2")
    assert response.status_code == 301
    assert response.headers["location"] == "/about/?x=1&y=2"


async def test_head_without_slash_redirects(aclient: httpx.AsyncClient) -> None:
    response = await aclient.head("/about")
    assert response.status_code == 301


async def test_redirect_is_followed_to_the_page(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/docs/intro", follow_redirects=True)
    assert response.text == "doc intro"


async def test_post_is_not_redirected(aclient: httpx.AsyncClient) -> None:
    response = await aclient.post("/about", content=b"data")
    assert response.status_code == 404


async def test_no_redirect_when_slashed_path_does_not_exist(aclient: httpx.AsyncClient) -> None:
    assert (await aclient.get("/nothing")).status_code == 404


async def test_no_redirect_when_disabled(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(APPEND_SLASH=False)
    assert (await aclient.get("/about")).status_code == 404


async def test_existing_path_is_never_redirected(aclient: httpx.AsyncClient) -> None:
    assert (await aclient.get("/about/")).status_code == 200


async def test_redirect_cannot_point_to_another_site(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(ROOT_URLCONF="tests.middleware.urls_catchall")
    response = await aclient.get("http://testserver//evil.com")
    assert response.status_code == 301
    assert response.headers["location"] == "/%2Fevil.com/"
