"""The SQL MariaDB and MySQL spells its own way."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.db.backends.base.operations import SQL, SQLType, json_path
from djanco.db.backends.base.operations import DatabaseOperations as BaseDatabaseOperations
from djanco.db.utils import NotSupportedError

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import Insert

__all__ = ["DatabaseOperations", "utc_transitions"]


class DatabaseOperations(BaseDatabaseOperations):
    """MariaDB and MySQL's answers to ``wrapper.ops`` (see the base class)."""

    def datetime_in_zone(self, column: SQL, zone: str) -> SQL:
        """CONVERT_TZ needs the server's time zone tables, often not loaded (it then returns
        NULL), so the UTC offset comes from Python's zoneinfo: a CASE over the zone's
        transitions (1900-2100) picks the offset in effect at each instant, which is exact
        across DST changes."""
        if zone == "UTC":
            return column
        instants, offsets = utc_transitions(zone)
        offset = _offset_case(column, instants, offsets)
        return sa.func.timestampadd(sa.literal_column("SECOND"), offset, column)

    def date_part(self, part: str, column: SQL) -> SQL:
        if part == "week_day":
            return sa.func.dayofweek(column)
        if part == "iso_week_day":
            return sa.func.weekday(column) + 1
        if part == "week":
            return sa.func.week(column, 3)
        return super().date_part(part, column)

    def datetime_to_date(self, column: SQL) -> SQL:
        return sa.func.date(column, type_=sa.Date)

    def datetime_to_time(self, column: SQL) -> SQL:
        return sa.func.time(column, type_=sa.Time)

    def pattern_match(self, lhs: SQL, pattern: SQL, insensitive: bool) -> SQL:
        # The connection's collation ignores case: BINARY makes a match case-sensitive.
        return lhs.op("LIKE" if insensitive else "LIKE BINARY")(pattern)

    def regex_match(self, lhs: SQL, regex: SQL, insensitive: bool) -> SQL:
        return lhs.op("REGEXP" if insensitive else "REGEXP BINARY")(regex)

    def concat(self, parts: Sequence[SQL]) -> SQL:
        return sa.func.concat(*parts)

    def random(self) -> SQL:
        return sa.func.rand()

    def compound_order_nulls(self, term: Any, last: bool) -> Any:
        raise NotSupportedError(
            "nulls_first/nulls_last cannot order a combined query on MariaDB/MySQL."
        )

    def insert(self, table: sa.Table, ignore_conflicts: bool) -> Insert:
        stmt = sa.insert(table)
        return stmt.prefix_with("IGNORE") if ignore_conflicts else stmt

    def json_key(self, column: SQL, json_type: SQLType, keys: tuple[str, ...], mode: str) -> SQL:
        extracted = sa.func.json_extract(column, sa.literal(json_path(keys), sa.String()))
        if mode == "value":
            return sa.type_coerce(extracted, json_type)
        # MariaDB stores JSON as text: unquoted, a number compares with a bound number as one.
        unquoted = sa.func.json_unquote(extracted, type_=sa.String())
        if mode == "text":
            # As CHAR it takes the connection's (case-insensitive) collation, not JSON's binary
            # one, so `icontains` ignores case (`contains`-style lookups add BINARY as elsewhere).
            return sa.cast(unquoted, sa.String())
        return unquoted

    def json_value(self, parameter: SQL) -> SQL:
        return sa.func.json_compact(parameter)

    def json_comparable(self, value: SQL) -> SQL:
        return sa.func.json_compact(value)

    def json_contains(self, column: SQL, parameter: SQL, contained: bool) -> SQL:
        whole, part = (parameter, column) if contained else (column, parameter)
        return sa.func.json_contains(whole, part) == 1

    def json_has_key(self, column: SQL, key: SQL) -> SQL:
        return sa.func.json_contains_path(column, sa.literal_column("'one'"), key) == 1

    def table_exists_sql(self) -> str:
        return (
            "SELECT TABLE_NAME FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s"
        )

    def column_foreign_keys_sql(self) -> str | None:
        return (
            "SELECT CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = %s "
            "AND REFERENCED_TABLE_NAME IS NOT NULL"
        )


@functools.cache
def utc_transitions(zone: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(instants, offsets): naive UTC instants at which `zone`'s UTC offset changes, and the
    offsets in seconds: offsets[i] holds before instants[i], offsets[i + 1] from it on."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset_at(ts: int) -> int:
        delta = dt.datetime.fromtimestamp(ts, tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    week = 7 * 86400  # offsets never change twice within a week in the tz database
    ts = int(dt.datetime(1900, 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp())
    offsets = [offset_at(ts)]
    instants: list[str] = []
    while ts < end:
        nxt = ts + week
        if offset_at(nxt) != offsets[-1]:
            low, high = ts, nxt  # the change happens in (low, high]: find its second
            while high - low > 1:
                mid = (low + high) // 2
                low, high = (mid, high) if offset_at(mid) == offsets[-1] else (low, mid)
            instants.append(f"{dt.datetime.fromtimestamp(high, dt.UTC):%Y-%m-%d %H:%M:%S}")
            offsets.append(offset_at(high))
        ts = nxt
    return tuple(instants), tuple(offsets)


def _offset_case(column: SQL, instants: Sequence[str], offsets: Sequence[int]) -> SQL:
    """The offset in effect at `column`, as a balanced tree of CASEs (a few comparisons a row)."""
    if not instants:
        return sa.literal_column(str(offsets[0]))
    mid = len(instants) // 2
    return sa.case(
        (
            column < sa.literal_column(f"'{instants[mid]}'"),
            _offset_case(column, instants[:mid], offsets[: mid + 1]),
        ),
        else_=_offset_case(column, instants[mid + 1 :], offsets[mid + 1 :]),
    )
