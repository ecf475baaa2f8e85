"""``SyncDriver`` and ``AsyncDriver``: one driver library as a wrapper uses it — connect, run a
statement, control a transaction, stream rows — with no pooling or transaction state of its own.

A backend package subclasses each once per driver library (psycopg, asyncpg, PyMySQL, ...);
the wrapper holds one of each (``wrapper.driver``, ``wrapper.adriver``), and its pools, its
transactions and its statement execution call them. The sync defaults follow PEP 249.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from djanco.db.backends.base.statements import CompiledQuery, Params, Result, Row, build_result

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["AsyncDriver", "SyncDriver"]


class SyncDriver:
    """A blocking driver (PEP 249). Connections run in autocommit; ``atomic()`` sends BEGIN."""

    module: ClassVar[str] = ""
    """The driver library's module (for ``djanco check``: is it installed?)."""
    paramstyle: ClassVar[str] = "format"
    """The placeholder style SQLAlchemy compiles for (``format``: ``%s``; ``qmark``: ``?``)."""
    begin_sql: str = "BEGIN"
    stream_needs_transaction: ClassVar[bool] = False
    """Server-side cursors that live only inside a transaction (PostgreSQL's named cursors)."""

    def __init__(self, sa_url: URL) -> None:
        self.sa_url = sa_url
        """The URL SQLAlchemy's dialect and engine are made from (for compiling, Alembic)."""

    def connect(self) -> Any:
        raise NotImplementedError

    def close(self, conn: Any) -> None:
        conn.close()

    def is_usable(self, conn: Any) -> bool:
        """False once the connection is known to be broken (no round trip)."""
        return True

    def in_transaction(self, conn: Any) -> bool:
        """Whether a transaction is open on the connection (one started with raw SQL)."""
        return False

    def ping(self, conn: Any) -> None:
        """A round trip that fails if the connection is dead."""
        self.control(conn, "SELECT 1")

    def raw_sql(self, sql: str, has_params: bool) -> str:
        """Raw SQL written with Django's ``%s`` placeholders, in the driver's own style."""
        return sql

    def values(self, query: CompiledQuery, params: Params | None) -> object:
        """The values to send with ``query`` (compiled queries bind and convert them)."""
        if query.names or query.compiled is not None:
            return query.bind(params)
        return params  # raw SQL: the driver binds them as given

    def run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        cur = conn.cursor()
        try:
            if values is None:
                cur.execute(query.sql)
            else:
                cur.execute(query.sql, values)
            desc = cur.description
            if desc is None:
                return Result([], (), cur.rowcount, self.lastrowid(cur))
            rows = cur.fetchall()
            return build_result(query, rows, desc, cur.rowcount, self.lastrowid(cur))
        finally:
            cur.close()

    def run_many(self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]) -> int:
        cur = conn.cursor()
        try:
            cur.executemany(query.sql, values)
            return int(cur.rowcount)
        finally:
            cur.close()

    def control(self, conn: Any, sql: str) -> None:
        """Run a statement that returns nothing (BEGIN, SAVEPOINT, ROLLBACK, ...)."""
        cur = conn.cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    @staticmethod
    def lastrowid(cur: Any) -> int | None:
        return cur.lastrowid  # type: ignore[no-any-return]

    def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        """Execute ``query`` on a cursor that fetches lazily; return the cursor.

        ``own_connection``: the connection was borrowed for this stream alone (not one bound
        to an ``atomic()`` block), so a cursor may hold it until the rows are read.
        """
        cur = conn.cursor()
        if values is None:
            cur.execute(query.sql)
        else:
            cur.execute(query.sql, values)
        return cur

    def stream_fetch(self, cursor: Any, query: CompiledQuery, size: int) -> list[Row]:
        rows = cursor.fetchmany(size)
        if not rows:
            return []
        return build_result(query, rows, cursor.description, -1, None).rows

    def stream_close(self, cursor: Any) -> None:
        cursor.close()


class AsyncDriver:
    """An asyncio driver: the operations of ``SyncDriver``, awaited. The defaults suit drivers
    shaped like PEP 249 with awaitable methods (psycopg's ``AsyncConnection``, asyncmy)."""

    module: ClassVar[str] = ""

    def prepare(self, query: CompiledQuery, params: Params | None) -> tuple[CompiledQuery, object]:
        """The query and values to send (a driver may need its own form of the query: asyncpg
        numbers its placeholders)."""
        if query.names or query.compiled is not None:
            return query, query.bind(params)
        return query, params

    def prepare_many(
        self, query: CompiledQuery, seq_of_params: Iterable[Params]
    ) -> tuple[CompiledQuery, list[object]]:
        """``prepare`` for each parameter set of ``execute_many``."""
        return query, [self.prepare(query, params)[1] for params in seq_of_params]

    async def connect(self) -> Any:
        raise NotImplementedError

    async def close(self, conn: Any) -> None:
        await conn.close()

    def is_usable(self, conn: Any) -> bool:
        return True

    def in_transaction(self, conn: Any) -> bool:
        return False

    async def ping(self, conn: Any) -> None:
        await self.control(conn, "SELECT 1")

    async def run(self, conn: Any, query: CompiledQuery, values: object) -> Result:
        async with conn.cursor() as cur:
            await cur.execute(query.sql, values)
            desc = cur.description
            if desc is None:
                return Result([], (), cur.rowcount, self.lastrowid(cur))
            rows = await cur.fetchall()
            return build_result(query, rows, desc, cur.rowcount, self.lastrowid(cur))

    async def run_many(
        self, conn: Any, query: CompiledQuery, values: list[Sequence[object]]
    ) -> int:
        async with conn.cursor() as cur:
            await cur.executemany(query.sql, values)
            return int(cur.rowcount)

    async def control(self, conn: Any, sql: str) -> None:
        async with conn.cursor() as cur:
            await cur.execute(sql)

    @staticmethod
    def lastrowid(cur: Any) -> int | None:
        return cur.lastrowid  # type: ignore[no-any-return]

    async def stream_open(
        self, conn: Any, own_connection: bool, query: CompiledQuery, values: object
    ) -> Any:
        raise NotImplementedError

    async def stream_fetch(self, cursor: Any, query: CompiledQuery, size: int) -> list[Row]:
        rows = await cursor.fetchmany(size)
        if not rows:
            return []
        return build_result(query, rows, cursor.description, -1, None).rows

    async def stream_close(self, cursor: Any) -> None:
        await cursor.close()
