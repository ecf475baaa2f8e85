"""The SQL PostgreSQL spells its own way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert

from djanco.db.backends.base.operations import Converter, zone_literal
from djanco.db.backends.base.operations import DatabaseOperations as BaseDatabaseOperations
from djanco.db.backends.postgresql import arrays

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.dml import Insert
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.types import TypeEngine

    from djanco.db.backends.postgresql.base import PostgreSQLWrapper

__all__ = ["DatabaseOperations"]

UTC = dt.UTC


class DatabaseOperations(BaseDatabaseOperations):
    """PostgreSQL's answers to ``wrapper.ops`` (see the base class)."""

    json_orders_as_json = True  # jsonb orders as JSON does: numbers as numbers, and so on
    max_array_insert_rows = arrays.MAX_ROWS

    def adapt_datetime(self, value: dt.datetime) -> object:
        # timestamptz: aware, in UTC (a naive value is taken as UTC, as stored elsewhere).
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        return value.replace(tzinfo=UTC)

    def datetime_converter(self, use_tz: bool) -> Converter | None:
        def from_timestamptz(value: object) -> object:
            if isinstance(value, dt.datetime):
                utc = value.astimezone(UTC)
                return utc if use_tz else utc.replace(tzinfo=None)
            return value

        return from_timestamptz

    def adapt_duration(self, value: dt.timedelta) -> object:
        return value  # interval

    def duration_converter(self) -> Converter | None:
        return None

    def params_dialect(self, is_async: bool) -> Dialect:
        wrapper = cast("PostgreSQLWrapper", self.connection)
        return wrapper.async_dialect if is_async else wrapper.dialect

    def datetime_in_zone(self, column: ColumnElement[Any], zone: str) -> ColumnElement[Any]:
        return sa.func.timezone(zone_literal(zone), column)  # AT TIME ZONE

    def regex_match(
        self, lhs: ColumnElement[Any], regex: ColumnElement[Any], insensitive: bool
    ) -> ColumnElement[Any]:
        return lhs.op("~*" if insensitive else "~")(regex)

    def typed_parameter(
        self, parameter: ColumnElement[Any], type_: TypeEngine[Any]
    ) -> ColumnElement[Any]:
        return sa.cast(parameter, type_)  # untyped parameters in CASE need a type

    def insert(self, table: sa.Table, ignore_conflicts: bool) -> Insert:
        if ignore_conflicts:
            return pg_insert(table).on_conflict_do_nothing()
        return sa.insert(table)

    def array_insert_types(
        self, table: sa.Table, columns: Sequence[str]
    ) -> tuple[TypeEngine[Any], ...] | None:
        assert self.connection is not None
        return arrays.element_types(table, columns, self.connection.dialect)

    def array_insert(
        self,
        table: sa.Table,
        columns: Sequence[str],
        types: Sequence[TypeEngine[Any]],
        returning: str | None,
        ignore_conflicts: bool,
        literals: bool,
    ) -> Insert:
        assert self.connection is not None
        return arrays.unnest_insert(
            table, columns, types, self.connection.dialect, returning, ignore_conflicts, literals
        )

    def array_insert_params(
        self,
        table: sa.Table,
        columns: Sequence[str],
        values: Sequence[list[object]],
        dialect: Dialect,
    ) -> tuple[list[object], bool]:
        return arrays.array_params(table, columns, values, dialect)

    def json_key(
        self,
        column: ColumnElement[Any],
        json_type: TypeEngine[Any],
        keys: tuple[str, ...],
        mode: str,
    ) -> ColumnElement[Any]:
        value: ColumnElement[Any] = column
        last = len(keys) - 1
        for i, key in enumerate(keys):
            text = mode == "text" and i == last
            operator = value.op(
                "->>" if text else "->", return_type=sa.Text() if text else json_type
            )
            value = operator(_key(key))
        return value

    def json_value(self, parameter: ColumnElement[Any]) -> ColumnElement[Any]:
        return sa.cast(parameter, postgresql.JSONB())

    def json_contains(
        self, column: ColumnElement[Any], parameter: ColumnElement[Any], contained: bool
    ) -> ColumnElement[Any]:
        return column.op("<@" if contained else "@>")(self.json_value(parameter))

    def json_key_param(self, key: str) -> object:
        return key

    def json_has_key(
        self, column: ColumnElement[Any], key: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        return column.op("?")(key)

    def table_exists_sql(self) -> str:
        return (
            "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname = %s "
            "AND c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)"
        )


def _key(key: str) -> ColumnElement[Any]:
    """A key made of digits indexes an array, as in Django (`data__tags__0`)."""
    if key.isdigit():
        return sa.literal_column(str(int(key)))  # jsonb -> integer: an array element
    return sa.literal(key, sa.Text())
