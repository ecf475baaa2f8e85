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
from typing import Any, TypeVar, overload

from djanco.db import DEFAULT_DB_ALIAS, connections
from djanco.db.backends import DatabaseWrapper, TxState
from djanco.db.backends.base.statements import check_sync_allowed
from djanco.db.backends.base.transactions import Local
from djanco.db.utils import Error, ProgrammingError
from djanco.utils.flow import Call, Flow, arun, run

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "atomic",
    "atomic_flow",
    "get_autocommit",
    "get_rollback",
    "mark_for_rollback_on_error",
    "on_commit",
    "set_rollback",
]

logger = logging.getLogger("djanco.db.transaction")
_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")
_background: set[asyncio.Task[None]] = set()
_ATOMIC_IN_ASYNC = (
    "You cannot call this from an async context - use the async form (async with atomic())"
)


class TransactionManagementError(ProgrammingError):
    """Transaction API misuse, e.g. ``set_rollback`` outside ``atomic``."""


class Atomic:
    """One ``atomic()`` block: the outermost opens a transaction, inner ones a savepoint.

    An instance holds no per-entry state, so one decorator instance serves concurrent calls
    from many threads and tasks. ``enter()`` and ``exit()`` are the block's two halves as
    flows (``djanco.utils.flow``), the same code under ``with`` and ``async with``; ORM flows
    use ``atomic_flow()`` instead of a ``with`` statement.
    """

    __slots__ = ("durable", "savepoint", "using")

    def __init__(self, using: str | None, savepoint: bool, durable: bool) -> None:
        self.using = using or DEFAULT_DB_ALIAS
        self.savepoint = savepoint
        self.durable = durable

    def enter(self) -> Flow[None]:
        """Begin the transaction, or a savepoint inside the current one."""
        wrapper = connections[self.using]
        tx = wrapper.transactions
        local: Local = yield tx.local
        state = local.current()
        if state is None:
            state = yield from tx.begin()
            local.bind(state)
            state.levels.append((None, self.durable))
            return
        sid = self._enter_nested(state)
        if sid is not None:
            yield Call(wrapper.tx_sql, wrapper.atx_sql, state, f"SAVEPOINT {sid}")
        state.levels.append((sid, self.durable))

    def exit(self, failed: bool) -> Flow[None]:
        """End the block: commit or roll back the transaction (and run ``on_commit``
        callbacks after a commit), or release or roll back the savepoint. ``failed``: an
        exception is leaving the block."""
        wrapper = connections[self.using]
        local: Local = yield wrapper.transactions.local
        state = local.current()
        assert state is not None, "atomic block exited without a transaction"
        sid, _ = state.levels.pop()
        if not state.levels:
            commit = not failed and not state.needs_rollback
            callbacks = state.run_on_commit
            yield from wrapper.transactions.end(state, commit)
            if commit:
                for _sids, func, robust in callbacks:
                    yield Call(_call, _acall, func, robust)
            return
        if not failed and not state.needs_rollback:
            if sid is not None:
                try:
                    yield Call(wrapper.tx_sql, wrapper.atx_sql, state, f"RELEASE SAVEPOINT {sid}")
                except Error:
                    yield from _roll_back_savepoint(wrapper, state, sid)
                    raise
            return
        # A nested block failed: without a savepoint of its own, the whole transaction is to
        # roll back (as in Django); with one, the savepoint is, with its on_commit callbacks.
        state.needs_rollback = sid is None
        if sid is not None:
            state.run_on_commit = [cb for cb in state.run_on_commit if sid not in cb[0]]
            yield from _roll_back_savepoint(wrapper, state, sid)

    def __enter__(self) -> None:
        check_sync_allowed(_ATOMIC_IN_ASYNC)
        run(self.enter())

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        run(self.exit(exc_type is not None))

    async def __aenter__(self) -> None:
        await arun(self.enter())

    async def __aexit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        await arun(self.exit(exc_type is not None))

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


def atomic_flow(
    body: Flow[_T], using: str | None = None, savepoint: bool = True, durable: bool = False
) -> Flow[_T]:
    """Run the flow ``body`` inside an atomic block, as ``with atomic(...)`` would: a flow
    itself, for ORM operations written once for their sync and async forms::

        def _delete(objs) -> Flow[int]:
            return (yield from atomic_flow(_delete_rows(objs), using=alias))
    """
    block = Atomic(using, savepoint, durable)
    yield from block.enter()
    try:
        result = yield from body
    except BaseException:
        yield from block.exit(failed=True)
        raise
    yield from block.exit(failed=False)
    return result


def _roll_back_savepoint(wrapper: DatabaseWrapper, state: TxState, sid: str) -> Flow[None]:
    """Undo a nested block's work; if even that fails, the whole transaction must roll back."""
    try:
        yield Call(wrapper.tx_sql, wrapper.atx_sql, state, f"ROLLBACK TO SAVEPOINT {sid}")
        yield Call(wrapper.tx_sql, wrapper.atx_sql, state, f"RELEASE SAVEPOINT {sid}")
    except Error:
        state.needs_rollback = True


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
