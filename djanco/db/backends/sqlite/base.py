"""SQLite: ``sqlite3`` for sync code; async code runs each statement on a per-connection thread.

Foreign keys are enforced on every connection and file databases use WAL journaling.
``sqlite:///:memory:`` becomes a named shared-cache memory database, kept alive by one open
connection, so every pooled connection (and the async ones) sees the same data.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import itertools
import queue
import re
import sqlite3
import threading
import zoneinfo
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.statements import CompiledQuery, Result, Row
from djanco.db.backends.sqlite.features import DatabaseFeatures
from djanco.db.backends.sqlite.operations import DatabaseOperations

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["AsyncSQLiteDriver", "SQLiteDriver", "SQLiteWrapper"]

_memory_ids = itertools.count(1)
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?s|%%")
_MODES = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


class SQLiteWrapper(DatabaseWrapper):
    vendor = "sqlite"
    url_schemes = ("sqlite",)
    driver_requirement = "a Python built with sqlite3"
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures

    driver: SQLiteDriver

    def make_drivers(
        self, url: URL, options: dict[str, str]
    ) -> tuple[SQLiteDriver, AsyncSQLiteDriver]:
        mode = options.pop("transaction_mode", "DEFERRED").upper()
        if mode not in _MODES:
            raise ValueError(
                f"Database {self.alias!r}: transaction_mode must be DEFERRED, IMMEDIATE or "
                "EXCLUSIVE"
            )
        timeout = float(options.pop("timeout", "5"))
        if options:
            raise ValueError(
                f"Database {self.alias!r}: unknown SQLite URL option(s) "
                f"{', '.join(sorted(options))} (known: timeout, transaction_mode, pool_size, "
                "pool_timeout, pool_max_lifetime)"
            )
        driver = SQLiteDriver(url.database or "", timeout, f"BEGIN {mode}")
        return driver, AsyncSQLiteDriver(driver)

    def close(self) -> None:
        super().close()
        self.driver.forget_memory()


class SQLiteDriver(SyncDriver):
    """``sqlite3`` connections in autocommit (``isolation_level=None``)."""

    module = "sqlite3"
    paramstyle = "qmark"

    def __init__(self, database: str, timeout: float, begin_sql: str) -> None:
        if database in ("", ":memory:"):
            self.path = f"file:djanco-memory-{next(_memory_ids)}?mode=memory&cache=shared"
            self.is_memory = True
        else:
            self.path = database
            self.is_memory = False
        from sqlalchemy.engine import URL

        query = {"uri": "true"} if self.is_memory else {}
        super().__init__(URL.create("sqlite+pysqlite", database=self.path, query=query))
        self.timeout = timeout
        self.begin_sql = begin_sql
        self._keeper: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=self.timeout,
            isolation_level=None,
            check_same_thread=False,
            uri=self.is_memory,
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("REGEXP", 2, _regexp, deterministic=True)
        conn.create_function("djanco_datetime_local", 2, _datetime_local, deterministic=True)
        if not self.is_memory:
            conn.execute("PRAGMA journal_mode = WAL")
        return conn

    def connect(self) -> sqlite3.Connection:
        if self.is_memory and self._keeper is None:
            self._keeper = self._open()  # the memory database lives while one connection does
        return self._open()

    def forget_memory(self) -> None:
        """Let a memory database go (with the last of its connections)."""
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def in_transaction(self, conn: sqlite3.Connection) -> bool:
        return conn.in_transaction

    def raw_sql(self, sql: str, has_params: bool) -> str:
        if not has_params:
            return sql
        return _PLACEHOLDER.sub(_sqlite_placeholder, sql)

    def stream_open(
        self, conn: sqlite3.Connection, own_connection: bool, query: CompiledQuery, values: Any
    ) -> sqlite3.Cursor:
        return conn.execute(query.sql) if values is None else conn.execute(query.sql, values)


_Job = tuple[Callable[..., object], tuple[object, ...], "asyncio.Future[Any]"]


class _AsyncSQLite:
    """A sqlite3 connection owned by one worker thread; ``run`` awaits a call made there.

    The thread holds only the queue and the connection, so an instance dropped without
    ``close()`` (its event loop ended) is collected, and ``__del__`` stops the thread.
    """

    __slots__ = ("_queue", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        threading.Thread(
            target=_work, args=(self._queue, conn), name="djanco-sqlite", daemon=True
        ).start()

    async def run(self, func: Callable[..., object], *args: object) -> Any:
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put((func, args, fut))
        return await fut

    async def close(self) -> None:
        self._queue.put(None)  # the worker closes the connection and ends

    def __del__(self) -> None:
        self._queue.put(None)


def _work(jobs: queue.SimpleQueue[_Job | None], conn: sqlite3.Connection) -> None:
    try:
        while (job := jobs.get()) is not None:
            func, args, fut = job
            try:
                outcome: tuple[Callable[..., None], object] = (_set_result, func(*args))
            except BaseException as exc:
                outcome = (_set_exception, exc)
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
                fut.get_loop().call_soon_threadsafe(outcome[0], fut, outcome[1])
    finally:
        conn.close()


def _set_result(fut: asyncio.Future[Any], result: object) -> None:
    if not fut.done():
        fut.set_result(result)


def _set_exception(fut: asyncio.Future[Any], exc: BaseException) -> None:
    if not fut.done():
        fut.set_exception(exc)


class AsyncSQLiteDriver(AsyncDriver):
    """The sync driver's calls, each made on the connection's own thread."""

    module = "sqlite3"

    def __init__(self, sync: SQLiteDriver) -> None:
        self.sync = sync

    async def connect(self) -> _AsyncSQLite:
        return _AsyncSQLite(self.sync.connect())

    async def close(self, conn: _AsyncSQLite) -> None:
        await conn.close()

    def in_transaction(self, conn: _AsyncSQLite) -> bool:
        return conn.conn.in_transaction

    async def run(self, conn: _AsyncSQLite, query: CompiledQuery, values: object) -> Result:
        result: Result = await conn.run(self.sync.run, conn.conn, query, values)
        return result

    async def run_many(
        self, conn: _AsyncSQLite, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        count: int = await conn.run(self.sync.run_many, conn.conn, query, values)
        return count

    async def control(self, conn: _AsyncSQLite, sql: str) -> None:
        await conn.run(conn.conn.execute, sql)

    async def stream_open(
        self, conn: _AsyncSQLite, own_connection: bool, query: CompiledQuery, values: object
    ) -> tuple[_AsyncSQLite, sqlite3.Cursor]:
        cursor = await conn.run(self.sync.stream_open, conn.conn, own_connection, query, values)
        return conn, cursor

    async def stream_fetch(
        self, cursor: tuple[_AsyncSQLite, sqlite3.Cursor], query: CompiledQuery, size: int
    ) -> list[Row]:
        conn, cur = cursor
        rows: list[Row] = await conn.run(self.sync.stream_fetch, cur, query, size)
        return rows

    async def stream_close(self, cursor: tuple[_AsyncSQLite, sqlite3.Cursor]) -> None:
        conn, cur = cursor
        await conn.run(cur.close)


def _regexp(pattern: str | None, value: object) -> bool | None:
    """SQLite's ``x REGEXP y`` calls ``regexp(y, x)``: Python ``re.search`` semantics."""
    if pattern is None or value is None:
        return None
    return re.search(pattern, value if isinstance(value, str) else str(value)) is not None


def _datetime_local(value: str | None, zone: str) -> str | None:
    """A stored (naive UTC) datetime in time zone `zone`, for date/time transforms."""
    if value is None:
        return None
    utc = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    local = utc.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return local.strftime("%Y-%m-%d %H:%M:%S.%f")  # the stored format


def _sqlite_placeholder(match: re.Match[str]) -> str:
    if match.group(0) == "%%":
        return "%"
    name = match.group(1)
    return "?" if name is None else f":{name}"
