"""Requests the handler refuses or cannot serve get a clean status, never a 500:
413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 400 for undecodable JSON, and 503 with
Retry-After while the database is unavailable."""

from __future__ import annotations

import httpx
import pytest

from tests.cli.conftest import free_port
from tests.handlers.conftest import UseDatabase
from tests.handlers.support import SetSettings


@pytest.fixture
def production(set_settings: SetSettings) -> None:
    set_settings(DEBUG=False)


@pytest.mark.parametrize("debug", [False, True])
async def test_a_body_over_the_limit_is_413_and_closes_the_connection(
    aclient: httpx.AsyncClient, set_settings: SetSettings, debug: bool
) -> None:
    set_settings(DEBUG=debug, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    assert (await aclient.post("/body-size/", content=b"x" * 1000)).text == "1000"
    response = await aclient.post("/body-size/", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.headers["connection"] == "close"
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE (1000 bytes)" in response.text


@pytest.mark.usefixtures("production")
async def test_a_database_error_of_the_unavailable_kind_is_503_with_retry_after(
    aclient: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await aclient.get("/database-gone/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "Service Unavailable (503)" in response.text
    assert "server closed the connection" not in response.text
    assert "Service Unavailable (database): /database-gone/" in caplog.text


@pytest.mark.parametrize("path", ["/query-sync/", "/query-async/"])
@pytest.mark.parametrize(
    "url", ["postgresql://ada:pw@127.0.0.1:{port}/x", "mysql://ada:pw@127.0.0.1:{port}/x"]
)
async def test_an_unreachable_database_is_503(
    aclient: httpx.AsyncClient,
    set_settings: SetSettings,
    use_database: UseDatabase,
    url: str,
    path: str,
) -> None:
    set_settings(DEBUG=False)
    use_database(url.format(port=free_port()))  # nothing listens there
    response = await aclient.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"


async def test_with_debug_the_503_shows_the_traceback(aclient: httpx.AsyncClient) -> None:
    response = await aclient.get("/database-gone/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "OperationalError at /database-gone/" in response.text


@pytest.mark.usefixtures("production")
async def test_deeply_nested_json_is_400(aclient: httpx.AsyncClient) -> None:
    response = await aclient.post("/echo/", content=b"[" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.text
