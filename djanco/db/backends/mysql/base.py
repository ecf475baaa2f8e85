"""MariaDB / MySQL: PyMySQL for sync code, asyncmy (PyMySQL's conversions, in Cython) for async.

Connections use utf8mb4, UTC session time and autocommit; ``atomic()`` sends BEGIN/COMMIT.
MariaDB ≥ 10.5 supports ``INSERT … RETURNING``; MySQL does not (``lastrowid`` then).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper, _result
from djanco.db.backends.base.compiled import CompiledQuery, Result
from djanco.db.backends.mysql.features import DatabaseFeatures
from djanco.db.backends.mysql.operations import DatabaseOperations

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["MySQLWrapper"]

_INIT = "SET time_zone = '+00:00'"
# An UPDATE's row count is the rows *matched*, not only those changed (as Django does): save()
# and QuerySet.update() rely on it.
_FOUND_ROWS = 2  # pymysql.constants.CLIENT.FOUND_ROWS == asyncmy's
_LEVELS = ("read uncommitted", "read committed", "repeatable read", "serializable")


class MySQLWrapper(DatabaseWrapper):
    vendor = "mysql"
    display_name = "MySQL"
    url_schemes = ("mysql", "mariadb")
    driver_modules = ("pymysql", "asyncmy")
    driver_requirement = "pip install 'djanco[mysql]'"
    paramstyle = "format"
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures

    def __init__(self, alias: str, url: str) -> None:
        super().__init__(alias, url)
        parsed = self._parsed_url
        query: dict[str, Any] = dict(self._options)
        # Django's default on MySQL/MariaDB: READ COMMITTED, not the server's REPEATABLE READ
        # (get_or_create() and friends depend on seeing rows committed meanwhile).
        level = query.pop("isolation_level", "read committed").replace("-", " ").replace("_", " ")
        if level.lower() not in _LEVELS:
            raise ValueError(
                f"Database {alias!r}: isolation_level must be one of {', '.join(_LEVELS)}"
            )
        self._session_sql = f"SET SESSION TRANSACTION ISOLATION LEVEL {level.upper()}"
        query.setdefault("charset", "utf8mb4")
        self._url = parsed.set(drivername="mysql+pymysql", query=query)
        kwargs: dict[str, Any] = {
            "host": parsed.host or "localhost",
            "port": parsed.port or 3306,
            "user": parsed.username,
            "password": parsed.password or "",
            "database": parsed.database,
        }
        for key in ("connect_timeout", "read_timeout", "write_timeout", "port"):
            if key in query:
                query[key] = int(query[key])
        kwargs.update(query)
        self._kwargs = {k: v for k, v in kwargs.items() if v is not None}

    def _sa_url(self) -> URL:
        return self._url

    def _connect(self) -> Any:
        import pymysql

        conn = pymysql.connect(
            autocommit=True, init_command=_INIT, client_flag=_FOUND_ROWS, **self._kwargs
        )
        with conn.cursor() as cur:
            cur.execute(self._session_sql)
        return conn

    def _in_transaction(self, conn: Any) -> bool:
        return bool(conn.server_status & 1)  # SERVER_STATUS_IN_TRANS

    def _is_usable(self, conn: Any) -> bool:
        return bool(conn.open)

    def _ais_usable(self, conn: Any) -> bool:
        return bool(conn.connected)

    async def _aconnect(self) -> Any:
        import asyncmy

        conn = await asyncmy.connect(
            autocommit=True, init_command=_INIT, client_flag=_FOUND_ROWS, **self._kwargs
        )
        async with conn.cursor() as cur:
            await cur.execute(self._session_sql)
        return conn

    async def _aclose(self, conn: Any) -> None:
        conn.close()

    async def _arun(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        async with conn.cursor() as cur:
            await cur.execute(query.sql, values)
            desc = cur.description
            if desc is None:
                return Result([], (), cur.rowcount, cur.lastrowid)
            rows = await cur.fetchall()
            return _result(query, rows, desc, cur.rowcount, cur.lastrowid)

    async def _arun_many(
        self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        async with conn.cursor() as cur:
            await cur.executemany(query.sql, values)
            return int(cur.rowcount)

    async def _acontrol(self, conn: Any, sql: str) -> None:
        async with conn.cursor() as cur:
            await cur.execute(sql)

    def _stream_cursor(self, conn: Any, own_connection: bool) -> Any:
        # Unbuffered only on a connection of its own: it is blocked until the rows are read.
        if not own_connection:
            return conn.cursor()
        from pymysql.cursors import SSCursor

        return conn.cursor(SSCursor)

    async def _astream_open(
        self, conn: Any, own_connection: bool, sql: str, values: object
    ) -> tuple[Any, Any]:
        from asyncmy.cursors import Cursor, SSCursor

        cur = conn.cursor(SSCursor if own_connection else Cursor)
        await cur.execute(sql, values)
        return cur, cur.description
