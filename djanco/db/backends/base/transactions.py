"""Transaction control on a ``DatabaseWrapper``: BEGIN/COMMIT/ROLLBACK and savepoint SQL on the
connection bound to the current thread or task. ``djanco.db.transaction`` builds ``atomic()`` on
these; the test fixtures use them to pin a rolled-back transaction.
"""

from __future__ import annotations

import os
from asyncio import _get_running_loop
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.state import TxState
from djanco.db.utils import (
    InterfaceError,
    OperationalError,
    SynchronousOnlyOperation,
    translate_error,
)

if TYPE_CHECKING:
    from djanco.db.backends.base.bridge import SyncBridge
    from djanco.db.backends.base.pool import AsyncPool, SyncPool

__all__ = ["TransactionsMixin"]

SYNC_IN_ASYNC_MESSAGE = (
    "You cannot call this from an async context - use the async form (aget, asave, ...)"
)
_ALLOW_ASYNC_UNSAFE = bool(os.environ.get("DJANCO_ALLOW_ASYNC_UNSAFE"))


class TransactionsMixin:
    """The transaction half of ``DatabaseWrapper`` (kept apart to keep each module short)."""

    if TYPE_CHECKING:
        _sync_var: ContextVar[TxState | None]
        _async_var: ContextVar[TxState | None]
        _pinned_sync: TxState | None
        _pinned_async: TxState | None
        _bridge: SyncBridge | None
        _pool: SyncPool[Any]
        _apool: AsyncPool[Any]
        _begin_sql: str

        def _control(self, conn: Any, sql: str) -> None: ...
        async def _acontrol(self, conn: Any, sql: str) -> None: ...
        def _after_error(self, conn: Any, exc: Exception) -> Exception: ...
        async def _aafter_error(self, conn: Any, exc: Exception) -> Exception: ...
        def _is_usable(self, conn: Any) -> bool: ...
        def _ais_usable(self, conn: Any) -> bool: ...

    def sync_state(self) -> TxState | None:
        """The transaction of the current thread/context, if inside ``atomic()``."""
        return self._sync_var.get() or self._pinned_sync

    def async_state(self) -> TxState | None:
        """The transaction of the current task, if inside ``async with atomic()``."""
        return self._async_var.get() or self._pinned_async

    def tx_begin(self, bind: bool = True) -> TxState:
        """Borrow a connection, ``BEGIN``, and (if ``bind``) bind it to the current context."""
        if _get_running_loop() is not None and not _ALLOW_ASYNC_UNSAFE:
            raise SynchronousOnlyOperation(SYNC_IN_ASYNC_MESSAGE)
        conn = self._pool.get()
        try:
            self._control(conn, self._begin_sql)
        except Exception as exc:
            err = self._after_error(conn, exc)
            if not isinstance(err, OperationalError | InterfaceError) or self._is_usable(conn):
                raise _translated(err) from exc
            conn = self._pool.get()  # stale pooled connection: once more on a fresh one
            try:
                self._control(conn, self._begin_sql)
            except Exception as exc2:
                raise _translated(self._after_error(conn, exc2)) from exc2
        state = TxState(conn)
        if bind:
            state.token = self._sync_var.set(state)
        return state

    def tx_sql(self, state: TxState, sql: str) -> None:
        """Run a transaction-control statement (SAVEPOINT, RELEASE, ...) on the bound conn."""
        try:
            self._control(state.conn, sql)
        except Exception as exc:
            raise _translated(exc) from exc

    def tx_end(self, state: TxState, commit: bool) -> None:
        """COMMIT or ROLLBACK, unbind, and return the connection to the pool.

        A failed COMMIT is rolled back and raised. A failed ROLLBACK is not raised (it would
        hide the exception that caused it): the connection is dropped, which ends the
        transaction on the server too.
        """
        conn = state.conn
        try:
            try:
                self._control(conn, "COMMIT" if commit else "ROLLBACK")
            except Exception as exc:
                if commit:
                    try:
                        self._control(conn, "ROLLBACK")
                    except BaseException as failed:
                        self._pool.discard(conn)
                        conn = None
                        if not isinstance(failed, Exception):
                            raise
                    raise _translated(exc) from exc
                self._pool.discard(conn)
                conn = None
        finally:
            if state.token is not None:
                self._sync_var.reset(state.token)
                state.token = None
            if conn is not None:
                self._pool.put(conn)

    async def atx_begin(self, bind: bool = True) -> TxState:
        """Async form of ``tx_begin``."""
        conn = await self._apool.get()
        try:
            await self._acontrol(conn, self._begin_sql)
        except Exception as exc:
            err = await self._aafter_error(conn, exc)
            if not isinstance(err, OperationalError | InterfaceError) or self._ais_usable(conn):
                raise _translated(err) from exc
            conn = await self._apool.get()
            try:
                await self._acontrol(conn, self._begin_sql)
            except Exception as exc2:
                raise _translated(await self._aafter_error(conn, exc2)) from exc2
        except BaseException:
            await self._apool.discard(conn)
            raise
        state = TxState(conn)
        if bind:
            state.token = self._async_var.set(state)
        return state

    async def atx_sql(self, state: TxState, sql: str) -> None:
        if self._bridge is not None:
            return await self._bridge.run(self.tx_sql, state, sql)
        try:
            await self._acontrol(state.conn, sql)
        except Exception as exc:
            raise _translated(exc) from exc

    async def atx_end(self, state: TxState, commit: bool) -> None:
        """Async form of ``tx_end``."""
        conn = state.conn
        try:
            try:
                await self._acontrol(conn, "COMMIT" if commit else "ROLLBACK")
            except Exception as exc:
                if commit:
                    try:
                        await self._acontrol(conn, "ROLLBACK")
                    except BaseException as failed:
                        await self._apool.discard(conn)
                        conn = None
                        if not isinstance(failed, Exception):
                            raise
                    raise _translated(exc) from exc
                await self._apool.discard(conn)
                conn = None
            except BaseException:  # cancelled while ending: the connection's state is unknown
                await self._apool.discard(conn)
                conn = None
                raise
        finally:
            if state.token is not None:
                self._async_var.reset(state.token)
                state.token = None
            if conn is not None:
                await self._apool.put(conn)


def _translated(exc: BaseException) -> BaseException:
    return translate_error(exc) or exc
