"""``Transactions``: the transaction of each thread and task on one alias.

A transaction holds one pooled connection for its whole life. A ``ContextVar`` per mode binds
it to the thread (sync) or task (async) that began it, so concurrent requests never share one;
the test fixtures instead *pin* a transaction that every statement of a test runs in.
Beginning and ending one are written once, as flows (``djanco.utils.flow``) driven sync or
async by the wrapper's ``tx_begin``/``atx_begin``, ... and by ``atomic()``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Any

from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.pool import AsyncPool, SyncPool, after_failure
from djanco.db.backends.base.state import TxState
from djanco.db.backends.base.statements import raise_translated
from djanco.utils.flow import Call, Flow

__all__ = ["Local", "Transactions"]


class Local:
    """The transactions of one mode: bound to the current thread (sync) or task (async) by a
    ``ContextVar``, or pinned for every caller by a test."""

    __slots__ = ("pinned", "var")

    def __init__(self, name: str) -> None:
        self.var: ContextVar[TxState | None] = ContextVar(name, default=None)
        self.pinned: TxState | None = None
        """The test transaction every statement of this mode runs in (from any thread)."""

    def current(self) -> TxState | None:
        return self.var.get() or self.pinned

    def bind(self, state: TxState) -> None:
        """Make ``state`` the current thread's or task's transaction (until ``end``)."""
        state.token = self.var.set(state)


class Transactions:
    """Which transaction is current where, and beginning and ending one."""

    __slots__ = (
        "_get",
        "adriver",
        "apool",
        "async_local",
        "driver",
        "local",
        "pool",
        "sync_local",
    )

    def __init__(
        self, alias: str, pool: SyncPool, apool: AsyncPool, driver: SyncDriver, adriver: AsyncDriver
    ) -> None:
        self.pool, self.apool, self.driver, self.adriver = pool, apool, driver, adriver
        self.sync_local = Local(f"djanco_tx_{alias}")
        self.async_local = Local(f"djanco_atx_{alias}")
        self.local = _LocalStep(self.sync_local, self.async_local)
        """A step whose value is the ``Local`` of the mode the flow runs in."""
        self._get = Call(pool.get, apool.get)

    def begin(self) -> Flow[TxState]:
        """Borrow a connection and BEGIN on it (on another if the first turns out dead)."""
        conn = yield self._get
        try:
            yield self._begin_on(conn)
        except BaseException as exc:
            conn, _ = yield from after_failure(self.pool, self.apool, conn, exc, self._begin_on)
        return TxState(conn)

    def _begin_on(self, conn: Any) -> Call[None]:
        return Call(self.driver.control, self.adriver.control, conn, self.driver.begin_sql)

    def end(self, state: TxState, commit: bool) -> Flow[None]:
        """COMMIT or ROLLBACK, unbind the transaction, and return its connection to the pool.

        A failed COMMIT is rolled back and raised. A failed ROLLBACK is not raised (it would
        hide the exception that caused it): the connection is dropped, which ends the
        transaction on the server too. Interrupted while ending, the connection's state is
        unknown: it is dropped.
        """
        pool, apool, driver, adriver = self.pool, self.apool, self.driver, self.adriver
        conn = state.conn
        try:
            yield Call(driver.control, adriver.control, conn, "COMMIT" if commit else "ROLLBACK")
        except Exception as exc:
            if commit:
                yield from self.roll_back(conn)
                raise_translated(exc)
            yield Call(pool.discard, apool.discard, conn)
        except BaseException:
            yield Call(pool.discard, apool.discard, conn)
            raise
        else:
            yield Call(pool.put, apool.put, conn)
        finally:
            if state.token is not None:  # bound to a thread or task: unbind
                state.token.var.reset(state.token)
                state.token = None

    def roll_back(self, conn: Any) -> Flow[None]:
        """ROLLBACK a connection's unfinished transaction and return the connection to the
        pool; if even that fails, drop the connection (which ends the transaction too)."""
        pool, apool = self.pool, self.apool
        try:
            yield Call(self.driver.control, self.adriver.control, conn, "ROLLBACK")
        except BaseException as failed:
            yield Call(pool.discard, apool.discard, conn)
            if not isinstance(failed, Exception):
                raise
        else:
            yield Call(pool.put, apool.put, conn)


class _LocalStep:
    """The step ``transactions.local``: the sync ``Local`` run sync, the async one async."""

    __slots__ = ("_async", "_sync")

    def __init__(self, sync: Local, async_: Local) -> None:
        self._sync = sync
        self._async = async_

    def run(self) -> Local:
        return self._sync

    def arun(self) -> Awaitable[Local]:
        return self._alocal()

    async def _alocal(self) -> Local:
        return self._async
