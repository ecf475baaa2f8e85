"""bulk_create on every backend, and PostgreSQL's INSERT … SELECT FROM unnest(arrays) path;
instances loaded or saved without a ModelState until one is needed."""

from __future__ import annotations

import datetime as dt
import decimal
import pickle
import uuid

import pytest

from djanco.db import DatabaseError, DatabaseWrapper, models
from djanco.db.backends.postgresql.arrays import array_literal
from djanco.db.models.state import LOADED_DB
from tests.db.models.models import ALL, Author, Kitchen


class Pantry(models.Model):
    """A column of each type the unnest path takes (no JSON: that one falls back)."""

    text = models.CharField(max_length=40, null=True)
    body = models.TextField(default="")
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    ratio = models.FloatField(null=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    flag = models.BooleanField(null=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(null=True)
    token = models.UUIDField(null=True)
    blob = models.BinaryField(null=True)
    stamped = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "modeltests"
        db_table = "bulk_pantry"


pytestmark = pytest.mark.tables(*ALL, Pantry)

HOSTILE = [
    "",
    "NULL",
    "null",
    '"',
    "\\",
    '\\"',
    "{}",
    "{a,b}",
    "a,b",
    " padded ",
    "'); DROP TABLE bulk_pantry; --",
    "ü€😀",
    "\n\t\r",
    "%s %(x)s $1 ?",
]


def pantries() -> list[Pantry]:
    when = dt.datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=dt.UTC)
    rows = [
        Pantry(
            text=text,
            body=text * 3,
            big=2**40 + i,
            small=-i,
            ratio=i / 3,
            price=decimal.Decimal(f"{i}.25"),
            flag=i % 2 == 0,
            day=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            moment=when + dt.timedelta(hours=i),
            clock=dt.time(1, 2, i),
            span=dt.timedelta(days=i, microseconds=7),
            token=uuid.UUID(int=i + 1),
            blob=bytes([i, 0, 255]) + b'\\"',
        )
        for i, text in enumerate(HOSTILE)
    ]
    rows.append(Pantry())  # every nullable column NULL
    return rows


FIELDS = ["text", "body", "big", "small", "ratio", "price", "flag", "day"]
FIELDS += ["moment", "clock", "span", "token", "blob"]


def check_round_trip(objs: list[Pantry], fresh: dict[object, Pantry]) -> None:
    assert len(fresh) == len(objs)
    for obj in objs:
        row = fresh[obj.pk]  # each instance got the pk of its own row
        for name in FIELDS:
            value = getattr(row, name)
            if isinstance(value, memoryview):
                value = bytes(value)
            assert value == getattr(obj, name), name
        assert row.stamped is not None


@pytest.mark.parametrize("literals", [False, True], ids=["lists", "literals"])
def test_bulk_create_round_trips_every_type(connection: DatabaseWrapper, literals: bool) -> None:
    objs = pantries()
    if literals:  # no interval or bytea values: every column goes as an array literal
        for obj in objs:
            obj.span = obj.blob = None
    connection.queries_log = []
    try:
        Pantry.objects.bulk_create(objs)
        inserts = [q.sql for q in connection.queries_log if "INSERT" in q.sql]
    finally:
        connection.queries_log = None
    assert len(inserts) == 1
    if connection.vendor == "postgresql":
        assert "unnest(" in inserts[0]
        assert ("::TEXT AS" in inserts[0]) == literals
    assert all(o.pk is not None and o._state.adding is False for o in objs)
    assert all(o._state.db == "default" for o in objs)
    check_round_trip(objs, Pantry.objects.in_bulk())


@pytest.mark.parametrize("literals", [False, True], ids=["lists", "literals"])
async def test_abulk_create_round_trips_every_type(
    connection: DatabaseWrapper, literals: bool
) -> None:
    objs = pantries()
    if literals:
        for obj in objs:
            obj.span = obj.blob = None
    await Pantry.objects.abulk_create(objs)
    assert all(o.pk is not None and o._state.adding is False for o in objs)
    check_round_trip(objs, await Pantry.objects.ain_bulk())


def test_postgresql_inserts_with_one_array_per_column(connection: DatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    connection.queries_log = []
    try:
        objs = Author.objects.bulk_create([Author(name=f"a{i}", age=i) for i in range(10)])
        inserts = [q.sql for q in connection.queries_log if "INSERT" in q.sql]
        assert len(inserts) == 1 and "unnest(" in inserts[0]
        assert inserts[0].count("%s") == 3  # name, email, age: whatever the number of rows
        connection.queries_log = []
        small = Author.objects.bulk_create([Author(name=f"b{i}") for i in range(10)], batch_size=4)
        inserts = [q.sql for q in connection.queries_log if "INSERT" in q.sql]
        assert len(inserts) == 3  # 4 + 4 + 2 rows
    finally:
        connection.queries_log = None
    by_pk = Author.objects.in_bulk()
    assert [by_pk[o.pk].name for o in objs + small] == [o.name for o in objs + small]


def test_postgresql_ignore_conflicts_with_arrays(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="u", email="u@example.com")
    objs = [Author(name=f"n{i}", email=f"{i}@example.com") for i in range(5)]
    objs.append(Author(name="dup", email="u@example.com"))
    Author.objects.bulk_create(objs, ignore_conflicts=True)
    assert sorted(Author.objects.values_list("name", flat=True)) == [
        "n0",
        "n1",
        "n2",
        "n3",
        "n4",
        "u",
    ]


def test_too_long_strings_raise_rather_than_being_cut(connection: DatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not check lengths; MariaDB's strictness is a server setting")
    with pytest.raises(DatabaseError):
        Pantry.objects.bulk_create([Pantry(text="x" * 41), Pantry(text="ok")])


def test_json_columns_fall_back_to_values_lists(connection: DatabaseWrapper) -> None:
    objs = Kitchen.objects.bulk_create(
        [Kitchen(text=f"k{i}", data={"i": i, "s": HOSTILE}) for i in range(5)]
    )
    fresh = Kitchen.objects.in_bulk()
    assert [fresh[o.pk].data for o in objs] == [{"i": i, "s": HOSTILE} for i in range(5)]


def test_array_literal() -> None:
    assert array_literal(["a", None, '"\\', ""]) == '{"a",NULL,"\\"\\\\",""}'
    assert array_literal([1, None, -2]) == "{1,NULL,-2}"
    assert array_literal([1.5, float("inf")]) == "{1.5,inf}"
    assert array_literal([True, False, None]) == "{t,f,NULL}"
    assert array_literal([None, None]) == "{NULL,NULL}"
    assert array_literal([1, "a"]) is None  # mixed: left to the driver
    assert array_literal([dt.date(2024, 1, 1), None]) == "{2024-01-01,NULL}"
    assert array_literal([decimal.Decimal("1.50")]) == "{1.50}"
    assert array_literal([dt.timedelta(1)]) is None
    assert array_literal([b"x"]) is None


def test_loaded_instances_get_their_state_on_first_use(connection: DatabaseWrapper) -> None:
    Author.objects.create(name="Ann", age=3)
    loaded = Author.objects.get(name="Ann")
    assert "_state" not in loaded.__dict__ and loaded.__dict__[LOADED_DB] == "default"
    clone = pickle.loads(pickle.dumps(loaded))
    assert (clone._state.db, clone._state.adding) == ("default", False)
    assert (loaded._state.db, loaded._state.adding) == ("default", False)
    assert loaded.__dict__["_state"] is loaded._state and LOADED_DB not in loaded.__dict__
    new = Author(name="Bob")
    assert (new._state.db, new._state.adding) == (None, True)
    new.save()
    assert (new._state.db, new._state.adding) == ("default", False)
    bulk = Author.objects.bulk_create([Author(name="c"), Author(name="d")])
    assert "_state" not in bulk[0].__dict__
    assert (bulk[0]._state.db, bulk[0]._state.adding) == ("default", False)
