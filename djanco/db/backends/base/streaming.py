"""Streaming a large result in chunks without holding every row in memory at once.

Server-side cursors where the driver has them: PostgreSQL named cursors (inside a transaction,
opened for the stream when there is none), MariaDB/MySQL unbuffered cursors (outside
transactions: an unbuffered cursor blocks its connection until read to the end), SQLite's own
lazy stepping. The connection is held until the iterator ends or is closed.
"""

from __future__ import annotations

from asyncio import _get_running_loop
from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper, _result, _translated
from djanco.db.backends.base.compiled import Params, Row
from djanco.db.backends.base.transactions import _ALLOW_ASYNC_UNSAFE, SYNC_IN_ASYNC_MESSAGE
from djanco.db.utils import SynchronousOnlyOperation

if TYPE_CHECKING:
    from djanco.db.backends.base.base import Statement

__all__ = ["astream", "stream"]


def stream(
    wrapper: DatabaseWrapper, statement: Statement, params: Params | None, chunk_size: int
) -> Generator[list[Row], None, None]:
    """Sync implementation of ``DatabaseWrapper.stream``."""
    if _get_running_loop() is not None and not _ALLOW_ASYNC_UNSAFE:
        raise SynchronousOnlyOperation(SYNC_IN_ASYNC_MESSAGE)
    query = wrapper._query(statement, params is not None)
    values = wrapper._values(query, params)
    state = wrapper.sync_state()
    own = state is None
    conn: Any = wrapper._pool.get() if state is None else state.conn
    begun = done = False
    try:
        try:
            if own and wrapper._stream_needs_transaction:
                wrapper._control(conn, "BEGIN")
                begun = True
            cur = wrapper._stream_cursor(conn, own)
            try:
                if values is None:
                    cur.execute(query.sql)
                else:
                    cur.execute(query.sql, values)
                desc = cur.description
                while rows := cur.fetchmany(chunk_size):
                    yield _result(query, rows, desc, -1, None).rows
            finally:
                cur.close()
            if begun:
                wrapper._control(conn, "COMMIT")
            done = True
        except Exception as exc:
            raise _translated(exc) from exc
    finally:
        if own:
            _release(wrapper, conn, begun and not done)


def _release(wrapper: DatabaseWrapper, conn: Any, rollback: bool) -> None:
    try:
        if rollback:
            wrapper._control(conn, "ROLLBACK")
    except Exception:
        wrapper._pool.discard(conn)
        return
    if wrapper._is_usable(conn):
        wrapper._release(conn)
    else:
        wrapper._pool.discard(conn)


async def astream(
    wrapper: DatabaseWrapper, statement: Statement, params: Params | None, chunk_size: int
) -> AsyncGenerator[list[Row], None]:
    """Async implementation of ``DatabaseWrapper.astream``."""
    query, values = wrapper._aprepare(statement, params)
    state = wrapper.async_state()
    own = state is None
    conn: Any = (await wrapper._apool.get()) if state is None else state.conn
    begun = done = False
    try:
        try:
            if own and wrapper._stream_needs_transaction:
                await wrapper._acontrol(conn, "BEGIN")
                begun = True
            cur, desc = await wrapper._astream_open(conn, own, query.sql, values)
            try:
                while rows := await wrapper._astream_fetch(conn, cur, chunk_size):
                    yield _result(query, rows, desc, -1, None).rows
            finally:
                await wrapper._astream_close(conn, cur)
            if begun:
                await wrapper._acontrol(conn, "COMMIT")
            done = True
        except Exception as exc:
            raise _translated(exc) from exc
    finally:
        if own:
            await _arelease(wrapper, conn, begun and not done)


async def _arelease(wrapper: DatabaseWrapper, conn: Any, rollback: bool) -> None:
    try:
        if rollback:
            await wrapper._acontrol(conn, "ROLLBACK")
    except BaseException:
        await wrapper._apool.discard(conn)
        raise
    if wrapper._ais_usable(conn):
        await wrapper._arelease(conn)
    else:
        await wrapper._apool.discard(conn)
