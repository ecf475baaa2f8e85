"""The SQL SQLite spells its own way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.db.backends.base.operations import SQL, SQLType, json_path, zone_literal
from djanco.db.backends.base.operations import DatabaseOperations as BaseDatabaseOperations

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import Insert
    from sqlalchemy.sql.selectable import Select

__all__ = ["DatabaseOperations"]


class DatabaseOperations(BaseDatabaseOperations):
    """SQLite's answers to ``wrapper.ops`` (see the base class)."""

    # Many ALTERs rebuild the table: foreign keys are off meanwhile, which only takes effect
    # outside a transaction (as in Django), and checked before the migration commits.
    foreign_keys_off_sql = "PRAGMA foreign_keys = OFF"
    foreign_keys_on_sql = "PRAGMA foreign_keys = ON"
    foreign_key_check_sql = "PRAGMA foreign_key_check"

    def datetime_in_zone(self, column: SQL, zone: str) -> SQL:
        if zone == "UTC":
            return column
        # A Python function the backend registers on each connection.
        return sa.func.djanco_datetime_local(column, zone_literal(zone))

    def date_part(self, part: str, column: SQL) -> SQL:
        if part == "iso_week_day":
            return (sa.cast(sa.func.strftime("%w", column), sa.Integer) + 6) % 7 + 1
        if part == "week":
            # strftime('%V') needs SQLite 3.46: the ISO week is that of its Thursday.
            thursday = sa.func.date(
                column, sa.literal_column("'-3 days'"), sa.literal_column("'weekday 4'")
            )
            day_of_year = sa.cast(sa.func.strftime("%j", thursday), sa.Integer)
            return (day_of_year - 1) // 7 + 1
        if part == "quarter":
            return (sa.cast(sa.func.strftime("%m", column), sa.Integer) + 2) // 3
        return super().date_part(part, column)

    def datetime_to_date(self, column: SQL) -> SQL:
        return sa.func.date(column, type_=sa.Date)

    def datetime_to_time(self, column: SQL) -> SQL:
        # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': the time part compares with a bound time
        # ('HH:MM:SS.ffffff'), where time() would drop the microseconds.
        return sa.func.substr(column, sa.literal_column("12"), type_=sa.Time)

    def pattern(self, text: str, prefix: bool, suffix: bool, insensitive: bool) -> str:
        if insensitive:
            return super().pattern(text, prefix, suffix, insensitive)
        # Case-sensitive matching is GLOB, where [ * ? are special.
        escaped = text.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")
        return f"{'*' if prefix else ''}{escaped}{'*' if suffix else ''}"

    def pattern_match(self, lhs: SQL, pattern: SQL, insensitive: bool) -> SQL:
        if insensitive:
            return lhs.like(pattern, escape="\\")
        return lhs.op("GLOB")(pattern)

    def regex_match(self, lhs: SQL, regex: SQL, insensitive: bool) -> SQL:
        # REGEXP calls a Python function the backend registers (re.search).
        if insensitive:
            return lhs.op("REGEXP")(sa.literal_column("'(?i)'") + regex)
        return lhs.op("REGEXP")(regex)

    def char_length(self, expression: SQL) -> SQL:
        return sa.func.length(expression, type_=sa.Integer)

    def no_offset(self, select: Select[Any]) -> Select[Any]:
        # Else SQLAlchemy adds an `OFFSET ?` of its own.
        return select.offset(sa.literal_column("0"))

    def insert(self, table: sa.Table, ignore_conflicts: bool) -> Insert:
        stmt = sa.insert(table)
        return stmt.prefix_with("OR IGNORE") if ignore_conflicts else stmt

    def json_key(self, column: SQL, json_type: SQLType, keys: tuple[str, ...], mode: str) -> SQL:
        path = sa.literal(json_path(keys), sa.String())
        if mode == "value":  # JSON text (SQLite 3.38+): strings quoted, true/false kept
            return sa.type_coerce(column.op("->")(path), json_type)
        return sa.func.json_extract(column, path, type_=sa.String() if mode == "text" else None)

    def json_value(self, parameter: SQL) -> SQL:
        return sa.func.json(parameter)  # minified, as `->` returns it

    def json_has_key(self, column: SQL, key: SQL) -> SQL:
        return sa.func.json_type(column, key).is_not(None)

    def table_exists_sql(self) -> str:
        return "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s"
