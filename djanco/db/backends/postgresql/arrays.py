"""PostgreSQL bulk insert with one array parameter per column.

`INSERT INTO t (a, b) SELECT * FROM unnest($1::a_type[], $2::b_type[]) RETURNING id` has as
many placeholders as columns, whatever the number of rows: the server parses and plans a
short statement (a multi-row VALUES list with thousands of placeholders costs more to parse
and plan than to run), psycopg does not scan a huge query string, and asyncpg encodes the
arrays in binary. The rows come back from RETURNING in the order of the arrays (Django
relies on this too since 5.2).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.dml import Insert
    from sqlalchemy.types import TypeEngine

__all__ = ["MAX_ROWS", "UnnestInsert", "array_literal", "element_types"]

MAX_ROWS = 50_000
"""Rows per statement when no batch_size is given (bounds the size of one message)."""


def element_types(
    table: sa.Table, columns: Sequence[str], dialect: Dialect
) -> tuple[TypeEngine[Any], ...] | None:
    """The array element type of each column, or None when a column's type is not known to
    travel well in an array parameter (JSON, enums, custom types: the caller falls back to
    VALUES lists)."""
    found = []
    for name in columns:
        column_type = table.c[name].type
        # The type this dialect uses (with_variant), still as its generic class (Double, not
        # the driver's Float subclass).
        column_type = column_type._variant_mapping.get(dialect.name, column_type)
        element = _element_type(column_type)
        if element is None:
            return None
        found.append(element)
    return tuple(found)


def _element_type(t: TypeEngine[Any]) -> TypeEngine[Any] | None:
    # Without length or precision: an explicit cast to varchar(5)[] would silently cut longer
    # strings, where inserting into the varchar(5) column raises as a VALUES list would.
    # Subclasses come before their bases (Double < Float < Numeric, BigInteger < Integer).
    if isinstance(t, sa.Text):
        return sa.Text()
    if isinstance(t, sa.String) and not isinstance(t, sa.Enum):
        return sa.String()
    if isinstance(t, sa.BigInteger):
        return sa.BigInteger()
    if isinstance(t, sa.SmallInteger):
        return sa.SmallInteger()
    if isinstance(t, sa.Integer):
        return sa.Integer()
    if isinstance(t, sa.Double):
        return sa.Double()
    if isinstance(t, sa.Float):
        return None  # REAL or FLOAT(p): rare, keep the VALUES path
    if isinstance(t, sa.Numeric):
        return sa.Numeric()
    if isinstance(t, sa.Boolean):
        return sa.Boolean(create_constraint=False)
    if isinstance(t, sa.DateTime):
        return sa.DateTime(timezone=bool(t.timezone))
    if isinstance(t, sa.Date):
        return sa.Date()
    if isinstance(t, sa.Time):
        return sa.Time(timezone=bool(t.timezone))
    if isinstance(t, sa.Interval):
        return sa.Interval()
    if isinstance(t, sa.Uuid):
        return sa.Uuid(as_uuid=True) if t.as_uuid else sa.Uuid(as_uuid=False)
    if isinstance(t, sa.LargeBinary):
        return sa.LargeBinary()
    return None


class _Array(sa.types.UserDefinedType[Any]):
    """A parameter cast to `spec` (`$1::VARCHAR[]`), its value passed on untouched."""

    cache_ok = True
    render_bind_cast = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw: Any) -> str:
        return self.spec


class UnnestInsert:
    """`INSERT INTO t (a, b) SELECT * FROM unnest(p0, p1)` for given columns of a table
    (``ops.array_insert``)."""

    max_rows = MAX_ROWS

    def __init__(
        self,
        table: sa.Table,
        columns: Sequence[str],
        types: Sequence[TypeEngine[Any]],
        dialect: Dialect,
    ) -> None:
        self.table = table
        self.columns = columns
        self.types = types
        self.dialect = dialect

    @classmethod
    def for_columns(
        cls, table: sa.Table, columns: Sequence[str], dialect: Dialect
    ) -> UnnestInsert | None:
        """The insert, or None when a column's type does not suit array parameters."""
        types = element_types(table, columns, dialect)
        return None if types is None else cls(table, columns, types, dialect)

    def statement(self, returning: str | None, ignore_conflicts: bool, literals: bool) -> Insert:
        """The INSERT … SELECT * FROM unnest(p0, p1, …) statement (p_i: column i's values).

        `literals`: every parameter is an array literal sent as one text value and cast by
        the server (`CAST($1::TEXT AS VARCHAR[])`); else lists (`$1::VARCHAR[]`), which
        asyncpg encodes itself (checking every element against collections.abc on the way)
        and psycopg takes as lists or literals alike."""
        table = self.table
        arrays: list[Any] = []
        for i, t in enumerate(self.types):
            array_type = _Array(f"{t.compile(dialect=self.dialect)}[]")
            if literals:
                arrays.append(sa.cast(sa.bindparam(f"p{i}", type_=_Array("TEXT")), array_type))
            else:
                arrays.append(sa.bindparam(f"p{i}", type_=array_type))
        rows = sa.select(sa.text("*")).select_from(sa.func.unnest(*arrays))
        stmt: Any = pg_insert(table).from_select(list(self.columns), rows)
        if ignore_conflicts:
            stmt = stmt.on_conflict_do_nothing()
        if returning is not None:
            stmt = stmt.returning(table.c[returning])
        insert: Insert = stmt
        return insert

    def params(self, values: Sequence[list[object]], dialect: Dialect) -> tuple[list[object], bool]:
        """The parameter of each column's values (prepared for the database): processed by
        `dialect`'s bind processors, and an array literal where it has one (see
        `array_literal`), which costs drivers several times less than a list (psycopg dumps
        lists in Python, asyncpg checks every element). Also whether every parameter is a
        literal: asyncpg takes lists for every column unless they all are."""
        processed: list[tuple[list[object], str | None]] = []
        for name, column_values in zip(self.columns, values, strict=True):
            process = self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                column_values = [None if v is None else process(v) for v in column_values]
            processed.append((column_values, array_literal(column_values)))
        literals = all(literal is not None for _, literal in processed)
        asyncpg = dialect.driver == "asyncpg"
        params: list[object] = [
            literal if literal is not None and (literals or not asyncpg) else column_values
            for column_values, literal in processed
        ]
        return params, literals


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bool(value: bool) -> str:
    return "t" if value else "f"


