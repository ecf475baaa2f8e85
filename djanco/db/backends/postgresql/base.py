"""PostgreSQL: psycopg 3 for sync code, asyncpg for async code (about twice as fast per
round trip as psycopg's async connection, measured); ``?async_driver=psycopg`` in the URL selects
psycopg's ``AsyncConnection`` instead. Connections run in autocommit; ``atomic()`` sends
BEGIN/COMMIT. Sessions use UTC.

A query compiled for psycopg (``%s``) gets an asyncpg twin (``$n``, compiled with SQLAlchemy's
asyncpg dialect so values are converted the way that driver needs) the first time it runs
async; callers only ever see the psycopg one.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.statements import (
    CompiledQuery,
    Params,
    Result,
    Row,
    build_result,
    compile_statement,
)
from djanco.db.backends.postgresql.features import DatabaseFeatures
from djanco.db.backends.postgresql.operations import DatabaseOperations
from djanco.db.utils import OperationalError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Dialect

__all__ = ["AsyncPsycopgDriver", "AsyncpgDriver", "PostgreSQLWrapper", "PsycopgDriver"]

_cursor_ids = itertools.count(1)
_KEEP_CURSOR_ROWS = 100  # keep a connection's cursor after results up to this many rows
_PLACEHOLDER = re.compile(r"%s|%%")
# Settings of the psycopg dialect, once it has seen the server, that matter for compiling.
_DIALECT_STATE = (
    "server_version_info",
    "default_schema_name",
    "supports_smallserial",
    "_backslash_escapes",
    "_supports_drop_index_concurrently",
    "supports_identity_columns",
    "_supports_jsonb_subscripting",
    "supports_virtual_generated_columns",
    "max_identifier_length",
)


class PostgreSQLWrapper(DatabaseWrapper):
    vendor = "postgresql"
    url_schemes = ("postgresql", "postgres")
    driver_requirement = "pip install 'djanco[postgres]'"
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures

    def make_drivers(
        self, url: URL, options: dict[str, str]
    ) -> tuple[PsycopgDriver, AsyncpgDriver | AsyncPsycopgDriver]:
        async_driver = options.pop("async_driver", "asyncpg")
        kwargs: dict[str, Any] = {
            "host": url.host or "localhost",
            "port": url.port or 5432,
            "user": url.username,
            "password": url.password,
            "dbname": url.database,
        }
        kwargs.update(options)
        # Sessions in UTC so aware datetimes come back as UTC and NOW() agrees with Python.
        kwargs.setdefault("options", "-c TimeZone=UTC")
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        driver = PsycopgDriver(url.set(drivername="postgresql+psycopg"), kwargs)
        if async_driver == "asyncpg":
            return driver, AsyncpgDriver(kwargs, lambda: self.dialect)
        if async_driver == "psycopg":
            return driver, AsyncPsycopgDriver(kwargs)
        raise ValueError(f"Database {self.alias!r}: async_driver must be 'asyncpg' or 'psycopg'")

    @property
    def async_driver(self) -> str:
        """ "asyncpg" (the default) or "psycopg": the library async statements go through."""
        return "asyncpg" if isinstance(self.adriver, AsyncpgDriver) else "psycopg"

    @property
    def async_dialect(self) -> Dialect:
        """The dialect async statements are compiled with (asyncpg's, or psycopg's)."""
        if isinstance(self.adriver, AsyncpgDriver):
            return self.adriver.dialect
        return self.dialect


def _cursor_name() -> str:
    return f"djanco_stream_{next(_cursor_ids)}"


class PsycopgDriver(SyncDriver):
    """psycopg 3 connections in autocommit; each keeps one cursor for its next statement."""

    module = "psycopg"

    stream_needs_transaction = True  # named cursors live inside a transaction

    def __init__(self, sa_url: URL, kwargs: dict[str, Any]) -> None:
        super().__init__(sa_url)
        self.kwargs = kwargs

    def connect(self) -> Any:
        import psycopg  # the driver is optional: imported when first used

        conn: Any = psycopg.connect(autocommit=True, **self.kwargs)
        conn._djanco_cursor = None  # see run()
        return conn

    def run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        # Making and closing a psycopg cursor costs about as much as the rest of a one-row
        # query's client side: each connection keeps one for the next statement, unless it
        # holds a large result (freed only by the next execute or close).
        cur = conn._djanco_cursor
        if cur is None:
            cur = conn.cursor()
        else:
            conn._djanco_cursor = None  # in use
        try:
            cur.execute(query.sql, values)  # None: no parameters (and % is not special)
            res = cur.pgresult
            if res is None or res.status != 2:  # 2: TUPLES_OK — the statement returned rows
                result = Result([], (), cur.rowcount, None)
            else:
                rows = cur.fetchall()
                if query.processors is not None and query.columns:
                    # psycopg builds ``description`` afresh on each access: skip it if known.
                    result = build_result(query, rows, (), cur.rowcount, None)
                else:
                    result = build_result(query, rows, cur.description, cur.rowcount, None)
        except BaseException:
            cur.close()
            raise
        if len(result.rows) <= _KEEP_CURSOR_ROWS:
            conn._djanco_cursor = cur
        else:
            cur.close()
        return result

    @staticmethod
    def lastrowid(cur: Any) -> int | None:
        return None  # psycopg has no lastrowid: use RETURNING

    def in_transaction(self, conn: Any) -> bool:
        return conn.pgconn.transaction_status != 0  # type: ignore[no-any-return]  # 0: IDLE

    def is_usable(self, conn: Any) -> bool:
        return not (conn.closed or conn.broken)

    def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        cur = conn.cursor(name=_cursor_name())
        cur.execute(query.sql, values)
        return cur


class AsyncpgDriver(AsyncDriver):
    """asyncpg connections; queries get an asyncpg twin of their psycopg form."""

    module = "asyncpg"

    def __init__(self, kwargs: dict[str, Any], sync_dialect: Callable[[], Dialect]) -> None:
        self.kwargs = kwargs
        self._sync_dialect = sync_dialect
        self._dialect: Dialect | None = None

    @property
    def dialect(self) -> Dialect:
        """SQLAlchemy's asyncpg dialect, set up like the (server-initialised) sync one."""
        dialect = self._dialect
        if dialect is None:
            from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

            sync = self._sync_dialect()
            dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
            for name in _DIALECT_STATE:
                if name in vars(sync):
                    setattr(dialect, name, getattr(sync, name))
            self._dialect = dialect
        return dialect

    def _twin(self, query: CompiledQuery, has_params: bool) -> CompiledQuery:
        twin = query.variant
        if twin is None:
            compiled = query.compiled
            if compiled is None:  # raw SQL
                sql = _dollar_sql(query.sql) if has_params else query.sql
                twin = CompiledQuery(sql, query.returns_rows)
            else:
                twin = compile_statement(compiled.statement, self.dialect)
            query.variant = twin
        twin.driver_rows = query.driver_rows
        return twin

    def prepare(self, query: CompiledQuery, params: Params | None) -> tuple[CompiledQuery, object]:
        twin = self._twin(query, params is not None)
        return twin, _twin_values(query, twin, params)

    def prepare_many(
        self, query: CompiledQuery, seq_of_params: Iterable[Params]
    ) -> tuple[CompiledQuery, list[object]]:
        twin = self._twin(query, True)
        return twin, [_twin_values(query, twin, p) for p in seq_of_params]

    async def connect(self) -> Any:
        import asyncpg  # type: ignore[import-untyped, unused-ignore]  # optional driver

        k = self.kwargs
        try:
            conn = await asyncpg.connect(
                host=k["host"],
                port=int(k["port"]),
                user=k.get("user"),
                password=k.get("password"),
                database=k.get("dbname"),
                ssl=k.get("sslmode"),
                server_settings={"TimeZone": "UTC"},
            )
        except OSError as exc:
            raise OperationalError(f"Could not connect to PostgreSQL: {exc}") from exc
        # JSON in and out as SQLAlchemy's asyncpg dialect expects (strings in, parsed out).
        for name in ("json", "jsonb"):
            await conn.set_type_codec(
                name, encoder=str, decoder=json.loads, schema="pg_catalog", format="text"
            )
        return conn

    def in_transaction(self, conn: Any) -> bool:
        return conn.is_in_transaction()  # type: ignore[no-any-return]

    def is_usable(self, conn: Any) -> bool:
        return not conn.is_closed()

    async def run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        args: Sequence[object] = values or ()  # type: ignore[assignment]
        if query.returns_rows:
            if query.processors is None:
                # First run of this query: learn the column types to pick converters.
                statement = await conn.prepare(query.sql)
                desc = [(a.name, a.type.oid) for a in statement.get_attributes()]
                rows = await statement.fetch(*args)
                return build_result(query, _tuples(rows), desc, len(rows), None)
            rows = await conn.fetch(query.sql, *args)
            if not query.processors:
                if query.driver_rows:  # Records index like tuples: skip copying them
                    return Result(rows, query.columns, len(rows), None)
                return Result(_tuples(rows), query.columns, len(rows), None)
            return build_result(query, _tuples(rows), (), len(rows), None)
        if query.returns_rows is False:
            status = await conn.execute(query.sql, *args)
            return Result([], (), _rowcount(status), None)
        statement = await conn.prepare(query.sql)  # raw SQL: rows or not, we learn here
        rows = await statement.fetch(*args)
        attributes = statement.get_attributes()
        if not attributes:
            return Result([], (), _rowcount(statement.get_statusmsg() or ""), None)
        return Result(_tuples(rows), tuple(a.name for a in attributes), len(rows), None)

    async def run_many(
        self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        await conn.executemany(query.sql, values)
        return -1  # asyncpg does not report it

    async def control(self, conn: Any, sql: str) -> None:
        await conn.execute(sql)

    async def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> tuple[Any, list[tuple[str, int]]]:
        statement = await conn.prepare(query.sql)
        cursor = await statement.cursor(*(values or ()))  # type: ignore[misc]
        return cursor, [(a.name, a.type.oid) for a in statement.get_attributes()]

    async def stream_fetch(
        self, cursor: tuple[Any, list[tuple[str, int]]], query: CompiledQuery, size: int
    ) -> list[Row]:
        cur, desc = cursor
        rows = _tuples(await cur.fetch(size))
        return build_result(query, rows, desc, -1, None).rows if rows else rows

    async def stream_close(self, cursor: object) -> None:
        pass  # an asyncpg cursor is a portal of the transaction: it ends with it


class AsyncPsycopgDriver(AsyncDriver):
    """psycopg's ``AsyncConnection`` (``?async_driver=psycopg``)."""

    module = "psycopg"

    def __init__(self, kwargs: dict[str, Any]) -> None:
        self.kwargs = kwargs

    async def connect(self) -> Any:
        import psycopg  # optional driver

        return await psycopg.AsyncConnection.connect(autocommit=True, **self.kwargs)

    def in_transaction(self, conn: Any) -> bool:
        return conn.pgconn.transaction_status != 0  # type: ignore[no-any-return]  # 0: IDLE

    def is_usable(self, conn: Any) -> bool:
        return not (conn.closed or conn.broken)

    @staticmethod
    def lastrowid(cur: Any) -> int | None:
        return None  # psycopg has no lastrowid: use RETURNING

    async def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        cur = conn.cursor(name=_cursor_name())
        await cur.execute(query.sql, values)
        return cur


def _dollar_sql(sql: str) -> str:
    """``%s`` → ``$1, $2, …`` and ``%%`` → ``%`` (psycopg's format style to asyncpg's)."""
    counter = itertools.count(1)

    def replace(match: re.Match[str]) -> str:
        return "%" if match.group(0) == "%%" else f"${next(counter)}"

    return _PLACEHOLDER.sub(replace, sql)


def _twin_values(query: CompiledQuery, twin: CompiledQuery, params: Params | None) -> object:
    if query.compiled is None:  # raw SQL: positional values only
        if params is None:
            return ()
        if isinstance(params, Mapping):
            raise TypeError("Raw SQL on PostgreSQL's async driver takes %s placeholders")
        return params
    if params is not None and not isinstance(params, Mapping) and twin.names != query.names:
        # Positional values follow the psycopg order; asyncpg numbers them differently.
        params = dict(zip(query.names, params, strict=True))
    return twin.bind(params)


def _rowcount(status: str) -> int:
    """The row count at the end of a command tag ("UPDATE 3", "INSERT 0 1"), else -1."""
    last = status.rpartition(" ")[2]
    return int(last) if last.isdigit() else -1


def _tuples(records: Sequence[Any]) -> list[Row]:
    return list(map(tuple, records))
