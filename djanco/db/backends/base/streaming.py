"""Streaming a large result in chunks without holding every row in memory at once.

Server-side cursors where the driver has them: PostgreSQL named cursors (inside a transaction,
opened for the stream when there is none), MariaDB/MySQL unbuffered cursors (outside
transactions: an unbuffered cursor blocks its connection until read to the end), SQLite's own
lazy stepping. The connection is held until the iterator ends or is closed.
"""

from __future__ import annotations

from typing import Any

from djanco.db.backends.base.pool import checkout
from djanco.db.backends.base.statements import CompiledQuery, Row, raise_translated
from djanco.db.backends.base.transactions import Local, Transactions
from djanco.utils.flow import Call, Flow

__all__ = ["RowStream"]


class RowStream:
    """One streamed query: ``open``, ``fetch`` until an empty chunk, then ``close`` — each a
    flow, driven by ``wrapper.stream`` (sync) or ``wrapper.astream`` (async)."""

    __slots__ = ("_begun", "_conn", "_cursor", "_done", "_own", "_query", "_size", "_tx", "_values")

    def __init__(self, tx: Transactions, query: CompiledQuery, values: object, size: int) -> None:
        self._tx = tx
        self._query = query
        self._values = values
        self._size = size
        self._conn: Any = None
        self._cursor: Any = None
        self._own = self._begun = self._done = False

    def open(self) -> Flow[None]:
        """Run the query on the current transaction's connection, or on one borrowed for the
        stream (in a transaction of its own where the driver's cursors need one)."""
        tx = self._tx
        driver, adriver = tx.driver, tx.adriver
        local: Local = yield tx.local
        state = local.current()
        self._own = state is None
        if state is not None:
            self._conn = state.conn
        elif driver.stream_needs_transaction:
            self._conn, _ = yield from checkout(tx.pool, tx.apool, self._begin)
            self._begun = True
        else:
            self._conn = yield Call(tx.pool.get, tx.apool.get)
        try:
            self._cursor = yield Call(
                driver.stream_open,
                adriver.stream_open,
                self._conn,
                self._own,
                self._query,
                self._values,
            )
        except BaseException as exc:
            yield from self._give_back()
            if isinstance(exc, Exception):
                raise_translated(exc)
            raise

    def _begin(self, conn: Any) -> Call[None]:
        return Call(self._tx.driver.control, self._tx.adriver.control, conn, "BEGIN")

    def fetch(self) -> Flow[list[Row]]:
        """The next chunk of rows; empty once they are all read."""
        tx = self._tx
        try:
            rows: list[Row] = yield Call(
                tx.driver.stream_fetch,
                tx.adriver.stream_fetch,
                self._cursor,
                self._query,
                self._size,
            )
        except Exception as exc:
            raise_translated(exc)
        self._done = not rows
        return rows

    def close(self) -> Flow[None]:
        """Close the cursor and return the connection (committing the stream's own
        transaction if every row was read, else rolling it back)."""
        tx = self._tx
        try:
            if self._cursor is not None:
                yield Call(tx.driver.stream_close, tx.adriver.stream_close, self._cursor)
            if self._begun and self._done:
                yield Call(tx.driver.control, tx.adriver.control, self._conn, "COMMIT")
                self._begun = False
        except Exception as exc:
            raise_translated(exc)
        finally:
            yield from self._give_back()

    def _give_back(self) -> Flow[None]:
        """Return a borrowed connection, rolling back the stream's unfinished transaction."""
        tx, conn = self._tx, self._conn
        if not self._own or conn is None:
            return
        self._conn = None
        if self._begun:
            yield from tx.roll_back(conn)
        else:
            yield Call(tx.pool.put_failed, tx.apool.put_failed, conn)  # put back unless broken
