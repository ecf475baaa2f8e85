"""What every part of a backend shares, at the bottom of the package: statements, results,
error translation and the async-safety guard.

A ``CompiledQuery`` is made once per query shape and reused with new parameter values, so the
hot path is: bind values in order → run the driver cursor → build a ``Result``. Driver errors
leave every backend as ``djanco.db`` errors (``translated``), and sync database calls refuse to
run inside an event loop (``check_sync_allowed``).
"""

from __future__ import annotations

import os
from asyncio import _get_running_loop
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, cast

from djanco.db.utils import SynchronousOnlyOperation, translate_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.compiler import SQLCompiler
    from sqlalchemy.sql.elements import ClauseElement

__all__ = [
    "ALLOW_ASYNC_UNSAFE",
    "SYNC_IN_ASYNC_MESSAGE",
    "CompiledQuery",
    "Params",
    "Result",
    "Row",
    "Statement",
    "build_result",
    "check_sync_allowed",
    "compile_statement",
    "raise_translated",
    "translated",
]

SYNC_IN_ASYNC_MESSAGE = (
    "You cannot call this from an async context - use the async form (aget, asave, ...)"
)
ALLOW_ASYNC_UNSAFE = bool(os.environ.get("DJANCO_ALLOW_ASYNC_UNSAFE"))
"""Django's escape hatch (``DJANCO_ALLOW_ASYNC_UNSAFE``): sync calls allowed in an event loop."""


def check_sync_allowed(message: str = SYNC_IN_ASYNC_MESSAGE) -> None:
    """Raise ``SynchronousOnlyOperation`` if this thread runs an event loop: a sync database
    call there would block every task of the loop."""
    if _get_running_loop() is not None and not ALLOW_ASYNC_UNSAFE:
        raise SynchronousOnlyOperation(message)


def translated(exc: BaseException) -> BaseException:
    """The ``djanco.db`` error for a driver's error (``exc`` itself for any other exception)."""
    return translate_error(exc) or exc


def raise_translated(exc: Exception) -> NoReturn:
    """Raise the ``djanco.db`` error for a driver's error, chained to it (``exc`` itself for
    any other exception). Call it in the ``except`` block that caught ``exc``."""
    err = translate_error(exc)
    if err is None or err is exc:
        raise exc
    raise err from exc


Statement: TypeAlias = "Executable | ClauseElement | CompiledQuery | str"
"""What ``execute`` accepts: a Core statement, a compiled query, or raw SQL with ``%s``."""

Row: TypeAlias = tuple[object, ...]
"""One result row, values in column order, as the driver returned them (after type processing)."""

Params: TypeAlias = Mapping[str, object] | Sequence[object]
"""Values by bind name (``{"pk": 1}``) or positional, in ``CompiledQuery.names`` order."""

_Processor: TypeAlias = Callable[[object], object]
_MISSING: object = object()


class CompiledQuery:
    """SQL text for one backend plus what is needed to bind values and convert results.

    Made by ``DatabaseWrapper.compile(statement)`` (from a SQLAlchemy Core statement) or from a
    raw SQL string. Immutable as far as callers are concerned; safe to cache and to share
    between threads, tasks, and the sync and async APIs of one alias.
    """

    __slots__ = (
        "_bind_processors",
        "_defaults",
        "_dialect",
        "columns",
        "compiled",
        "driver_rows",
        "is_insert",
        "names",
        "processors",
        "returns_rows",
        "sql",
        "variant",
    )

    sql: str
    names: tuple[str, ...]
    columns: tuple[str, ...]
    returns_rows: bool | None
    is_insert: bool

    def __init__(self, sql: str, returns_rows: bool | None = None) -> None:
        """A raw SQL statement (``from_statement`` makes one from SQLAlchemy's compiled form).
        ``returns_rows``: whether it returns rows, if known."""
        self.sql = sql
        self.returns_rows = returns_rows
        self.names = ()
        self.columns = ()
        self.is_insert = False
        # Set by callers that only index rows (the ORM's row builders): the async driver may
        # then hand over its own row objects (asyncpg Records) instead of copying to tuples.
        self.driver_rows = False
        self._defaults: tuple[object, ...] = ()
        self._bind_processors: tuple[_Processor | None, ...] | None = None
        self._dialect: Dialect | None = None
        self.compiled: SQLCompiler | None = None
        """SQLAlchemy's compiled form (None for raw SQL)."""
        self.variant: CompiledQuery | None = None
        """The same query compiled for the alias's other driver (asyncpg), made on first use."""
        self.processors: tuple[tuple[int, _Processor], ...] | None = ()
        """(column, converter) pairs; None until the first run (they depend on the driver's
        column type codes): see ``result_processors``."""

    @classmethod
    def from_statement(
        cls, compiled: SQLCompiler, dialect: Dialect, missing: frozenset[str] = frozenset()
    ) -> CompiledQuery:
        names = tuple(compiled.positiontup or ())
        binds = compiled.binds
        # Values bound at build time, including IN-list members expanded at compile time.
        given = compiled.construct_params(_check=False)
        defaults: list[object] = []
        for name in names:
            bind = binds.get(name)
            if name in missing or (
                bind is not None and bind.required and bind.value is None and bind.callable is None
            ):
                defaults.append(_MISSING)
            else:
                defaults.append(given.get(name))
        procs = compiled._bind_processors
        bind_processors = tuple(procs.get(n) for n in names) if procs else None
        if bind_processors is not None and not any(bind_processors):
            bind_processors = None
        columns = tuple(c.keyname for c in compiled._result_columns)
        # Plain text() may or may not return rows: unknown (None) until it runs.
        returns_rows: bool | None = bool(columns) or bool(compiled.effective_returning)
        if not returns_rows and compiled.isplaintext:
            returns_rows = None
        query = cls(compiled.string, returns_rows)
        query.names = names
        query.columns = columns
        query.is_insert = bool(compiled.isinsert)
        query._defaults = tuple(defaults)
        query._bind_processors = bind_processors  # type: ignore[assignment]
        query._dialect = dialect
        query.compiled = compiled
        query.processors = None
        return query

    def bind(self, params: Params | None) -> Sequence[object]:
        """Parameter values in placeholder order, converted for the driver."""
        names = self.names
        if params is None or isinstance(params, Mapping):
            if params is None:
                values: Sequence[object] = self._defaults
            else:
                get = params.get
                values = [get(n, d) for n, d in zip(names, self._defaults, strict=True)]
            if _MISSING in values:
                missing = [n for n, v in zip(names, values, strict=True) if v is _MISSING]
                raise TypeError(f"No value given for query parameter(s) {', '.join(missing)}")
        else:
            values = params
        procs = self._bind_processors
        if procs is not None:
            values = [v if p is None else p(v) for p, v in zip(procs, values, strict=True)]
        return values

    def result_processors(
        self, type_codes: Sequence[object] | None
    ) -> tuple[tuple[int, _Processor], ...]:
        """(column index, converter) pairs for columns whose values need converting."""
        procs = self.processors
        if procs is None:
            compiled, dialect = self.compiled, self._dialect
            assert compiled is not None and dialect is not None
            found: list[tuple[int, _Processor]] = []
            codes = list(type_codes or ())
            for i, col in enumerate(compiled._result_columns):
                code = codes[i] if i < len(codes) else None
                proc = col.type._cached_result_processor(dialect, code)
                if proc is not None:
                    found.append((i, proc))
            procs = self.processors = tuple(found)
        return procs

    def __repr__(self) -> str:
        return f"<CompiledQuery {self.sql!r}>"


