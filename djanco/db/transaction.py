"""Transactions as in Django: ``atomic`` (``with``, ``async with``, decorator on ``def`` and
``async def``), savepoints for nested blocks, ``on_commit`` and ``durable`` blocks.

The transaction belongs to the current thread (sync) or task (async): a ``ContextVar`` binds the
connection for the duration of the outermost block, so concurrent requests never share one.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from asyncio import _get_running_loop
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar, overload

from djanco.db import DEFAULT_DB_ALIAS, connections
from djanco.db.backends import DatabaseWrapper, TxState
from djanco.db.backends.base.transactions import _ALLOW_ASYNC_UNSAFE
from djanco.db.utils import Error, ProgrammingError, SynchronousOnlyOperation

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "atomic",
    "get_autocommit",
    "get_rollback",
    "mark_for_rollback_on_error",
    "on_commit",
    "set_rollback",
]

logger = logging.getLogger("djanco.db.transaction")
_F = TypeVar("_F", bound=Callable[..., Any])
_background: set[asyncio.Task[None]] = set()
_ATOMIC_IN_ASYNC = (
    "You cannot call this from an async context - use the async form (async with atomic())"
)


class TransactionManagementError(ProgrammingError):
    """Transaction API misuse, e.g. ``set_rollback`` outside ``atomic``."""


class Atomic:
    """One ``atomic()`` block: the outermost opens a transaction, inner ones a savepoint.

    An instance holds no per-entry state, so one decorator instance serves concurrent calls
    from many threads and tasks.
    """

    __slots__ = ("durable", "savepoint", "using")

    def __init__(self, using: str | None, savepoint: bool, durable: bool) -> None:
        self.using = using or DEFAULT_DB_ALIAS
        self.savepoint = savepoint
        self.durable = durable

    # -- sync ------------------------------------------------------------------------------
    def __enter__(self) -> None:
        if _get_running_loop() is not None and not _ALLOW_ASYNC_UNSAFE:
            raise SynchronousOnlyOperation(_ATOMIC_IN_ASYNC)
        wrapper = connections[self.using]
        state = wrapper.sync_state()
        if state is None:
            state = wrapper.tx_begin()
            state.levels.append((None, self.durable))
            return
        sid = self._enter_nested(state)
        if sid is not None:
            wrapper.tx_sql(state, f"SAVEPOINT {sid}")
        state.levels.append((sid, self.durable))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        wrapper = connections[self.using]
        state = wrapper.sync_state()
        assert state is not None, "atomic block exited without a transaction"
        sid, _ = state.levels.pop()
        if not state.levels:
            commit = exc_type is None and not state.needs_rollback
            callbacks = state.run_on_commit
            wrapper.tx_end(state, commit)
            if commit:
                for _sids, func, robust in callbacks:
                    _call(func, robust)
            return
        if exc_type is None and not state.needs_rollback:
            if sid is not None:
                try:
                    wrapper.tx_sql(state, f"RELEASE SAVEPOINT {sid}")
                except Error:
                    try:
                        wrapper.tx_sql(state, f"ROLLBACK TO SAVEPOINT {sid}")
                        wrapper.tx_sql(state, f"RELEASE SAVEPOINT {sid}")
                    except Error:
                        state.needs_rollback = True
                    raise
            return
        if _mark_nested_rollback(state, sid):
            try:
                wrapper.tx_sql(state, f"ROLLBACK TO SAVEPOINT {sid}")
                wrapper.tx_sql(state, f"RELEASE SAVEPOINT {sid}")
            except Error:
                state.needs_rollback = True

    # -- async -----------------------------------------------------------------------------
    async def __aenter__(self) -> None:
        wrapper = connections[self.using]
        state = wrapper.async_state()
        if state is None:
            state = await wrapper.atx_begin()
            state.levels.append((None, self.durable))
            return
        sid = self._enter_nested(state)
        if sid is not None:
            await wrapper.atx_sql(state, f"SAVEPOINT {sid}")
        state.levels.append((sid, self.durable))

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        wrapper = connections[self.using]
        state = wrapper.async_state()
        assert state is not None, "atomic block exited without a transaction"
        sid, _ = state.levels.pop()
        if not state.levels:
            commit = exc_type is None and not state.needs_rollback
            callbacks = state.run_on_commit
            await wrapper.atx_end(state, commit)
            if commit:
                for _sids, func, robust in callbacks:
                    await _acall(func, robust)
            return
        if exc_type is None and not state.needs_rollback:
            if sid is not None:
                try:
                    await wrapper.atx_sql(state, f"RELEASE SAVEPOINT {sid}")
                except Error:
                    try:
                        await wrapper.atx_sql(state, f"ROLLBACK TO SAVEPOINT {sid}")
                        await wrapper.atx_sql(state, f"RELEASE SAVEPOINT {sid}")
                    except Error:
                        state.needs_rollback = True
                    raise
            return
        if _mark_nested_rollback(state, sid):
            try:
                await wrapper.atx_sql(state, f"ROLLBACK TO SAVEPOINT {sid}")
                await wrapper.atx_sql(state, f"RELEASE SAVEPOINT {sid}")
            except Error:
                state.needs_rollback = True

    # -- shared ----------------------------------------------------------------------------
    def _enter_nested(self, state: TxState) -> str | None:
        if self.durable and len(state.levels) > (1 if state.is_test else 0):
            raise RuntimeError(
                "A durable atomic block cannot be nested within another atomic block."
            )
        if not self.savepoint or state.needs_rollback:
            return None
        state.savepoint_count += 1
        return f"djanco_sp_{state.savepoint_count}"

    def __call__(self, func: _F) -> _F:
        """Use as a decorator: the function runs inside this block (async functions too)."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                async with self:
                    return await func(*args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]


