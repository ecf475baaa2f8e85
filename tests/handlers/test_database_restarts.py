"""A database restart answers the requests it catches with 503 and Retry-After, never 500, and
requests succeed again once it is back: on private PostgreSQL and MariaDB servers of the
test's own, so the machine's shared ones are never stopped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.handlers.conftest import UseDatabase
from tests.handlers.support import SetSettings
from tests.private_servers import PrivateMariaDB, PrivatePostgres, PrivateServer

pytestmark = pytest.mark.slow

PATHS = ["/query-sync/", "/query-async/"]


@pytest.fixture(scope="module", params=["postgresql", "mariadb"])
def database_server(request: pytest.FixtureRequest) -> Iterator[PrivateServer]:
    server: PrivateServer = PrivatePostgres() if request.param == "postgresql" else PrivateMariaDB()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def site(
    set_settings: SetSettings, use_database: UseDatabase, database_server: PrivateServer
) -> PrivateServer:
    set_settings(DEBUG=False)
    use_database(database_server.url)
    return database_server


async def statuses(client: httpx.AsyncClient, rounds: int = 1) -> list[int]:
    """The status of each view, ``rounds`` times; every 503 must say when to retry."""
    seen: list[int] = []
    for _ in range(rounds):
        for path in PATHS:
            response = await client.get(path)
            if response.status_code == 503:
                assert response.headers["retry-after"] == "5"
            seen.append(response.status_code)
    return seen


async def test_while_the_database_is_down_requests_get_503_then_succeed_again(
    aclient: httpx.AsyncClient, site: PrivateServer
) -> None:
    assert await statuses(aclient) == [200, 200]
    site.stop()
    assert await statuses(aclient, rounds=2) == [503, 503, 503, 503]
    site.start()
    after = await statuses(aclient, rounds=3)
    assert set(after) <= {200, 503}
    assert after[-2:] == [200, 200]


async def test_requests_in_flight_during_a_restart_get_503_never_500(
    aclient: httpx.AsyncClient, site: PrivateServer
) -> None:
    assert await statuses(aclient) == [200, 200]
    restart = threading.Thread(target=site.restart)
    restart.start()
    during: list[int] = []
    while restart.is_alive():
        during += await statuses(aclient)
    restart.join()
    after = await statuses(aclient, rounds=3)
    assert set(during + after) <= {200, 503}, during + after
    assert after[-2:] == [200, 200]
