"""The SQL PostgreSQL spells its own way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert

from djanco.db.backends.base.operations import SQL, ArrayInsert, Converter, SQLType, zone_literal
from djanco.db.backends.base.operations import DatabaseOperations as BaseDatabaseOperations
from djanco.db.backends.postgresql import arrays

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.dml import Insert

    from djanco.db.backends.postgresql.base import PostgreSQLWrapper

__all__ = ["DatabaseOperations"]

UTC = dt.UTC


class DatabaseOperations(BaseDatabaseOperations):
    """PostgreSQL's answers to ``wrapper.ops`` (see the base class)."""

    json_orders_as_json = True  # jsonb orders as JSON does: numbers as numbers, and so on

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

    def datetime_in_zone(self, column: SQL, zone: str) -> SQL:
        return sa.func.timezone(zone_literal(zone), column)  # AT TIME ZONE

    def regex_match(self, lhs: SQL, regex: SQL, insensitive: bool) -> SQL:
        return lhs.op("~*" if insensitive else "~")(regex)

    def typed_parameter(self, parameter: SQL, type_: SQLType) -> SQL:
        return sa.cast(parameter, type_)  # untyped parameters in CASE need a type

    def insert(self, table: sa.Table, ignore_conflicts: bool) -> Insert:
        if ignore_conflicts:
            return pg_insert(table).on_conflict_do_nothing()
        return sa.insert(table)

    def order_nulls(self, column: SQL, term: Any, last: bool) -> list[Any]:
        return [term.nulls_last() if last else term.nulls_first()]

    def array_insert(self, table: sa.Table, columns: Sequence[str]) -> ArrayInsert | None:
        assert self.connection is not None
        return arrays.UnnestInsert.for_columns(table, columns, self.connection.dialect)

    def json_key(self, column: SQL, json_type: SQLType, keys: tuple[str, ...], mode: str) -> SQL:
        value: SQL = column
        last = len(keys) - 1
        for i, key in enumerate(keys):
            text = mode == "text" and i == last
            operator = value.op(
                "->>" if text else "->", return_type=sa.Text() if text else json_type
            )
            value = operator(_key(key))
        return value

    def json_value(self, parameter: SQL) -> SQL:
        return sa.cast(parameter, postgresql.JSONB())

    def json_contains(self, column: SQL, parameter: SQL, contained: bool) -> SQL:
        return column.op("<@" if contained else "@>")(self.json_value(parameter))

    def json_key_param(self, key: str) -> object:
        return key

    def json_has_key(self, column: SQL, key: SQL) -> SQL:
        return column.op("?")(key)

    def table_exists_sql(self) -> str:
        return (
            "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname = %s "
            "AND c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)"
        )


def _key(key: str) -> SQL:
    """A key made of digits indexes an array, as in Django (`data__tags__0`)."""
    if key.isdigit():
        return sa.literal_column(str(int(key)))  # jsonb -> integer: an array element
    return sa.literal(key, sa.Text())
