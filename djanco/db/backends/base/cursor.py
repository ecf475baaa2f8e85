"""Django's raw cursor API on top of ``execute``: ``with connections["default"].cursor() as c:``.

Each ``execute`` runs like ``DatabaseWrapper.execute`` (autocommit, or the current ``atomic()``
block's connection) and fetches eagerly; the cursor then hands the rows out. ``%s``
placeholders on every backend, values always bound by the driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from djanco.db.backends.base.statements import Params, Result, Row, Statement

__all__ = ["CursorWrapper"]


class _Executes(Protocol):
    """What the cursor needs of its ``DatabaseWrapper``."""

    def execute(self, statement: Statement, params: Params | None = None) -> Result: ...
    async def aexecute(self, statement: Statement, params: Params | None = None) -> Result: ...
    def execute_many(self, statement: Statement, seq_of_params: Iterable[Params]) -> int: ...
    async def aexecute_many(self, statement: Statement, seq_of_params: Iterable[Params]) -> int: ...


class CursorWrapper:
    """A DB-API-like cursor (sync methods, and ``a``-prefixed async ones)."""

    __slots__ = ("_position", "_result", "_wrapper")

    def __init__(self, wrapper: _Executes) -> None:
        self._wrapper = wrapper
        self._result: Result | None = None
        self._position = 0

    def execute(self, sql: Statement, params: Params | None = None) -> None:
        self._set(self._wrapper.execute(sql, params))

    async def aexecute(self, sql: Statement, params: Params | None = None) -> None:
        self._set(await self._wrapper.aexecute(sql, params))

    def executemany(self, sql: Statement, param_list: Iterable[Params]) -> None:
        count = self._wrapper.execute_many(sql, param_list)
        self._set(Result([], (), count))

    async def aexecutemany(self, sql: Statement, param_list: Iterable[Params]) -> None:
        count = await self._wrapper.aexecute_many(sql, param_list)
        self._set(Result([], (), count))

    def _set(self, result: Result) -> None:
        self._result = result
        self._position = 0

    @property
    def _rows(self) -> list[Row]:
        if self._result is None:
            raise RuntimeError("Call execute() before fetching rows")
        return self._result.rows

    def fetchone(self) -> Row | None:
        rows = self._rows
        if self._position >= len(rows):
            return None
        self._position += 1
        return rows[self._position - 1]

    def fetchmany(self, size: int = 1) -> list[Row]:
        rows = self._rows[self._position : self._position + size]
        self._position += len(rows)
        return rows

    def fetchall(self) -> list[Row]:
        rows = self._rows[self._position :]
        self._position += len(rows)
        return rows

    @property
    def rowcount(self) -> int:
        return -1 if self._result is None else self._result.rowcount

    @property
    def lastrowid(self) -> int | None:
        return None if self._result is None else self._result.lastrowid

    @property
    def description(self) -> tuple[tuple[str, None, None, None, None, None, None], ...] | None:
        """Column names in DB-API form (the other six fields are not known: None)."""
        if self._result is None or not self._result.columns:
            return None
        return tuple((name, None, None, None, None, None, None) for name in self._result.columns)

    def __iter__(self) -> Iterator[Row]:
        while (row := self.fetchone()) is not None:
            yield row

    def close(self) -> None:
        self._result = None

    def __enter__(self) -> CursorWrapper:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> CursorWrapper:
        return self.__enter__()

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()