_NULL: frozenset[type] = frozenset({type(None)})
# Text forms PostgreSQL reads back exactly, none with a character special in array literals.
_LITERAL: dict[type, Callable[[Any], str]] = {
    str: _quote,
    int: str,
    float: repr,
    bool: _bool,
    decimal.Decimal: str,
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
    dt.time: dt.time.isoformat,
    uuid.UUID: str,
}


def array_literal(values: list[object], kinds: set[type] | None = None) -> str | None:
    """PostgreSQL's text form of a one-dimensional array (`{"a","b\\"c",NULL}`) when every
    value is None or of one type of `_LITERAL`, else None. Strings are always double-quoted,
    with backslash and double quote escaped: the only characters special inside quotes.
    `kinds`: the set of the values' types, if known."""
    if kinds is None:
        kinds = set(map(type, values))
    has_null = not _NULL.isdisjoint(kinds)
    kinds = kinds - _NULL
    if len(kinds) > 1:
        return None
    if not kinds:
        return "{" + ",".join(["NULL"] * len(values)) + "}"
    kind = next(iter(kinds))
    if kind is str and not has_null:
        strings = cast("list[str]", values)
        plain = "".join(strings)
        if "\\" not in plain and '"' not in plain:  # nothing to escape: join at C speed
            return '{"' + '","'.join(strings) + '"}'
    to_text = _LITERAL.get(kind)
    if to_text is None:
        return None
    if has_null:
        return "{" + ",".join(["NULL" if v is None else to_text(v) for v in values]) + "}"
    return "{" + ",".join(map(to_text, values)) + "}"
