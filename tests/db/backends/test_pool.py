"""The bounded async pool: waiting, hand-over of connections and of free slots."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import pytest

from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.pool import AsyncPool, PoolOptions, PoolTimeout, SyncPool


class FakeConn:
    ids = itertools.count(1)

    def __init__(self) -> None:
        self.id = next(self.ids)
        self.closed = False


class FakeAsyncDriver(AsyncDriver):
    async def connect(self) -> FakeConn:
        await asyncio.sleep(0)
        return FakeConn()

    async def close(self, conn: FakeConn) -> None:
        conn.closed = True


class FakeSyncDriver(SyncDriver):
    def __init__(self, on_close: Callable[[FakeConn], object]) -> None:
        self.on_close = on_close

    def connect(self) -> FakeConn:
        return FakeConn()

    def close(self, conn: FakeConn) -> None:
        self.on_close(conn)


async def test_waiters_get_returned_connections_in_order() -> None:
    pool = AsyncPool(FakeAsyncDriver(), PoolOptions(size=1, timeout=1))
    first = await pool.get()
    got: list[int] = []

    async def waiter() -> None:
        conn = await pool.get()
        got.append(conn.id)
        await pool.put(conn)

    tasks = [asyncio.ensure_future(waiter()) for _ in range(3)]
    await asyncio.sleep(0.01)
    assert got == []
    await pool.put(first)
    await asyncio.gather(*tasks)
    assert got == [first.id] * 3  # the one connection, handed from task to task
    assert pool._pool().in_use == 0


async def test_discarded_connection_frees_its_slot_for_a_waiter() -> None:
    pool = AsyncPool(FakeAsyncDriver(), PoolOptions(size=1, timeout=1))
    broken = await pool.get()
    waiting = asyncio.ensure_future(pool.get())
    await asyncio.sleep(0.01)
    await pool.discard(broken)
    fresh = await waiting
    assert broken.closed and fresh is not broken
    assert pool._pool().in_use == 1
    await pool.put(fresh)
    assert pool._pool().in_use == 0
    assert await pool.get() is fresh  # and the slot count stays right afterwards
    with pytest.raises(PoolTimeout, match=r"within 0\.05 s \(1 in use"):
        pool.options.timeout = 0.05
        await pool.get()


async def test_cancelled_waiter_leaves_no_trace() -> None:
    pool = AsyncPool(FakeAsyncDriver(), PoolOptions(size=1, timeout=5))
    held = await pool.get()
    waiting = asyncio.ensure_future(pool.get())
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert not pool._pool().waiters
    await pool.put(held)
    assert pool._pool().in_use == 0 and list(pool._pool().idle) == [held]


def test_sync_pool_reuses_and_caps_idle() -> None:
    closed: list[int] = []
    pool = SyncPool(FakeSyncDriver(lambda c: closed.append(c.id)), PoolOptions(max_idle=1))
    a, b = pool.get(), pool.get()
    assert a is not b
    pool.put(a)
    pool.put(b)  # over max_idle: closed
    assert closed == [b.id]
    assert pool.get() is a
    pool.put(a)
    pool.clear()
    assert closed == [b.id, a.id]
