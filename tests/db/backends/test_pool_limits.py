"""Pools under load and under failure: a size limit, a wait timeout, a lifetime, and dead
connections replaced without failing the request that picked them up."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from djanco.asgi import get_asgi_app
from djanco.conf import settings
from djanco.db import DatabaseWrapper, connections
from djanco.db.backends import PoolTimeout, create_wrapper
from tests.db.backends import pool_urls
from tests.db.backends.server import kill_other_sessions

CLIENTS = 200
POOL = 5


def _pooled_url(url: str, options: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{options}"


@pytest.fixture
def pooled(db_alias: str) -> Iterator[DatabaseWrapper]:
    """A second alias on the test database, its pools limited to five connections."""
    url = _pooled_url(connections[db_alias].settings_url, f"pool_size={POOL}&pool_timeout=30")
    wrapper = connections.add(pool_urls.ALIAS, url)
    try:
        yield wrapper
    finally:
        connections.remove(pool_urls.ALIAS)


def test_200_threads_share_a_pool_of_5(pooled: DatabaseWrapper) -> None:
    sessions: list[object] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            sessions.append(pool_urls.session_of(pooled))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(sessions) == CLIENTS
    assert len(set(sessions)) <= POOL
    assert pooled.pool.in_use == 0 and len(pooled.pool.idle) <= POOL


async def test_200_tasks_share_a_pool_of_5(pooled: DatabaseWrapper) -> None:
    try:
        sessions = await asyncio.gather(*(pool_urls.asession_of(pooled) for _ in range(CLIENTS)))
        assert len(sessions) == CLIENTS
        assert len(set(sessions)) <= POOL
        assert pooled.apool.loop_pool().in_use == 0
    finally:
        await pooled.aclose()


@pytest.mark.slow
def test_200_requests_to_a_real_server_share_a_pool_of_5(pooled: DatabaseWrapper) -> None:
    """Sync views (in the server's thread pool) and async views (on its event loop)."""
    server, thread = _serve()
    try:

        async def fetch_all(path: str) -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
                return await asyncio.gather(*(client.get(path) for _ in range(CLIENTS)))

        for path in ("/sync/", "/async/"):
            responses = asyncio.run(fetch_all(path))
            assert [r.status_code for r in responses] == [200] * CLIENTS, path
            assert len({r.text for r in responses}) <= POOL, path
    finally:
        server.should_exit = True
        thread.join(timeout=30)


class _Server(uvicorn.Server):
    url = ""


def _serve() -> tuple[_Server, threading.Thread]:
    settings.ROOT_URLCONF = pool_urls.__name__
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(get_asgi_app(), host="127.0.0.1", port=port, log_level="warning")
    server = _Server(config)
    server.url = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    return server, thread


@pytest.fixture(autouse=True)
def _restore_urlconf() -> Iterator[None]:
    saved = settings.ROOT_URLCONF
    yield
    settings.ROOT_URLCONF = saved


def test_sync_pool_times_out_when_every_connection_is_held(db_alias: str) -> None:
    url = _pooled_url(connections[db_alias].settings_url, "pool_size=2&pool_timeout=0.2")
    wrapper = create_wrapper("bounded", url)
    try:
        first, second = wrapper.tx_begin(bind=False), wrapper.tx_begin(bind=False)
        with pytest.raises(PoolTimeout, match=r"within 0.2 s \(2 in use"):
            wrapper.scalar("SELECT 1")
        wrapper.pool.options.timeout = 30
        with ThreadPoolExecutor(1) as executor:
            waiting = executor.submit(wrapper.scalar, "SELECT 7")
            time.sleep(0.05)
            assert not waiting.done()  # waits for a free connection...
            wrapper.tx_end(first, commit=False)
            assert waiting.result() == 7  # ...and gets the one just returned
        wrapper.tx_end(second, commit=False)
    finally:
        wrapper.close()


def test_connection_older_than_its_lifetime_is_replaced(db_alias: str) -> None:
    url = _pooled_url(connections[db_alias].settings_url, "pool_max_lifetime=0.05")
    wrapper = create_wrapper("short", url)
    try:
        first = pool_urls.session_of(wrapper)
        assert pool_urls.session_of(wrapper) == first  # reused while young
        time.sleep(0.1)
        assert pool_urls.session_of(wrapper) != first
    finally:
        wrapper.close()


def test_idle_connections_killed_by_the_server_are_replaced(pooled: DatabaseWrapper) -> None:
    if pooled.vendor == "sqlite":
        pytest.skip("no server to kill connections")
    _fill_pool(pooled)
    kill_other_sessions(pooled)
    # Every idle connection is dead: each request that picks one up still succeeds.
    states = [pooled.tx_begin(bind=False) for _ in range(POOL)]
    for state in states:
        pooled.tx_end(state, commit=True)
    kill_other_sessions(pooled)
    assert [pooled.scalar("SELECT 1") for _ in range(2 * POOL)] == [1] * 2 * POOL
    kill_other_sessions(pooled)
    sessions = [pool_urls.session_of(pooled) for _ in range(2 * POOL)]
    assert len(set(sessions)) <= POOL


async def test_idle_async_connections_killed_by_the_server_are_replaced(
    pooled: DatabaseWrapper,
) -> None:
    if pooled.vendor == "sqlite":
        pytest.skip("no server to kill connections")
    try:
        states = [await pooled.atx_begin(bind=False) for _ in range(POOL)]
        for state in states:
            await pooled.atx_end(state, commit=True)
        await asyncio.to_thread(kill_other_sessions, pooled)
        await asyncio.sleep(0.05)
        results = await asyncio.gather(*(pooled.ascalar("SELECT 1") for _ in range(2 * POOL)))
        assert results == [1] * 2 * POOL
    finally:
        await pooled.aclose()


def _fill_pool(wrapper: DatabaseWrapper) -> None:
    states = [wrapper.tx_begin(bind=False) for _ in range(POOL)]
    for state in states:
        wrapper.tx_end(state, commit=True)
    assert len(wrapper.pool.idle) == POOL


def test_pool_options_are_checked() -> None:
    with pytest.raises(ValueError, match="pool_max_lifetime='soon' must be a positive float"):
        create_wrapper("bad", "sqlite:///:memory:?pool_max_lifetime=soon")
    with pytest.raises(ValueError, match="pool_timeout='0' must be a positive float"):
        create_wrapper("bad", "sqlite:///:memory:?pool_timeout=0")
