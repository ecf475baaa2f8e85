"""Async statements run on a sync test transaction, so a test sees one database session.

The ``db`` test fixture opens one transaction on the sync driver's connection. Async ORM calls
(an ``async def`` test, an async view under the test client) would otherwise use the async
driver's own connections, which cannot see that transaction's uncommitted rows. While a
``SyncBridge`` is installed on a wrapper, its async methods run their sync forms on one worker
thread instead: one connection, one transaction, statements in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from djanco.db.backends.base.statements import Row

__all__ = ["SyncBridge"]

_T = TypeVar("_T")


class SyncBridge:
    """One worker thread that runs a wrapper's sync database calls for async callers."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="djanco-test-db")

    async def run(self, func: Callable[..., _T], *args: object) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)

    async def stream(
        self, chunks: Generator[list[Row], None, None]
    ) -> AsyncGenerator[list[Row], None]:
        """Iterate a sync stream (``wrapper.stream(...)``) on the worker thread."""
        try:
            while (chunk := await self.run(next, chunks, None)) is not None:
                yield chunk
        finally:
            await self.run(chunks.close)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
