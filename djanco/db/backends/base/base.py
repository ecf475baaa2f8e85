"""``DatabaseWrapper``: one database alias — its pools, statement execution, transaction state.

Outside ``atomic()`` every statement runs in autocommit on a connection borrowed from the pool
for that one statement. Inside ``atomic()`` the thread (sync) or task (async) uses the
connection bound to the block, found through a ``ContextVar`` so threads and tasks never share
a transaction. The vendor subclasses only say how to connect and how to run one statement.
"""

from __future__ import annotations

import logging
import time
from asyncio import _get_running_loop
from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from djanco.db.backends.base.aexecute import AsyncExecutionMixin
from djanco.db.backends.base.compiled import CompiledQuery, Params, Result, Row, compile_statement
from djanco.db.backends.base.features import Features
from djanco.db.backends.base.operations import DatabaseOperations
from djanco.db.backends.base.pool import AsyncPool, SyncPool
from djanco.db.backends.base.state import QueryRecord, TxState
from djanco.db.backends.base.transactions import (
    _ALLOW_ASYNC_UNSAFE,
    SYNC_IN_ASYNC_MESSAGE,
    TransactionsMixin,
)
from djanco.db.utils import (
    Error,
    InterfaceError,
    OperationalError,
    SynchronousOnlyOperation,
    translate_error,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Dialect, Engine
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.elements import ClauseElement

    from djanco.db.backends.base.bridge import SyncBridge
    from djanco.db.backends.base.cursor import CursorWrapper

__all__ = [
    "SYNC_IN_ASYNC_MESSAGE",
    "DatabaseWrapper",
    "Features",
    "QueryRecord",
    "Statement",
    "TxState",
]

logger = logging.getLogger("djanco.db")

Statement: TypeAlias = "Executable | ClauseElement | CompiledQuery | str"
"""What ``execute`` accepts: a Core statement, a compiled query, or raw SQL with ``%s``."""


class DatabaseWrapper(AsyncExecutionMixin, TransactionsMixin):
    """One configured database (``connections[alias]``): compiles and runs statements.

    Use ``execute``/``aexecute`` for SQLAlchemy Core statements, ``CompiledQuery`` objects from
    ``compile()`` (cache these per query shape), or raw SQL strings with ``%s`` placeholders.
    """

    vendor: ClassVar[str] = ""
    """The backend package's name: "sqlite", "postgresql", "mysql"."""
    display_name: ClassVar[str] = ""
    url_schemes: ClassVar[tuple[str, ...]] = ()
    """Database URL schemes (before any ``+driver``) this backend serves."""
    driver_modules: ClassVar[tuple[str, ...]] = ()
    """The driver modules it needs, and how to install them (for ``djanco check``)."""
    driver_requirement: ClassVar[str] = ""
    paramstyle: ClassVar[str] = "format"
    ops_class: ClassVar[type[DatabaseOperations]] = DatabaseOperations
    features_class: ClassVar[type[Features]] = Features

    def __init__(self, alias: str, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.alias = alias
        self.settings_url = url
        parsed = make_url(url)
        options = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
        pool_size = _option(options, "pool_size", int, 20, alias)
        pool_timeout = _option(options, "pool_timeout", float, 30.0, alias)
        self._options: dict[str, str] = options
        """URL query options left for the driver once Djanco's own are taken out."""
        self._parsed_url = parsed.set(query=options)
        self._features = self.features_class()
        self.ops = self.ops_class(self)
        """This database's SQL spellings, for the ORM (see ``DatabaseOperations``)."""
        self._dialect: Dialect | None = None
        self._engine: Engine | None = None
        self._sync_var: ContextVar[TxState | None] = ContextVar(f"djanco_tx_{alias}", default=None)
        self._async_var: ContextVar[TxState | None] = ContextVar(
            f"djanco_atx_{alias}", default=None
        )
        self._pinned_sync: TxState | None = None
        self._pinned_async: TxState | None = None
        self._bridge: SyncBridge | None = None
        """Set by the ``db`` test fixture: async calls then run on the pinned sync transaction."""
        self._pool: SyncPool[Any] = SyncPool(self._connect, self._close)
        self._apool: AsyncPool[Any] = AsyncPool(
            self._aconnect, self._aclose, max_size=pool_size, timeout=pool_timeout
        )
        self._raw_cache: dict[str, CompiledQuery] = {}
        self.queries_log: list[QueryRecord] | None = None
        """Statements run on this alias are appended here while it is a list (tests)."""
        self.debug_log = _debug_setting()
        """Log every statement with its duration on the ``djanco.db`` logger (DEBUG)."""

    # -- vendor hooks ----------------------------------------------------------------------
    def _sa_url(self) -> URL:
        raise NotImplementedError

    def _connect(self) -> Any:
        raise NotImplementedError

    def _close(self, conn: Any) -> None:
        conn.close()

    def _is_usable(self, conn: Any) -> bool:
        return True

    def _in_transaction(self, conn: Any) -> bool:
        """Whether the connection is inside a transaction (one started with raw SQL)."""
        return False

    def _release(self, conn: Any) -> None:
        """Return an autocommit connection to the pool, never with a transaction open: a raw
        ``BEGIN`` outside ``atomic()`` must not leak into the next borrower's statements."""
        if self._in_transaction(conn):
            try:
                self._control(conn, "ROLLBACK")
            except Exception:
                self._pool.discard(conn)
                return
        self._pool.put(conn)

    def _ain_transaction(self, conn: Any) -> bool:
        return self._in_transaction(conn)

    def _ais_usable(self, conn: Any) -> bool:
        return self._is_usable(conn)

    @staticmethod
    def _lastrowid(cur: Any) -> int | None:
        return cur.lastrowid  # type: ignore[no-any-return]

    async def _aconnect(self) -> Any:
        raise NotImplementedError

    async def _aclose(self, conn: Any) -> None:
        raise NotImplementedError

    async def _arun(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        raise NotImplementedError

    async def _arun_many(
        self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        raise NotImplementedError

    async def _acontrol(self, conn: Any, sql: str) -> None:
        await self._arun(conn, CompiledQuery(sql), None)

    _begin_sql: str = "BEGIN"

    # Streaming hooks (see streaming.py).
    _stream_needs_transaction: ClassVar[bool] = False

    def _stream_cursor(self, conn: Any, own_connection: bool) -> Any:
        return conn.cursor()

    async def _astream_open(
        self, conn: Any, own_connection: bool, sql: str, values: object
    ) -> tuple[Any, Any]:
        raise NotImplementedError

    async def _astream_fetch(self, conn: Any, cursor: Any, size: int) -> list[Row]:
        rows: list[Row] = await cursor.fetchmany(size)
        return rows

    async def _astream_close(self, conn: Any, cursor: Any) -> None:
        await cursor.close()

    def _raw_sql(self, sql: str, has_params: bool) -> str:
        """Turn Django-style ``%s`` placeholders into the driver's own."""
        return sql

    @property
    def features(self) -> Features:
        """What this database supports (asks the server its version on first use)."""
        if self._dialect is None:
            self.dialect  # noqa: B018 - initialises the dialect, which completes the features
        return self._features

    # -- SQLAlchemy side -------------------------------------------------------------------
    @property
    def dialect(self) -> Dialect:
        """The SQLAlchemy dialect statements are compiled with (initialised from the server)."""
        dialect = self._dialect
        if dialect is None:
            engine = self.sa_engine
            with engine.connect():  # runs dialect.initialize(): server version, MariaDB, ...
                pass
            dialect = self._dialect = engine.dialect
            self._features.setup(dialect)
        return dialect

    @property
    def sa_engine(self) -> Engine:
        """A SQLAlchemy ``Engine`` on this database (no pooling), for DDL tools like Alembic."""
        if self._engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self._engine = create_engine(
                self._sa_url(), poolclass=NullPool, paramstyle=self.paramstyle
            )
        return self._engine

    def compile(self, statement: Executable | ClauseElement) -> CompiledQuery:
        """Compile a Core statement once; execute the result many times with new values."""
        return compile_statement(statement, self.dialect)

    def _query(self, statement: object, has_params: bool) -> CompiledQuery:
        if type(statement) is CompiledQuery:
            return statement
        if isinstance(statement, str):
            key = statement if has_params else "\0" + statement
            query = self._raw_cache.get(key)
            if query is None:
                if len(self._raw_cache) > 1000:
                    self._raw_cache.clear()
                query = self._raw_cache[key] = CompiledQuery(self._raw_sql(statement, has_params))
            return query
        return self.compile(statement)  # type: ignore[arg-type]

    def _aprepare(
        self, statement: Statement, params: Params | None
    ) -> tuple[CompiledQuery, object]:
        """The query and bound values for the async driver (which may differ from the sync
        one: PostgreSQL's asyncpg uses ``$n`` placeholders and its own conversions)."""
        query = self._query(statement, params is not None)
        return query, self._values(query, params)

    def _aprepare_many(
        self, statement: Statement, seq_of_params: Iterable[Params]
    ) -> tuple[CompiledQuery, list[object]]:
        query = self._query(statement, True)
        return query, [self._values(query, p) for p in seq_of_params]

    @staticmethod
    def _values(query: CompiledQuery, params: Params | None) -> object:
        if query.names or query._compiled is not None:
            return query.bind(params)
        return params  # raw SQL: the driver binds them as given

    # -- sync execution --------------------------------------------------------------------
    def _run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        cur = conn.cursor()
        try:
            if values is None:
                cur.execute(query.sql)
            else:
                cur.execute(query.sql, values)
            desc = cur.description
            if desc is None:
                return Result([], (), cur.rowcount, self._lastrowid(cur))
            rows = cur.fetchall()
            return _result(query, rows, desc, cur.rowcount, self._lastrowid(cur))
        finally:
            cur.close()

    def _run_many(self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]) -> int:
        cur = conn.cursor()
        try:
            cur.executemany(query.sql, values)
            return int(cur.rowcount)
        finally:
            cur.close()

    def _control(self, conn: Any, sql: str) -> None:
        cur = conn.cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    def execute(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> Result:
        """Run one statement and fetch its rows. Raw SQL uses ``%s`` placeholders.

        Raises ``SynchronousOnlyOperation`` inside a running event loop: use ``aexecute``.
        """
        if _get_running_loop() is not None and not _ALLOW_ASYNC_UNSAFE:
            raise SynchronousOnlyOperation(SYNC_IN_ASYNC_MESSAGE)
        query = self._query(statement, params is not None)
        values = self._values(query, params)
        if self.queries_log is not None or self.debug_log:
            return self._logged(query, values, self._execute)
        return self._execute(query, values)

    def _execute(self, query: CompiledQuery, values: object) -> Result:
        state = self._sync_var.get() or self._pinned_sync
        if state is not None:
            try:
                return self._run(state.conn, query, values)
            except Exception as exc:
                raise _translated(exc) from exc
        pool = self._pool
        conn = pool.get()
        try:
            result = self._run(conn, query, values)
        except Exception as exc:
            err = self._after_error(conn, exc)
            if isinstance(err, OperationalError | InterfaceError) and not self._is_usable(conn):
                return self._retry(query, values, err)
            if err is exc:
                raise
            raise err from exc
        except BaseException:
            pool.discard(conn)
            raise
        self._release(conn)
        return result

    def _after_error(self, conn: Any, exc: Exception) -> Exception:
        """Return the pooled connection (or drop it and its idle siblings if it is broken)."""
        if self._is_usable(conn):
            self._release(conn)
        else:
            self._pool.discard(conn)
            self._pool.clear()  # the server likely restarted: every idle connection is dead
        return translate_error(exc) or exc

    def _retry(self, query: CompiledQuery, values: object, err: Error) -> Result:
        # The connection died before or while sending (server restart, idle timeout): one
        # more try on a fresh connection, outside any transaction.
        conn = self._pool.get()
        try:
            result = self._run(conn, query, values)
        except Exception as exc:
            raise _translated(self._after_error(conn, exc)) from err
        self._release(conn)
        return result

    def execute_many(
        self,
        statement: Statement,
        seq_of_params: Iterable[Params],
    ) -> int:
        """Run one statement once per parameter set (driver ``executemany``); the row count."""
        if _get_running_loop() is not None and not _ALLOW_ASYNC_UNSAFE:
            raise SynchronousOnlyOperation(SYNC_IN_ASYNC_MESSAGE)
        query = self._query(statement, True)
        values = [self._values(query, p) for p in seq_of_params]
        start = time.perf_counter()
        state = self._sync_var.get() or self._pinned_sync
        conn = state.conn if state is not None else self._pool.get()
        try:
            count = self._run_many(conn, query, values)  # type: ignore[arg-type]
        except Exception as exc:
            if state is None:
                self._after_error(conn, exc)
            raise _translated(exc) from exc
        if state is None:
            self._release(conn)
        if self.queries_log is not None or self.debug_log:
            self._observe(query.sql, values, start)
        return count

    def fetchall(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> list[Row]:
        return self.execute(statement, params).rows

    def scalar(
        self,
        statement: Statement,
        params: Params | None = None,
    ) -> object:
        return self.execute(statement, params).scalar()

    def stream(
        self, statement: Statement, params: Params | None = None, chunk_size: int = 2000
    ) -> Generator[list[Row], None, None]:
        """Run a query and yield its rows in lists of up to ``chunk_size``, fetched lazily
        (server-side cursors), for iterating over results too large to hold at once.

        The connection stays busy until the iterator is exhausted or closed: close it (or use
        ``contextlib.closing``) when stopping early.
        """
        from djanco.db.backends.base.streaming import stream

        return stream(self, statement, params, chunk_size)

    def astream(
        self, statement: Statement, params: Params | None = None, chunk_size: int = 2000
    ) -> AsyncGenerator[list[Row], None]:
        """Async form of ``stream`` (``async for chunk in wrapper.astream(q): ...``)."""
        if self._bridge is not None:
            return self._bridge.stream(self, statement, params, chunk_size)
        from djanco.db.backends.base.streaming import astream

        return astream(self, statement, params, chunk_size)

    def _logged(
        self, query: CompiledQuery, values: object, run: Callable[[CompiledQuery, object], Result]
    ) -> Result:
        start = time.perf_counter()
        try:
            return run(query, values)
        finally:
            self._observe(query.sql, values, start)

    def _observe(self, sql: str, values: object, start: float) -> None:
        """Record a finished statement for ``capture_queries`` and the ``djanco.db`` log."""
        duration = time.perf_counter() - start
        log = self.queries_log
        if log is not None:
            log.append(QueryRecord(sql, values, duration))
        if self.debug_log and logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "(%.3f ms) %s; args=%r; alias=%s",
                duration * 1e3,
                sql,
                values,
                self.alias,
                extra={"duration": duration, "sql": sql, "params": values, "alias": self.alias},
            )

    def cursor(self) -> CursorWrapper:
        """A Django-style cursor: ``with connection.cursor() as c: c.execute(sql, [x])``."""
        from djanco.db.backends.base.cursor import CursorWrapper

        return CursorWrapper(self)

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close idle pooled connections (async ones are dropped; see ``aclose``)."""
        self._pool.clear()
        self._apool.clear()
        if self._engine is not None:
            self._engine.dispose()

    async def aclose(self) -> None:
        """Close the idle async connections of the running event loop."""
        await self._apool.aclear()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} alias={self.alias!r} vendor={self.vendor!r}>"


_T = TypeVar("_T", int, float)


def _option(options: dict[str, str], name: str, kind: type[_T], default: _T, alias: str) -> _T:
    raw = options.pop(name, None)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = kind(0)
    if value <= 0:
        raise ValueError(
            f"Database {alias!r}: URL option {name}={raw!r} must be a positive {kind.__name__}"
        )
    return value


def _debug_setting() -> bool:
    from djanco.conf import settings

    try:
        return bool(settings.DEBUG)
    except Exception:  # settings that fail to load are reported where they are used
        return False


def _translated(exc: BaseException) -> BaseException:
    return translate_error(exc) or exc


def _result(
    query: CompiledQuery,
    rows: Sequence[Row],
    desc: Sequence[Sequence[Any]],
    rowcount: int,
    lastrowid: int | None,
) -> Result:
    """Build a Result, converting values whose SQLAlchemy type asks for it."""
    if type(rows) is not list:
        rows = list(rows)
    procs = query._result_processors
    if procs is None:
        procs = query.result_processors([d[1] for d in desc])
    if procs:
        out: list[Row] = []
        append = out.append
        for row in rows:
            values = list(row)
            for i, proc in procs:
                values[i] = proc(values[i])
            append(tuple(values))
        rows = out
    columns = query.columns or tuple(d[0] for d in desc)
    return Result(rows, columns, rowcount, lastrowid)