def compile_statement(statement: object, dialect: Dialect) -> CompiledQuery:
    """Compile a Core statement for ``dialect``: IN lists are rendered as one placeholder per
    member, so the SQL text is final and can be cached."""
    from sqlalchemy.exc import InvalidRequestError
    from sqlalchemy.sql import visitors
    from sqlalchemy.sql.compiler import SQLCompiler
    from sqlalchemy.sql.elements import BindParameter

    kwargs = {"render_postcompile": True}
    try:
        compiled = statement.compile(dialect=dialect, compile_kwargs=kwargs)  # type: ignore[attr-defined]
    except InvalidRequestError:
        # Rendering IN lists needs a value for every parameter: compile with stand-ins for
        # those given per execution, and remember that they are still required.
        missing = frozenset(
            node.key
            for node in visitors.iterate(statement)  # type: ignore[arg-type]
            if isinstance(node, BindParameter)
            and node.required
            and node.value is None
            and node.callable is None
        )
        if not missing:
            raise

        def stand_in(element: Any, **kw: Any) -> Any:
            if isinstance(element, BindParameter) and element.key in missing:
                return element._with_value(  # type: ignore[no-untyped-call]
                    _MISSING, maintain_key=True, required=False
                )
            return None

        filled: Any = visitors.replacement_traverse(cast(Any, statement), {}, stand_in)
        compiled = filled.compile(dialect=dialect, compile_kwargs=kwargs)
        return CompiledQuery.from_statement(compiled, dialect, missing)
    if not isinstance(compiled, SQLCompiler):
        return CompiledQuery(compiled.string, returns_rows=False)  # DDL
    return CompiledQuery.from_statement(compiled, dialect)


class Result:
    """Rows (fetched eagerly), column names, and the driver's row count / last row id."""

    __slots__ = ("columns", "lastrowid", "rowcount", "rows")

    def __init__(
        self,
        rows: list[Row],
        columns: tuple[str, ...] = (),
        rowcount: int = -1,
        lastrowid: int | None = None,
    ) -> None:
        self.rows = rows
        self.columns = columns
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchall(self) -> list[Row]:
        return self.rows

    def first(self) -> Row | None:
        """The first row, or None when there are none."""
        return self.rows[0] if self.rows else None

    fetchone = first

    def one(self) -> Row:
        """The only row; ValueError if there are none or several."""
        if len(self.rows) != 1:
            raise ValueError(f"Expected exactly one row, got {len(self.rows)}")
        return self.rows[0]

    def scalar(self) -> object:
        """The first column of the first row, or None when there are no rows."""
        return self.rows[0][0] if self.rows else None

    def scalars(self) -> list[object]:
        """The first column of every row."""
        return [r[0] for r in self.rows]

    def mappings(self) -> list[dict[str, object]]:
        """Every row as a dict keyed by column name."""
        cols = self.columns
        return [dict(zip(cols, r, strict=False)) for r in self.rows]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<Result rows={len(self.rows)} rowcount={self.rowcount}>"


def build_result(
    query: CompiledQuery,
    rows: Sequence[Row],
    desc: Sequence[Sequence[Any]],
    rowcount: int,
    lastrowid: int | None,
) -> Result:
    """A ``Result`` from a driver's rows and cursor description, converting the values whose
    SQLAlchemy type asks for it."""
    if type(rows) is not list:
        rows = list(rows)
    procs = query.processors
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
