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
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper, Statement, _result
from djanco.db.backends.base.compiled import CompiledQuery, Params, Result, Row, compile_statement
from djanco.db.backends.postgresql.features import DatabaseFeatures
from djanco.db.backends.postgresql.operations import DatabaseOperations
from djanco.db.utils import OperationalError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Dialect

__all__ = ["PostgreSQLWrapper"]

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


def _cursor_name() -> str:
    return f"djanco_stream_{next(_cursor_ids)}"


def _dollar_sql(sql: str) -> str:
    """``%s`` → ``$1, $2, …`` and ``%%`` → ``%`` (psycopg's format style to asyncpg's)."""
    counter = itertools.count(1)

    def replace(match: re.Match[str]) -> str:
        return "%" if match.group(0) == "%%" else f"${next(counter)}"

    return _PLACEHOLDER.sub(replace, sql)


def _rowcount(status: str) -> int:
    """The row count at the end of a command tag ("UPDATE 3", "INSERT 0 1"), else -1."""
    last = status.rpartition(" ")[2]
    return int(last) if last.isdigit() else -1


class PostgreSQLWrapper(DatabaseWrapper):
    vendor = "postgresql"
    display_name = "PostgreSQL"
    url_schemes = ("postgresql", "postgres")
    driver_modules = ("psycopg", "asyncpg")
    driver_requirement = "pip install 'djanco[postgres]'"
    paramstyle = "format"
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures
    _stream_needs_transaction = True  # named cursors live inside a transaction

    def __init__(self, alias: str, url: str) -> None:
        super().__init__(alias, url)
        driver = self._options.pop("async_driver", "asyncpg")
        if driver not in ("asyncpg", "psycopg"):
            raise ValueError(f"Database {alias!r}: async_driver must be 'asyncpg' or 'psycopg'")
        self.async_driver = driver
        self._async_dialect: Dialect | None = None
        parsed = self._parsed_url = self._parsed_url.set(query=self._options)
        self._url = parsed.set(drivername="postgresql+psycopg")
        kwargs: dict[str, Any] = {
            "host": parsed.host or "localhost",
            "port": parsed.port or 5432,
            "user": parsed.username,
            "password": parsed.password,
            "dbname": parsed.database,
        }
        kwargs.update(self._options)
        # Sessions in UTC so aware datetimes come back as UTC and NOW() agrees with Python.
        kwargs.setdefault("options", "-c TimeZone=UTC")
        self._kwargs = {k: v for k, v in kwargs.items() if v is not None}

    def _sa_url(self) -> URL:
        return self._url

    # -- sync: psycopg ---------------------------------------------------------------------
    def _connect(self) -> Any:
        import psycopg

        conn: Any = psycopg.connect(autocommit=True, **self._kwargs)
        conn._djanco_cursor = None  # see _run
        return conn

    def _run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        # Making and closing a psycopg cursor costs about as much as the rest of a one-row
        # query's client side: each connection keeps one for the next statement, unless it
        # holds a large result (freed only by the next execute or close).
        cur = conn._djanco_cursor
        if cur is None:
            cur = conn.cursor()
        else:
            conn._djanco_cursor = None  # in use
        try:
            if values is None:
                cur.execute(query.sql)
            else:
                cur.execute(query.sql, values)
            res = cur.pgresult
            if res is None or res.status != 2:  # 2: TUPLES_OK — the statement returned rows
                result = Result([], (), cur.rowcount, None)
            else:
                rows = cur.fetchall()
                if query._result_processors is not None and query.columns:
                    # psycopg builds ``description`` afresh on each access: skip it if known.
                    result = _result(query, rows, (), cur.rowcount, None)
                else:
                    result = _result(query, rows, cur.description, cur.rowcount, None)
        except BaseException:
            cur.close()
            raise
        if len(result.rows) <= _KEEP_CURSOR_ROWS:
            conn._djanco_cursor = cur
        else:
            cur.close()
        return result

    @staticmethod
    def _lastrowid(cur: Any) -> int | None:
        return None  # psycopg has no lastrowid: use RETURNING

    def _in_transaction(self, conn: Any) -> bool:
        return conn.pgconn.transaction_status != 0  # type: ignore[no-any-return]  # 0: IDLE

    def _ain_transaction(self, conn: Any) -> bool:
        if self.async_driver == "asyncpg":
            return conn.is_in_transaction()  # type: ignore[no-any-return]
        return self._in_transaction(conn)

    def _is_usable(self, conn: Any) -> bool:
        return not (conn.closed or conn.broken)

    def _ais_usable(self, conn: Any) -> bool:
        if self.async_driver == "asyncpg":
            return not conn.is_closed()
        return self._is_usable(conn)

    def _stream_cursor(self, conn: Any, own_connection: bool) -> Any:
        return conn.cursor(name=_cursor_name())

    # -- async: asyncpg (default) or psycopg -----------------------------------------------
    @property
    def async_dialect(self) -> Dialect:
        """SQLAlchemy's asyncpg dialect, set up like the (server-initialised) sync one."""
        dialect = self._async_dialect
        if dialect is None:
            from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

            sync = self.dialect
            dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
            for name in _DIALECT_STATE:
                if name in vars(sync):
                    setattr(dialect, name, getattr(sync, name))
            self._async_dialect = dialect
        return dialect

    def _variant(self, query: CompiledQuery, has_params: bool) -> CompiledQuery:
        variant = query._variant
        if variant is None:
            compiled = query._compiled
            if compiled is None:  # raw SQL
                sql = _dollar_sql(query.sql) if has_params else query.sql
                variant = CompiledQuery(sql, returns_rows=query.returns_rows)
            else:
                variant = compile_statement(compiled.statement, self.async_dialect)
            query._variant = variant
        variant.driver_rows = query.driver_rows
        return variant

    def _aprepare(
        self, statement: Statement, params: Params | None
    ) -> tuple[CompiledQuery, object]:
        query = self._query(statement, params is not None)
        if self.async_driver != "asyncpg":
            return query, self._values(query, params)
        variant = self._variant(query, params is not None)
        return variant, self._avalues(query, variant, params)

    def _aprepare_many(
        self, statement: Statement, seq_of_params: Iterable[Params]
    ) -> tuple[CompiledQuery, list[object]]:
        query = self._query(statement, True)
        if self.async_driver != "asyncpg":
            return query, [self._values(query, p) for p in seq_of_params]
        variant = self._variant(query, True)
        return variant, [self._avalues(query, variant, p) for p in seq_of_params]

    @staticmethod
    def _avalues(query: CompiledQuery, variant: CompiledQuery, params: Params | None) -> object:
        if query._compiled is None:  # raw SQL: positional values only
            if params is None:
                return ()
            if isinstance(params, Mapping):
                raise TypeError("Raw SQL on PostgreSQL's async driver takes %s placeholders")
            return params
        if params is not None and not isinstance(params, Mapping) and variant.names != query.names:
            # Positional values follow the psycopg order; asyncpg numbers them differently.
            params = dict(zip(query.names, params, strict=True))
        return variant.bind(params)

    async def _aconnect(self) -> Any:
        if self.async_driver == "psycopg":
            import psycopg

            return await psycopg.AsyncConnection.connect(autocommit=True, **self._kwargs)
        import asyncpg  # type: ignore[import-untyped, unused-ignore]

        k = self._kwargs
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
        await conn.set_type_codec(
            "json", encoder=str, decoder=json.loads, schema="pg_catalog", format="text"
        )
        await conn.set_type_codec(
            "jsonb", encoder=str, decoder=json.loads, schema="pg_catalog", format="text"
        )
        return conn

    async def _aclose(self, conn: Any) -> None:
        await conn.close()

    async def _arun(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        if self.async_driver == "psycopg":
            return await self._arun_psycopg(conn, query, values)
        args: Sequence[object] = values or ()  # type: ignore[assignment]
        if query.returns_rows:
            if query._result_processors is None:
                # First run of this query: learn the column types to pick converters.
                statement = await conn.prepare(query.sql)
                desc = [(a.name, a.type.oid) for a in statement.get_attributes()]
                rows = await statement.fetch(*args)
                return _result(query, _tuples(rows), desc, len(rows), None)
            rows = await conn.fetch(query.sql, *args)
            if not query._result_processors:
                if query.driver_rows:  # Records index like tuples: skip copying them
                    return Result(rows, query.columns, len(rows), None)
                return Result(list(map(tuple, rows)), query.columns, len(rows), None)
            return _result(query, _tuples(rows), (), len(rows), None)
        if query.returns_rows is False:
            status = await conn.execute(query.sql, *args)
            return Result([], (), _rowcount(status), None)
        statement = await conn.prepare(query.sql)  # raw SQL: rows or not, we learn here
        rows = await statement.fetch(*args)
        attributes = statement.get_attributes()
        if not attributes:
            return Result([], (), _rowcount(statement.get_statusmsg() or ""), None)
        return Result(_tuples(rows), tuple(a.name for a in attributes), len(rows), None)

    async def _arun_psycopg(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        async with conn.cursor() as cur:
            await cur.execute(query.sql, values)
            desc = cur.description
            if desc is None:
                return Result([], (), cur.rowcount, None)
            rows = await cur.fetchall()
            return _result(query, rows, desc, cur.rowcount, None)

    async def _arun_many(
        self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        if self.async_driver == "psycopg":
            async with conn.cursor() as cur:
                await cur.executemany(query.sql, values)
                return int(cur.rowcount)
        await conn.executemany(query.sql, values)
        return -1  # asyncpg does not report it

    async def _acontrol(self, conn: Any, sql: str) -> None:
        await conn.execute(sql)

    async def _astream_open(
        self, conn: Any, own_connection: bool, sql: str, values: object
    ) -> tuple[Any, Any]:
        if self.async_driver == "psycopg":
            cur = conn.cursor(name=_cursor_name())
            await cur.execute(sql, values)
            return cur, cur.description
        statement = await conn.prepare(sql)
        cursor = await statement.cursor(*(values or ()))  # type: ignore[misc]
        desc = [(a.name, a.type.oid) for a in statement.get_attributes()]
        return cursor, desc

    async def _astream_fetch(self, conn: Any, cursor: Any, size: int) -> list[Row]:
        if self.async_driver == "psycopg":
            return await super()._astream_fetch(conn, cursor, size)
        return _tuples(await cursor.fetch(size))

    async def _astream_close(self, conn: Any, cursor: Any) -> None:
        if self.async_driver == "psycopg":
            await cursor.close()
        # An asyncpg cursor is a portal of the transaction: it ends with it.


def _tuples(records: Sequence[Any]) -> list[Row]:
    return list(map(tuple, records))
