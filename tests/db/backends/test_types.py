"""Values of every common column type come back the same through the sync and async drivers."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from djanco.db import DatabaseWrapper


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


metadata = sa.MetaData()
values_table = sa.Table(
    "o1_values",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("text", sa.Text),
    sa.Column("short", sa.String(20)),
    sa.Column("number", sa.Integer),
    sa.Column("big", sa.BigInteger),
    sa.Column("real", sa.Float),
    sa.Column("money", sa.Numeric(12, 2)),
    sa.Column("flag", sa.Boolean),
    sa.Column("day", sa.Date),
    # MySQL keeps microseconds only with an explicit fractional precision (as Django declares).
    sa.Column("moment", sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql")),
    sa.Column("clock", sa.Time().with_variant(mysql.TIME(fsp=6), "mysql")),
    sa.Column("span", sa.Interval),
    sa.Column("ident", sa.Uuid),
    sa.Column("data", sa.JSON),
    sa.Column("blob", sa.LargeBinary),
    sa.Column("colour", sa.Enum(Colour, native_enum=False, length=10)),
)

pytestmark = pytest.mark.tables(values_table)

ROW = {
    "text": "héllo 'wörld' \\ % _ \u2603",
    "short": "short",
    "number": -42,
    "big": 2**40,
    "real": 1.5,
    "money": decimal.Decimal("1234.56"),
    "flag": True,
    "day": datetime.date(2024, 2, 29),
    "moment": datetime.datetime(2024, 5, 17, 12, 30, 45, 123456, tzinfo=datetime.UTC),
    "clock": datetime.time(23, 59, 58, 250000),
    "span": datetime.timedelta(days=2, seconds=5),
    "ident": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "data": {"a": [1, 2, {"b": None}], "s": "x"},
    "blob": b"\x00\x01\xffbinary",
    "colour": Colour.BLUE,
}
COLUMNS = [values_table.c[name] for name in ROW]
SELECT = sa.select(*COLUMNS).where(values_table.c.id == sa.bindparam("pk"))


def _normalise(connection: DatabaseWrapper, row: tuple[object, ...]) -> dict[str, object]:
    got = dict(zip(ROW, row, strict=True))
    moment = got["moment"]
    if isinstance(moment, datetime.datetime) and moment.tzinfo is None:
        got["moment"] = moment.replace(tzinfo=datetime.UTC)  # no time zone column type
    return got


def test_sync_round_trip(connection: DatabaseWrapper) -> None:
    connection.execute(sa.insert(values_table).values(id=1, **ROW))
    (row,) = connection.fetchall(connection.compile(SELECT), {"pk": 1})
    assert _normalise(connection, row) == ROW


async def test_async_round_trip_matches_sync(connection: DatabaseWrapper) -> None:
    await connection.aexecute(sa.insert(values_table).values(id=1, **ROW))
    query = connection.compile(SELECT)
    (row,) = await connection.afetchall(query, {"pk": 1})
    assert _normalise(connection, row) == ROW
    assert isinstance(row, tuple)
    assert isinstance(row[COLUMNS.index(values_table.c.ident)], uuid.UUID)


async def test_async_bound_parameters_of_every_type(connection: DatabaseWrapper) -> None:
    query = connection.compile(
        sa.insert(values_table).values({"id": 2, **{c.name: sa.bindparam(c.name) for c in COLUMNS}})
    )
    await connection.aexecute(query, ROW)
    (row,) = await connection.afetchall(connection.compile(SELECT), {"pk": 2})
    assert _normalise(connection, row) == ROW
    found = await connection.ascalar(
        sa.select(sa.func.count())
        .select_from(values_table)
        .where(values_table.c.ident == ROW["ident"])
        .where(values_table.c.moment == ROW["moment"])
        .where(values_table.c.colour == Colour.BLUE)
    )
    assert found == 1