def _mark_nested_rollback(state: TxState, sid: str | None) -> bool:
    """A nested block fails: True if its savepoint is to be rolled back; without a savepoint
    the whole transaction is marked for rollback instead (as in Django)."""
    state.needs_rollback = sid is None
    if sid is None:
        return False
    state.run_on_commit = [cb for cb in state.run_on_commit if sid not in cb[0]]
    return True


@overload
def atomic(using: _F, savepoint: bool = True, durable: bool = False) -> _F: ...


@overload
def atomic(using: str | None = None, savepoint: bool = True, durable: bool = False) -> Atomic: ...


def atomic(
    using: str | Callable[..., Any] | None = None, savepoint: bool = True, durable: bool = False
) -> Atomic | Callable[..., Any]:
    """A transaction block: ``with atomic():``, ``async with atomic():``, ``@atomic``.

    Nested blocks use savepoints (unless ``savepoint=False``: then an error rolls back the
    whole outer transaction). An exception leaving a block rolls it back. ``durable=True``
    insists on being the outermost block (RuntimeError otherwise).
    """
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def _current(using: str | None) -> tuple[DatabaseWrapper, TxState | None]:
    wrapper = connections[using or DEFAULT_DB_ALIAS]
    if _get_running_loop() is not None:
        return wrapper, wrapper.async_state()
    return wrapper, wrapper.sync_state()


def on_commit(func: Callable[[], object], using: str | None = None, robust: bool = False) -> None:
    """Call ``func`` after the current transaction commits (now, if there is none).

    Dropped if the transaction — or the savepoint it was registered in — rolls back. ``func``
    may be a coroutine function when registered from async code. With ``robust=True`` an
    exception from ``func`` is logged instead of raised.
    """
    _wrapper, state = _current(using)
    if state is None:
        if _get_running_loop() is None:
            _call(func, robust)
            return
        try:
            result = func()
        except Exception:
            if not robust:
                raise
            logger.exception("Error calling %r in on_commit() (robust)", func)
            return
        if inspect.isawaitable(result):  # a coroutine function: run it as a task
            task = asyncio.ensure_future(_await(result, func))
            _background.add(task)
            task.add_done_callback(_background.discard)
        return
    state.run_on_commit.append((state.savepoint_ids(), func, robust))


def _call(func: Callable[[], object], robust: bool) -> None:
    try:
        result = func()
        if inspect.isawaitable(result):
            _close_awaitable(result)
            raise TypeError(
                f"on_commit callback {func!r} is async but the transaction was sync; "
                "register it inside 'async with atomic()'"
            )
    except Exception:
        if not robust:
            raise
        logger.exception("Error calling %r in on_commit() (robust)", func)


async def _acall(func: Callable[[], object], robust: bool) -> None:
    try:
        result = func()
        if inspect.isawaitable(result):
            await result
    except Exception:
        if not robust:
            raise
        logger.exception("Error calling %r in on_commit() (robust)", func)


async def _await(result: Awaitable[object], func: object) -> None:
    try:
        await result
    except Exception:
        # Nobody awaits this task: log even when not robust, as an unawaited task would.
        logger.exception("Error calling %r in on_commit()", func)


def _close_awaitable(result: object) -> None:
    if isinstance(result, Coroutine):
        result.close()


def _require_atomic(using: str | None, what: str) -> TxState:
    _wrapper, state = _current(using)
    if state is None:
        raise TransactionManagementError(f"The {what} doesn't work outside of an 'atomic' block.")
    return state


def get_autocommit(using: str | None = None) -> bool:
    """True when no ``atomic`` block is open (each statement commits on its own)."""
    return _current(using)[1] is None


def get_rollback(using: str | None = None) -> bool:
    """Whether the innermost ``atomic`` block is marked to roll back."""
    return _require_atomic(using, "rollback flag").needs_rollback


def set_rollback(rollback: bool, using: str | None = None) -> None:
    """Mark the innermost ``atomic`` block to roll back on exit (or clear the mark)."""
    _require_atomic(using, "rollback flag").needs_rollback = rollback


@contextmanager
def mark_for_rollback_on_error(using: str | None = None) -> Iterator[None]:
    """Inside ``atomic``, an exception from the body marks the block for rollback (the
    exception still propagates); outside, it just propagates."""
    try:
        yield
    except Exception:
        state = _current(using)[1]
        if state is not None:
            state.needs_rollback = True
        raise
