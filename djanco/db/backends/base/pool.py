"""Minimal connection pools: idle driver connections reused across statements.

Sync: one pool per alias, shared by all threads (``deque`` append/pop are atomic under the GIL).
Async: one pool per alias *and event loop*, because async driver connections belong to the loop
that opened them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from djanco.db.utils import OperationalError

C = TypeVar("C")

__all__ = ["AsyncPool", "PoolTimeout", "SyncPool"]


class SyncPool(Generic[C]):
    """Keeps up to ``max_idle`` idle connections; opens new ones when none is idle."""

    __slots__ = ("_close", "_connect", "_idle", "max_idle")

    def __init__(
        self, connect: Callable[[], C], close: Callable[[C], None], max_idle: int = 16
    ) -> None:
        self._connect = connect
        self._close = close
        self._idle: deque[C] = deque()
        self.max_idle = max_idle

    def get(self) -> C:
        try:
            return self._idle.pop()
        except IndexError:
            return self._connect()

    def put(self, conn: C) -> None:
        if len(self._idle) < self.max_idle:
            self._idle.append(conn)
        else:
            self.discard(conn)

    def discard(self, conn: C) -> None:
        # A broken connection may fail to close; it is gone either way.
        with contextlib.suppress(Exception):
            self._close(conn)

    def clear(self) -> None:
        """Close every idle connection (e.g. after the server restarted, or on reset)."""
        while True:
            try:
                conn = self._idle.pop()
            except IndexError:
                return
            self.discard(conn)


class PoolTimeout(OperationalError):
    """No pooled connection became free in time."""


class _LoopPool(Generic[C]):
    __slots__ = ("idle", "in_use", "loop", "waiters")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.idle: deque[C] = deque()
        self.in_use = 0
        # Each waiter receives a connection, or None meaning "a slot is free: connect".
        self.waiters: deque[asyncio.Future[C | None]] = deque()


class AsyncPool(Generic[C]):
    """Like ``SyncPool`` but per event loop, and bounded: at most ``max_size`` connections per
    loop are open; more tasks wait (up to ``timeout`` seconds, then ``PoolTimeout``)."""

    __slots__ = ("_close", "_connect", "_loops", "max_idle", "max_size", "timeout")

    def __init__(
        self,
        connect: Callable[[], Awaitable[C]],
        close: Callable[[C], Awaitable[None]],
        max_size: int = 20,
        timeout: float = 30.0,
        max_idle: int | None = None,
    ) -> None:
        self._connect = connect
        self._close = close
        self._loops: dict[int, _LoopPool[C]] = {}
        self.max_size = max_size
        self.timeout = timeout
        self.max_idle = max_size if max_idle is None else max_idle

    def _pool(self) -> _LoopPool[C]:
        loop = asyncio.get_running_loop()
        pool = self._loops.get(id(loop))
        if pool is None or pool.loop is not loop:
            # Forget connections of loops that have closed: they can never be used again.
            for key, old in list(self._loops.items()):
                if old.loop.is_closed():
                    del self._loops[key]
            pool = self._loops[id(loop)] = _LoopPool(loop)
        return pool

    def get_nowait(self) -> C | None:
        """An idle connection of this loop, or None (then ``await get()``)."""
        pool = self._pool()
        if pool.idle:
            pool.in_use += 1
            return pool.idle.pop()
        return None

    def put_nowait(self, conn: C) -> bool:
        """Return ``conn`` without awaiting; False if it could not (then ``await put()``)."""
        pool = self._pool()
        if pool.waiters:
            return self._hand_over(pool, conn)
        if len(pool.idle) >= self.max_idle:
            return False
        pool.in_use = max(0, pool.in_use - 1)
        pool.idle.append(conn)
        return True

    async def get(self) -> C:
        pool = self._pool()
        if pool.idle:
            pool.in_use += 1
            return pool.idle.pop()
        if pool.in_use >= self.max_size:
            conn = await self._wait(pool)
            if conn is not None:
                return conn  # handed over by put(): the slot stays counted
            # Handed a free slot by discard(): already counted for us.
        else:
            pool.in_use += 1
        try:
            return await self._connect()
        except BaseException:
            self._free_slot(pool)
            raise

    async def _wait(self, pool: _LoopPool[C]) -> C | None:
        waiter: asyncio.Future[C | None] = pool.loop.create_future()
        pool.waiters.append(waiter)
        try:
            async with asyncio.timeout(self.timeout):
                return await waiter
        except BaseException as exc:
            # Timed out or cancelled, possibly just after being handed a connection or a slot.
            if waiter in pool.waiters:
                pool.waiters.remove(waiter)
            elif waiter.done() and not waiter.cancelled():
                handed = waiter.result()
                if handed is None:
                    self._free_slot(pool)
                else:
                    await self.put(handed)
            if isinstance(exc, TimeoutError):
                raise PoolTimeout(
                    f"No database connection became free within {self.timeout:g} s "
                    f"({self.max_size} in use; raise ?pool_size= in the database URL)"
                ) from None
            raise

    def _hand_over(self, pool: _LoopPool[C], conn: C | None) -> bool:
        while pool.waiters:
            waiter = pool.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return True
        return False

    def _free_slot(self, pool: _LoopPool[C]) -> None:
        pool.in_use = max(0, pool.in_use - 1)
        if pool.waiters and self._hand_over(pool, None):
            pool.in_use += 1  # the woken waiter opens a connection in this slot

    async def put(self, conn: C) -> None:
        pool = self._pool()
        if pool.waiters and self._hand_over(pool, conn):
            return
        pool.in_use = max(0, pool.in_use - 1)
        if len(pool.idle) < self.max_idle:
            pool.idle.append(conn)
        else:
            await self._close_quietly(conn)

    async def discard(self, conn: C) -> None:
        """Close a connection that was taken with ``get()`` and must not be reused."""
        self._free_slot(self._pool())
        await self._close_quietly(conn)

    async def _close_quietly(self, conn: C) -> None:
        with contextlib.suppress(Exception):
            await self._close(conn)

    async def aclear(self) -> None:
        """Close the idle connections of the running loop."""
        idle = self._pool().idle
        while idle:
            await self._close_quietly(idle.pop())

    def clear(self) -> None:
        """Drop every idle connection without awaiting (used from sync code on reset)."""
        self._loops.clear()
