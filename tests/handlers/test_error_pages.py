"""Exceptions become 404/403/400/500 pages: detailed with DEBUG, plain and logged without."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.handlers.support import SetSettings


@pytest.fixture
def production(set_settings: SetSettings) -> None:
    set_settings(DEBUG=False)


# -- 404 ------------------------------------------------------------------------------------


async def test_debug_404_lists_the_patterns_tried(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/nowhere/")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Page not found" in page
    assert "tests.handlers.urls" in page
    assert "<li>sync/ <small>[name='sync']</small></li>" in page
    assert "<li>items/&lt;int:pk&gt;/ <small>[name='item']</small></li>" in page
    assert "<li>slow/</li>" in page  # a pattern without a name
    assert "The current path, <code>nowhere/</code>, didn't match any of these." in page


async def test_debug_404_from_a_view_shows_its_message(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/missing/")
    assert response.status_code == 404
    assert "No article matches the &lt;given&gt; query." in response.text
    assert "tests.handlers.urls.missing" in response.text  # the view that raised it


@pytest.mark.usefixtures("production")
async def test_404_without_debug_is_plain(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/nowhere/")
    assert response.status_code == 404
    assert "<h1>Not Found</h1>" in response.text
    assert "sync/" not in response.text
    assert "tests.handlers.urls" not in response.text


# -- 500 ------------------------------------------------------------------------------------


async def test_debug_500_shows_the_escaped_traceback(
    aclient: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await aclient.get("/boom/?page=2", headers={"X-Token": "s3cr3t-value"})
    assert response.status_code == 500
    page = response.text
    assert "ValueError at /boom/" in page
    assert "broken &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "Traceback" in page
    assert 'raise ValueError("broken' in page.replace("&quot;", '"')  # the source line
    assert "secret_token" in page
    assert "s3cr3t-value" not in page  # locals and headers named like secrets are masked
    assert "<th>page</th><td><code>2</code>" in page  # the GET parameters
    assert any(record.name == "djanco.request" for record in caplog.records)


@pytest.mark.usefixtures("production")
async def test_500_without_debug_is_plain_and_logged(
    aclient: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="djanco.request"):
        response = await aclient.get("/boom/")
    assert response.status_code == 500
    assert "<h1>Server Error (500)</h1>" in response.text
    assert "broken" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.name == "djanco.request"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Internal Server Error: /boom/"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)


# -- 403 and 400 ----------------------------------------------------------------------------


async def test_permission_denied_is_403(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/forbidden/")
    assert response.status_code == 403
    assert "403 Forbidden" in response.text


@pytest.mark.usefixtures("production")
async def test_bad_request_is_400_with_its_message(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/bad/")
    assert response.status_code == 400
    assert "Bad Request (400)" in response.text
    assert "the &#x27;page&#x27; parameter must be a number" in response.text


async def test_debug_bad_request_shows_the_exception(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/bad/")
    assert response.status_code == 400
    assert "BadRequest at /bad/" in response.text


@pytest.mark.usefixtures("production")
async def test_suspicious_operation_is_400_logged_on_security_logger(
    aclient: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="djanco.security"):
        response = await aclient.get("/suspicious/")
    assert response.status_code == 400
    assert "tampered" not in response.text  # details of an attack are not echoed back
    names = [record.name for record in caplog.records]
    assert "djanco.security.SuspiciousOperation" in names


# -- URLconf handlerXXX ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/404/", 404, "custom 404 for /404/: nothing here"),
        ("/no-such-page/", 404, "custom 404 for /no-such-page/"),
        ("/403/", 403, "custom 403: no entry"),
        ("/400/", 400, "custom 400"),
        ("/500/", 500, "custom 500"),
    ],
)
@pytest.mark.usefixtures("production")
async def test_urlconf_handlers_replace_the_default_pages(
    aclient: httpx.AsyncClient, set_settings: SetSettings, path: str, status: int, body: str
) -> None:
    set_settings(ROOT_URLCONF="tests.handlers.urls_custom")
    response = await aclient.get(path)
    assert response.status_code == status
    assert response.text.startswith(body)


async def test_custom_handler404_is_not_used_with_debug(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(ROOT_URLCONF="tests.handlers.urls_custom")
    response = await aclient.get("/404/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.usefixtures("production")
async def test_failing_handlers_still_give_a_plain_500(
    aclient: httpx.AsyncClient, set_settings: SetSettings, caplog: pytest.LogCaptureFixture
) -> None:
    set_settings(ROOT_URLCONF="tests.handlers.urls_broken_handler")
    response = await aclient.get("/missing/")
    assert response.status_code == 500
    assert "<h1>Server Error (500)</h1>" in response.text
    messages = [record.getMessage() for record in caplog.records]
    assert "The handler500 view failed" in messages


async def test_unimportable_urlconf_is_a_500_naming_it(
    aclient: httpx.AsyncClient, set_settings: SetSettings
) -> None:
    set_settings(ROOT_URLCONF="tests.handlers.no_such_module")
    response = await aclient.get("/")
    assert response.status_code == 500
    assert "tests.handlers.no_such_module" in response.text
