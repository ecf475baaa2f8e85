"""``DatabaseOperations``: where each database's own SQL lives (``wrapper.ops``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

import sqlalchemy as sa

from djanco.db.utils import NotSupportedError

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.dml import Insert
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.selectable import Select
    from sqlalchemy.types import TypeEngine

    from djanco.db.backends.base.features import Features

__all__ = [
    "SQL",
    "ArrayInsert",
    "Connection",
    "Converter",
    "DatabaseOperations",
    "SQLType",
    "json_path",
    "zone_literal",
]

Converter = Callable[[object], object]
"""Turns a value the driver returned into the Python value of a field."""

SQL: TypeAlias = "ColumnElement[Any]"
"""An SQL expression (a SQLAlchemy Core column element)."""
SQLType: TypeAlias = "TypeEngine[Any]"

UTC = dt.UTC


class Connection(Protocol):
    """What operations may ask of their wrapper (a ``DatabaseWrapper``)."""

    @property
    def alias(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def features(self) -> Features: ...
    @property
    def dialect(self) -> Dialect: ...


class ArrayInsert(Protocol):
    """Many rows in one INSERT with one array parameter per column (``array_insert``)."""

    max_rows: int
    """Rows per statement when no batch size is given."""

    def statement(self, returning: str | None, ignore_conflicts: bool, literals: bool) -> Insert:
        """The INSERT, its parameters p0, p1, ... (one per column) all `literals` or not."""
        ...

    def params(self, values: Sequence[list[object]], dialect: Dialect) -> tuple[list[object], bool]:
        """The parameters for the columns' `values` (prepared for the database), processed
        by `dialect`; and whether they are all literals."""
        ...


class DatabaseOperations:
    """The SQL that differs between databases, asked for by the ORM and migrations.

    This is the one place for a database's quirks: the query layer (``djanco.db.models``) and
    the migrations never test ``wrapper.vendor`` to choose SQL; they call a method of
    ``wrapper.ops`` instead — random ordering, NULLS FIRST/LAST, time-zone conversion of
    datetimes, bulk inserts, JSON paths and so on. Each backend package subclasses this class
    in its ``operations.py`` and overrides only what its database spells differently; the
    methods here give the standard SQL (or SQLAlchemy's portable construct). Adding a
    database means adding one package with its own ``DatabaseOperations``.

    A method takes and returns SQLAlchemy Core constructs or plain values, never a driver
    connection: operations describe SQL, the wrapper runs it. The base class also serves
    where no database is known yet (the conditions of ``Meta.constraints``, compiled into the
    table definition): ``DatabaseOperations(None)``.
    """

    json_orders_as_json: ClassVar[bool] = False
    """Whether a JSON key compares (``gt``, ordering) as a JSON value, its parameter sent as
    JSON text; else as the key's plain SQL value, with a plain parameter."""

    foreign_keys_off_sql: ClassVar[str | None] = None
    """SQL turning foreign key checks off for a migration that may rebuild tables (run
    outside a transaction), with ``foreign_keys_on_sql`` and ``foreign_key_check_sql``;
    None: the database needs no such thing."""
    foreign_keys_on_sql: ClassVar[str | None] = None
    foreign_key_check_sql: ClassVar[str | None] = None

    def __init__(self, connection: Connection | None) -> None:
        self.connection = connection
        """The wrapper of the alias (``ops.connection.features``, ``.dialect``)."""

    # --- values for the driver, and back -----------------------------------------------------

    def adapt_datetime(self, value: dt.datetime) -> object:
        """A DateTimeField value as the driver takes it: naive, in UTC."""
        if value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def datetime_converter(self, use_tz: bool) -> Converter | None:
        """Turns a DateTimeField value read back (naive UTC) into the field's value: aware
        in UTC under USE_TZ."""
        return _naive_to_utc if use_tz else None

    def adapt_duration(self, value: dt.timedelta) -> object:
        """A DurationField value as the driver takes it: a number of microseconds."""
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds

    def duration_converter(self) -> Converter | None:
        return _microseconds_to_timedelta

    def params_dialect(self, is_async: bool) -> Dialect:
        """The dialect whose bind processing suits the driver running the statements (sync
        or async): the wrapper's, unless the async driver is another library."""
        assert self.connection is not None
        return self.connection.dialect

    # --- dates and times -----------------------------------------------------------------------

    def datetime_in_zone(self, column: SQL, zone: str) -> SQL:
        """A DateTimeField column (UTC) as a naive datetime in the time zone `zone`."""
        if zone == "UTC":
            return column  # stored as naive UTC already
        raise NotSupportedError("Time zone conversions are not supported on this database.")

    def date_part(self, part: str, column: SQL) -> SQL:
        """A date part as an integer, Django's numbering: `week_day` 1 (Sunday) to 7,
        `iso_week_day` 1 (Monday) to 7, `week` the ISO week, `quarter` 1 to 4."""
        if part == "week_day":
            return sa.cast(sa.extract("dow", column), sa.Integer) + 1
        if part == "iso_week_day":
            part = "isodow"
        return sa.cast(sa.extract(part, column), sa.Integer)

    def datetime_to_date(self, column: SQL) -> SQL:
        return sa.cast(column, sa.Date)

    def datetime_to_time(self, column: SQL) -> SQL:
        return sa.cast(column, sa.Time)

    # --- text ----------------------------------------------------------------------------------

    def pattern(self, text: str, prefix: bool, suffix: bool, insensitive: bool) -> str:
        """The parameter of a `contains`-style lookup: `text` matched literally, with a
        wildcard before it (`prefix`) and after it (`suffix`)."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{'%' if prefix else ''}{escaped}{'%' if suffix else ''}"

    def pattern_match(self, lhs: SQL, pattern: SQL, insensitive: bool) -> SQL:
        """`lhs` matches the `pattern()` parameter (case-insensitively, if asked)."""
        if insensitive:
            return sa.func.upper(lhs).op("LIKE")(sa.func.upper(pattern))
        return lhs.op("LIKE")(pattern)

    def regex_match(self, lhs: SQL, regex: SQL, insensitive: bool) -> SQL:
        raise NotSupportedError("Regular expressions are not supported on this database.")

    def char_length(self, expression: SQL) -> SQL:
        """The length of a text in characters."""
        return sa.func.char_length(expression, type_=sa.Integer)

    def concat(self, parts: Sequence[SQL]) -> SQL:
        """The texts `parts` joined (none of them NULL)."""
        result = parts[0]
        for part in parts[1:]:
            result = result.op("||")(part)
        return sa.type_coerce(result, sa.String)

    # --- ordering and limits -------------------------------------------------------------------

    def random(self) -> SQL:
        """A random value per row (`order_by("?")`)."""
        return sa.func.random()

    def order_nulls(self, column: SQL, term: Any, last: bool) -> list[Any]:
        """ORDER BY terms sorting `column` by `term` with NULLs last (or first): on "IS NULL"
        first, which every database understands."""
        flag = column.is_(None)
        return [flag.asc() if last else flag.desc(), term]

    def compound_order_nulls(self, term: Any, last: bool) -> Any:
        """`order_nulls()` for a column of a UNION (or INTERSECT, EXCEPT), by position."""
        return term.nulls_last() if last else term.nulls_first()

    def no_offset(self, select: Select[Any]) -> Select[Any]:
        """A SELECT with a LIMIT and no OFFSET, as the database wants it spelt."""
        return select

    def typed_parameter(self, parameter: SQL, type_: SQLType) -> SQL:
        """A parameter where the database cannot infer its type (a CASE branch)."""
        return parameter

    # --- inserts -------------------------------------------------------------------------------

    def insert(self, table: sa.Table, ignore_conflicts: bool) -> Insert:
        """An INSERT into `table` (values to add), skipping rows that would violate a
        unique constraint if `ignore_conflicts`."""
        if ignore_conflicts:
            raise NotSupportedError("This database backend does not support ignoring conflicts.")
        return sa.insert(table)

    def array_insert(self, table: sa.Table, columns: Sequence[str]) -> ArrayInsert | None:
        """Where many rows go in one INSERT with an array parameter per column, how; None
        where the database (or a column's type) has no such thing: a VALUES list then."""
        return None

    # --- JSON ------------------------------------------------------------------------------------

    def json_key(self, column: SQL, json_type: SQLType, keys: tuple[str, ...], mode: str) -> SQL:
        """The value at `keys` in the JSON `column`, in the form `mode` names: "value" (the
        JSON value, read back decoded), "text" (strings unquoted) or "compare" (a value that
        orders as the JSON value does)."""
        raise NotSupportedError("JSONField key lookups are not supported on this database.")

    def json_value(self, parameter: SQL) -> SQL:
        """A JSON text parameter as a JSON value comparable with ``json_key(..., "value")``."""
        raise NotSupportedError("JSONField lookups are not supported on this database.")

    def json_comparable(self, value: SQL) -> SQL:
        """``json_key(..., "value")`` as compared with ``json_value()`` (equality, IN)."""
        return value

    def json_key_order_param(self, value: object) -> object:
        """The parameter a JSON key is compared with (``gt`` and the like)."""
        return json.dumps(value) if self.json_orders_as_json else value

    def json_contains(self, column: SQL, parameter: SQL, contained: bool) -> SQL:
        """JSON containment: the column contains the JSON text `parameter` (or is contained
        in it)."""
        raise NotSupportedError(
            f"{'contained_by' if contained else 'contains'} lookup is not supported on this "
            "database backend."
        )

    def json_key_param(self, key: str) -> object:
        """The parameter naming a key for ``json_has_key``."""
        return json_path((key,), final_is_key=True)

    def json_has_key(self, column: SQL, key: SQL) -> SQL:
        """The JSON `column` has the key named by the ``json_key_param()`` parameter `key`."""
        raise NotSupportedError("has_key lookups are not supported on this database.")

    # --- schema ----------------------------------------------------------------------------------

    def table_exists_sql(self) -> str:
        """SQL finding a table by name (``%s``), on the current connection."""
        raise NotImplementedError

    def column_foreign_keys_sql(self) -> str | None:
        """SQL naming the foreign key constraints on a column (``%s``: table, column), where
        they must be dropped before the column; None: they go with it."""
        return None


def zone_literal(zone: str) -> SQL:
    """A time zone name as an SQL literal, not a parameter: the compiled SQL is cached per
    TIME_ZONE (the caches are cleared when it changes) and bound values keep their numbering."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"unexpected time zone name {zone!r}")
    return sa.literal_column(f"'{zone}'")


def json_path(keys: tuple[str, ...], final_is_key: bool = False) -> str:
    """`$."a"[0]."b"`: digits index an array, as in Django (`data__tags__0`), except the last
    key if `final_is_key`."""
    out = "$"
    for i, key in enumerate(keys):
        if key.isdigit() and not (final_is_key and i == len(keys) - 1):
            out += f"[{int(key)}]"
        else:
            out += "." + json.dumps(key)
    return out


def _naive_to_utc(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _microseconds_to_timedelta(value: object) -> object:
    if isinstance(value, int):
        return dt.timedelta(microseconds=value)
    return value
