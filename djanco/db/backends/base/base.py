"""``DatabaseWrapper``: one database alias, composed of its drivers, pools, transactions and
operations.

Outside ``atomic()`` every statement runs in autocommit on a connection borrowed from the pool
for that one statement. Inside ``atomic()`` the thread (sync) or task (async) uses the
connection bound to the block (``wrapper.transactions``). A backend package subclasses the
wrapper to name its drivers (``make_drivers``), its operations and its features.

Sync and async: everything off the per-statement path — a failed statement's recovery,
``execute_many``, transactions, streaming — is written once as a flow (``djanco.utils.flow``)
and driven sync or async. ``execute``/``aexecute`` themselves are two thin shells over the
same helpers instead: a flow costs about a microsecond (a generator, its steps, its
StopIteration), some 15% of a one-row query on SQLite, which takes about 6.5 µs of CPU
(``python bench/backends.py --clock cpu``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, Generator, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from djanco.conf import settings
from djanco.db.backends.base.bridge import SyncBridge
from djanco.db.backends.base.cursor import CursorWrapper
from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.features import Features
from djanco.db.backends.base.operations import DatabaseOperations
from djanco.db.backends.base.pool import (
    Action,
    AsyncPool,
    PoolOptions,
    SyncPool,
    after_failure,
    checkout,
)
from djanco.db.backends.base.state import QueryRecord, TxState
from djanco.db.backends.base.statements import (
    CompiledQuery,
    Params,
    Result,
    Row,
    Statement,
    check_sync_allowed,
    compile_statement,
    raise_translated,
)
from djanco.db.backends.base.streaming import RowStream
from djanco.db.backends.base.transactions import Local, Transactions
from djanco.utils.flow import Call, Flow, arun, run

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Dialect, Engine
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.elements import ClauseElement

__all__ = ["DatabaseWrapper"]

logger = logging.getLogger("djanco.db")


class DatabaseWrapper:
    """One configured database (``connections[alias]``): compiles and runs statements.

    Use ``execute``/``aexecute`` for SQLAlchemy Core statements, ``CompiledQuery`` objects from
    ``compile()`` (cache these per query shape), or raw SQL strings with ``%s`` placeholders.
    """

    vendor: ClassVar[str] = ""
    """The backend package's name: "sqlite", "postgresql", "mysql"."""
    url_schemes: ClassVar[tuple[str, ...]] = ()
    """Database URL schemes (before any ``+driver``) this backend serves."""
    driver_requirement: ClassVar[str] = ""
    """How to install its drivers (for ``djanco check``)."""
    ops_class: ClassVar[type[DatabaseOperations]] = DatabaseOperations
    features_class: ClassVar[type[Features]] = Features

    def __init__(self, alias: str, url: str) -> None:
        # SQLAlchemy is imported when a wrapper is first made: importing djanco.db stays light.
        from sqlalchemy.engine import make_url

        self.alias = alias
        self.settings_url = url
        parsed = make_url(url)
        options = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
        pool_options = PoolOptions.from_url(options, alias)
        self.driver, self.adriver = self.make_drivers(parsed.set(query=options), options)
        """The sync and the async driver (connecting, running one statement)."""
        self.pool = SyncPool(self.driver, pool_options)
        """The sync driver's connections, shared by all threads."""
        self.apool = AsyncPool(self.adriver, pool_options)
        """The async driver's connections, per event loop."""
        self.transactions = Transactions(alias, self.pool, self.apool, self.driver, self.adriver)
        """The transaction of each thread and task (``atomic()`` builds on it)."""
        self.ops = self.ops_class(self)
        """This database's SQL spellings, for the ORM (see ``DatabaseOperations``)."""
        self.bridge: SyncBridge | None = None
        """Set by the ``db`` test fixture: async calls then run on the pinned sync transaction."""
        self.queries_log: list[QueryRecord] | None = None
        """Statements run on this alias are appended here while it is a list (tests)."""
        self.debug_log = _debug_setting()
        """Log every statement with its duration on the ``djanco.db`` logger (DEBUG)."""
        self._features = self.features_class()
        self._dialect: Dialect | None = None
        self._engine: Engine | None = None
        self._raw_cache: dict[str, CompiledQuery] = {}

    def make_drivers(self, url: URL, options: dict[str, str]) -> tuple[SyncDriver, AsyncDriver]:
        """The backend's sync and async driver for ``url``. ``options`` are the URL's query
        options left once the pool's are taken: a backend takes out the ones it knows and
        passes the rest to its driver (or refuses them)."""
        raise NotImplementedError

    # -- SQLAlchemy side -------------------------------------------------------------------
    @property
    def features(self) -> Features:
        """What this database supports (asks the server its version on first use)."""
        if self._dialect is None:
            self.dialect  # noqa: B018 - initialises the dialect, which completes the features
        return self._features

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

            driver = self.driver
            self._engine = create_engine(
                driver.sa_url, poolclass=NullPool, paramstyle=driver.paramstyle
            )
        return self._engine

    def compile(self, statement: Executable | ClauseElement) -> CompiledQuery:
        """Compile a Core statement once; execute the result many times with new values."""
        return compile_statement(statement, self.dialect)

    def _query(self, statement: Statement, has_params: bool) -> CompiledQuery:
        if type(statement) is CompiledQuery:
            return statement
        if isinstance(statement, str):
            key = statement if has_params else "\0" + statement
            query = self._raw_cache.get(key)
            if query is None:
                if len(self._raw_cache) > 1000:
                    self._raw_cache.clear()
                sql = self.driver.raw_sql(statement, has_params)
                query = self._raw_cache[key] = CompiledQuery(sql)
            return query
        return self.compile(statement)  # type: ignore[arg-type]

    # -- statements ------------------------------------------------------------------------
    def execute(self, statement: Statement, params: Params | None = None) -> Result:
        """Run one statement and fetch its rows. Raw SQL uses ``%s`` placeholders.

        Raises ``SynchronousOnlyOperation`` inside a running event loop: use ``aexecute``.
        """
        check_sync_allowed()
        query = self._query(statement, params is not None)
        values = self.driver.values(query, params)
        if self.queries_log is None and not self.debug_log:
            return self._execute(query, values)
        start = time.perf_counter()
        try:
            return self._execute(query, values)
        finally:
            self._observe(query.sql, values, start)

    def _execute(self, query: CompiledQuery, values: object) -> Result:
        local = self.transactions.sync_local
        state = local.var.get() or local.pinned
        if state is not None:
            try:
                return self.driver.run(state.conn, query, values)
            except Exception as exc:
                raise_translated(exc)
        pool = self.pool
        conn = pool.get()
        try:
            result = self.driver.run(conn, query, values)
        except BaseException as exc:
            return run(self._recover(conn, exc, self._runner(query, values)))
        pool.put(conn)
        return result

    async def aexecute(self, statement: Statement, params: Params | None = None) -> Result:
        """Async form of ``execute``."""
        if self.bridge is not None:
            return await self.bridge.run(self.execute, statement, params)
        query, values = self.adriver.prepare(self._query(statement, params is not None), params)
        if self.queries_log is None and not self.debug_log:
            return await self._aexecute(query, values)
        start = time.perf_counter()
        try:
            return await self._aexecute(query, values)
        finally:
            self._observe(query.sql, values, start)

    async def _aexecute(self, query: CompiledQuery, values: object) -> Result:
        local = self.transactions.async_local
        state = local.var.get() or local.pinned
        if state is not None:
            try:
                return await self.adriver.run(state.conn, query, values)
            except Exception as exc:
                raise_translated(exc)
        pool = self.apool
        conn = pool.get_nowait()
        if conn is None:
            conn = await pool.get()
        try:
            result = await self.adriver.run(conn, query, values)
        except BaseException as exc:
            return await arun(self._recover(conn, exc, self._runner(query, values)))
        if not pool.put_nowait(conn):
            await pool.put(conn)
        return result

    def _runner(self, query: CompiledQuery, values: object) -> Action[Result]:
        driver, adriver = self.driver, self.adriver
        return lambda conn: Call(driver.run, adriver.run, conn, query, values)

    def _recover(self, conn: Any, exc: BaseException, action: Action[Result]) -> Flow[Result]:
        """The statement failed on a pooled connection (see ``after_failure``)."""
        conn, result = yield from after_failure(self.pool, self.apool, conn, exc, action)
        yield Call(self.pool.put, self.apool.put, conn)
        return result

    def execute_many(self, statement: Statement, seq_of_params: Iterable[Params]) -> int:
        """Run one statement once per parameter set (driver ``executemany``); the row count."""
        check_sync_allowed()
        query = self._query(statement, True)
        values = [self.driver.values(query, p) for p in seq_of_params]
        start = time.perf_counter()
        count = run(self._many(query, values))
        if self.queries_log is not None or self.debug_log:
            self._observe(query.sql, values, start)
        return count

    async def aexecute_many(self, statement: Statement, seq_of_params: Iterable[Params]) -> int:
        """Async form of ``execute_many``."""
        if self.bridge is not None:
            return await self.bridge.run(self.execute_many, statement, seq_of_params)
        query, values = self.adriver.prepare_many(self._query(statement, True), seq_of_params)
        start = time.perf_counter()
        count = await arun(self._many(query, values))
        if self.queries_log is not None or self.debug_log:
            self._observe(query.sql, values, start)
        return count

    def _many(self, query: CompiledQuery, values: list[object]) -> Flow[int]:
        driver, adriver = self.driver, self.adriver
        local: Local = yield self.transactions.local
        state = local.current()
        if state is not None:
            try:
                count: int = yield Call(
                    driver.run_many, adriver.run_many, state.conn, query, values
                )
            except Exception as exc:
                raise_translated(exc)
            return count

        def action(conn: Any) -> Call[int]:
            return Call(driver.run_many, adriver.run_many, conn, query, values)

        conn, count = yield from checkout(self.pool, self.apool, action)
        yield Call(self.pool.put, self.apool.put, conn)
        return count

    def fetchall(self, statement: Statement, params: Params | None = None) -> list[Row]:
        return self.execute(statement, params).rows

    async def afetchall(self, statement: Statement, params: Params | None = None) -> list[Row]:
        return (await self.aexecute(statement, params)).rows

    def scalar(self, statement: Statement, params: Params | None = None) -> object:
        return self.execute(statement, params).scalar()

    async def ascalar(self, statement: Statement, params: Params | None = None) -> object:
        return (await self.aexecute(statement, params)).scalar()

    def stream(
        self, statement: Statement, params: Params | None = None, chunk_size: int = 2000
    ) -> Generator[list[Row], None, None]:
        """Run a query and yield its rows in lists of up to ``chunk_size``, fetched lazily
        (server-side cursors), for iterating over results too large to hold at once.

        The connection stays busy until the iterator is exhausted or closed: close it (or use
        ``contextlib.closing``) when stopping early.
        """
        check_sync_allowed()
        query = self._query(statement, params is not None)
        rows = RowStream(self.transactions, query, self.driver.values(query, params), chunk_size)
        run(rows.open())
        try:
            while chunk := run(rows.fetch()):
                yield chunk
        finally:
            run(rows.close())

    def astream(
        self, statement: Statement, params: Params | None = None, chunk_size: int = 2000
    ) -> AsyncGenerator[list[Row], None]:
        """Async form of ``stream`` (``async for chunk in wrapper.astream(q): ...``)."""
        if self.bridge is not None:
            return self.bridge.stream(self.stream(statement, params, chunk_size))
        return self._astream(statement, params, chunk_size)

    async def _astream(
        self, statement: Statement, params: Params | None, chunk_size: int
    ) -> AsyncGenerator[list[Row], None]:
        query, values = self.adriver.prepare(self._query(statement, params is not None), params)
        rows = RowStream(self.transactions, query, values, chunk_size)
        await arun(rows.open())
        try:
            while chunk := await arun(rows.fetch()):
                yield chunk
        finally:
            await arun(rows.close())

    def cursor(self) -> CursorWrapper:
        """A Django-style cursor: ``with connection.cursor() as c: c.execute(sql, [x])``."""
        return CursorWrapper(self)

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

    # -- transactions (``djanco.db.transaction.atomic`` and the test fixtures) -------------
    def sync_state(self) -> TxState | None:
        """The transaction of the current thread/context, if inside ``atomic()``."""
        return self.transactions.sync_local.current()

    def async_state(self) -> TxState | None:
        """The transaction of the current task, if inside ``async with atomic()``."""
        return self.transactions.async_local.current()

    def tx_begin(self, bind: bool = True) -> TxState:
        """Borrow a connection, ``BEGIN``, and (if ``bind``) bind it to the current context."""
        check_sync_allowed()
        state = run(self.transactions.begin())
        if bind:
            self.transactions.sync_local.bind(state)
        return state

    async def atx_begin(self, bind: bool = True) -> TxState:
        """Async form of ``tx_begin`` (binds to the current task)."""
        state = await arun(self.transactions.begin())
        if bind:
            self.transactions.async_local.bind(state)
        return state

    def tx_sql(self, state: TxState, sql: str) -> None:
        """Run a transaction-control statement (SAVEPOINT, RELEASE, ...) on the bound conn."""
        try:
            self.driver.control(state.conn, sql)
        except Exception as exc:
            raise_translated(exc)

    async def atx_sql(self, state: TxState, sql: str) -> None:
        if self.bridge is not None:
            return await self.bridge.run(self.tx_sql, state, sql)
        try:
            await self.adriver.control(state.conn, sql)
        except Exception as exc:
            raise_translated(exc)

    def tx_end(self, state: TxState, commit: bool) -> None:
        """COMMIT or ROLLBACK, unbind, and return the connection to the pool (see
        ``Transactions.end``)."""
        run(self.transactions.end(state, commit))

    async def atx_end(self, state: TxState, commit: bool) -> None:
        """Async form of ``tx_end``."""
        await arun(self.transactions.end(state, commit))

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close idle pooled connections (async ones are dropped; see ``aclose``)."""
        self.pool.clear()
        self.apool.clear()
        if self._engine is not None:
            self._engine.dispose()

    async def aclose(self) -> None:
        """Close the idle async connections of the running event loop."""
        await self.apool.aclear()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} alias={self.alias!r} vendor={self.vendor!r}>"


def _debug_setting() -> bool:
    try:
        return bool(settings.DEBUG)
    except Exception:  # settings that fail to load are reported where they are used
        return False
