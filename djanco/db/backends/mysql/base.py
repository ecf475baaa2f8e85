"""MariaDB / MySQL: PyMySQL for sync code, asyncmy (PyMySQL's conversions, in Cython) for async.

Connections use utf8mb4, UTC session time and autocommit; ``atomic()`` sends BEGIN/COMMIT.
MariaDB ≥ 10.5 supports ``INSERT … RETURNING``; MySQL does not (``lastrowid`` then).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from djanco.db.backends.base.base import DatabaseWrapper
from djanco.db.backends.base.drivers import AsyncDriver, SyncDriver
from djanco.db.backends.base.statements import CompiledQuery
from djanco.db.backends.mysql.features import DatabaseFeatures
from djanco.db.backends.mysql.operations import DatabaseOperations

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["AsyncmyDriver", "MySQLWrapper", "PyMySQLDriver"]

_INIT = "SET time_zone = '+00:00'"
# An UPDATE's row count is the rows *matched*, not only those changed (as Django does): save()
# and QuerySet.update() rely on it.
_FOUND_ROWS = 2  # pymysql.constants.CLIENT.FOUND_ROWS == asyncmy's
_LEVELS = ("read uncommitted", "read committed", "repeatable read", "serializable")


class MySQLWrapper(DatabaseWrapper):
    vendor = "mysql"
    url_schemes = ("mysql", "mariadb")
    driver_requirement = "pip install 'djanco[mysql]'"
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures

    def make_drivers(
        self, url: URL, options: dict[str, str]
    ) -> tuple[PyMySQLDriver, AsyncmyDriver]:
        # Django's default on MySQL/MariaDB: READ COMMITTED, not the server's REPEATABLE READ
        # (get_or_create() and friends depend on seeing rows committed meanwhile).
        level = options.pop("isolation_level", "read committed").replace("-", " ").replace("_", " ")
        if level.lower() not in _LEVELS:
            raise ValueError(
                f"Database {self.alias!r}: isolation_level must be one of {', '.join(_LEVELS)}"
            )
        query: dict[str, Any] = dict(options)
        query.setdefault("charset", "utf8mb4")
        kwargs: dict[str, Any] = {
            "host": url.host or "localhost",
            "port": url.port or 3306,
            "user": url.username,
            "password": url.password or "",
            "database": url.database,
        }
        for key in ("connect_timeout", "read_timeout", "write_timeout", "port"):
            if key in query:
                query[key] = int(query[key])
        kwargs.update(query)
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        session_sql = f"SET SESSION TRANSACTION ISOLATION LEVEL {level.upper()}"
        sa_url = url.set(drivername="mysql+pymysql", query=query)
        return PyMySQLDriver(sa_url, kwargs, session_sql), AsyncmyDriver(kwargs, session_sql)


class PyMySQLDriver(SyncDriver):
    module = "pymysql"

    def __init__(self, sa_url: URL, kwargs: dict[str, Any], session_sql: str) -> None:
        super().__init__(sa_url)
        self.kwargs = kwargs
        self.session_sql = session_sql

    def connect(self) -> Any:
        import pymysql  # optional driver

        conn = pymysql.connect(
            autocommit=True, init_command=_INIT, client_flag=_FOUND_ROWS, **self.kwargs
        )
        with conn.cursor() as cur:
            cur.execute(self.session_sql)
        return conn

    def in_transaction(self, conn: Any) -> bool:
        return bool(conn.server_status & 1)  # SERVER_STATUS_IN_TRANS

    def is_usable(self, conn: Any) -> bool:
        return bool(conn.open)

    def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        # Unbuffered only on a connection of its own: it is blocked until the rows are read.
        if own_connection:
            from pymysql.cursors import SSCursor

            cur = conn.cursor(SSCursor)
        else:
            cur = conn.cursor()
        cur.execute(query.sql, values)
        return cur


class AsyncmyDriver(AsyncDriver):
    module = "asyncmy"

    def __init__(self, kwargs: dict[str, Any], session_sql: str) -> None:
        self.kwargs = kwargs
        self.session_sql = session_sql

    async def connect(self) -> Any:
        import asyncmy  # optional driver

        conn = await asyncmy.connect(
            autocommit=True, init_command=_INIT, client_flag=_FOUND_ROWS, **self.kwargs
        )
        async with conn.cursor() as cur:
            await cur.execute(self.session_sql)
        return conn

    async def close(self, conn: Any) -> None:
        conn.close()

    def in_transaction(self, conn: Any) -> bool:
        return bool(conn.server_status & 1)  # SERVER_STATUS_IN_TRANS

    def is_usable(self, conn: Any) -> bool:
        return bool(conn.connected)

    async def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        from asyncmy.cursors import Cursor, SSCursor

        cur = conn.cursor(SSCursor if own_connection else Cursor)
        await cur.execute(query.sql, values)
        return cur
