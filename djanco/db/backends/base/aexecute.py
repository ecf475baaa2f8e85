"""The async half of statement execution on a ``DatabaseWrapper``: ``aexecute`` and friends.

Mirrors the sync methods in ``base.py``: outside ``async with atomic()`` each statement borrows
a connection from the event loop's pool; inside, it uses the connection bound to the task.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.compiled import CompiledQuery, Params, Result, Row
from djanco.db.backends.base.state import QueryRecord, TxState
from djanco.db.utils import InterfaceError, OperationalError, translate_error

if TYPE_CHECKING:
    from djanco.db.backends.base.base import Statement
    from djanco.db.backends.base.bridge import SyncBridge
    from djanco.db.backends.base.pool import AsyncPool

__all__ = ["AsyncExecutionMixin"]


class AsyncExecutionMixin:
    """``aexecute``, ``aexecute_many``, ``afetchall``, ``ascalar`` for ``DatabaseWrapper``."""

    if TYPE_CHECKING:
        _async_var: ContextVar[TxState | None]
        _pinned_async: TxState | None
        _bridge: SyncBridge | None
        _apool: AsyncPool[Any]
        queries_log: list[QueryRecord] | None
        debug_log: bool

        def _aprepare(
            self, statement: Statement, params: Params | None
        ) -> tuple[CompiledQuery, object]: ...
        def _aprepare_many(
            self, statement: Statement, seq_of_params: Iterable[Params]
        ) -> tuple[CompiledQuery, list[object]]: ...
        async def _arun(self, conn: Any, query: CompiledQuery, values: object) -> Result: ...
        async def _arun_many(
            self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
        ) -> int: ...
        async def _acontrol(self, conn: Any, sql: str) -> None: ...
        def _ais_usable(self, conn: Any) -> bool: ...
        def _ain_transaction(self, conn: Any) -> bool: ...
        def _observe(self, sql: str, values: object, start: float) -> None: ...
        def execute(self, statement: Statement, params: Params | None = None) -> Result: ...
        def execute_many(self, statement: Statement, seq_of_params: Iterable[Params]) -> int: ...

    async def _arelease(self, conn: Any) -> None:
        if self._ain_transaction(conn):
            try:
                await self._acontrol(conn, "ROLLBACK")
            except BaseException:
                await self._apool.discard(conn)
                raise
        await self._apool.put(conn)

    async def aexecute(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> Result:
        """Async form of ``execute``."""
        if self._bridge is not None:
            return await self._bridge.run(self.execute, statement, params)
        query, values = self._aprepare(statement, params)
        if self.queries_log is None and not self.debug_log:
            return await self._aexecute(query, values)
        start = time.perf_counter()
        try:
            return await self._aexecute(query, values)
        finally:
            self._observe(query.sql, values, start)

    async def _aexecute(self, query: CompiledQuery, values: object) -> Result:
        state = self._async_var.get() or self._pinned_async
        if state is not None:
            try:
                return await self._arun(state.conn, query, values)
            except Exception as exc:
                raise _translated(exc) from exc
        pool = self._apool
        conn = pool.get_nowait()
        if conn is None:
            conn = await pool.get()
        try:
            result = await self._arun(conn, query, values)
        except Exception as exc:
            err = await self._aafter_error(conn, exc)
            if isinstance(err, OperationalError | InterfaceError) and not self._ais_usable(conn):
                conn = await pool.get()
                try:
                    result = await self._arun(conn, query, values)
                except Exception as exc2:
                    raise _translated(await self._aafter_error(conn, exc2)) from err
                await self._arelease(conn)
                return result
            if err is exc:
                raise
            raise err from exc
        except BaseException:
            # Cancelled mid-statement: the connection's state is unknown, so it is not reused.
            await pool.discard(conn)
            raise
        if self._ain_transaction(conn) or not pool.put_nowait(conn):
            await self._arelease(conn)
        return result

    async def _aafter_error(self, conn: Any, exc: Exception) -> Exception:
        if self._ais_usable(conn):
            await self._arelease(conn)
        else:
            await self._apool.discard(conn)
            await self._apool.aclear()
        return translate_error(exc) or exc

    async def aexecute_many(
        self,
        statement: Statement,
        seq_of_params: Iterable[Params],
    ) -> int:
        """Async form of ``execute_many``."""
        if self._bridge is not None:
            return await self._bridge.run(self.execute_many, statement, seq_of_params)
        query, values = self._aprepare_many(statement, seq_of_params)
        start = time.perf_counter()
        state = self._async_var.get() or self._pinned_async
        conn = state.conn if state is not None else await self._apool.get()
        try:
            count = await self._arun_many(conn, query, values)  # type: ignore[arg-type]
        except Exception as exc:
            if state is None:
                await self._aafter_error(conn, exc)
            raise _translated(exc) from exc
        except BaseException:
            if state is None:
                await self._apool.discard(conn)
            raise
        if state is None:
            await self._arelease(conn)
        if self.queries_log is not None or self.debug_log:
            self._observe(query.sql, values, start)
        return count

    async def afetchall(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> list[Row]:
        return (await self.aexecute(statement, params)).rows

    async def ascalar(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> object:
        return (await self.aexecute(statement, params)).scalar()


def _translated(exc: BaseException) -> BaseException:
    return translate_error(exc) or exc
