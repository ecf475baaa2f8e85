"""Statement execution: Core statements, compiled queries, raw SQL, sync and async."""

from __future__ import annotations

import datetime
import decimal

import pytest
import sqlalchemy as sa

from djanco.db import (
    CompiledQuery,
    DatabaseWrapper,
    DataError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from djanco.db.transaction import atomic

metadata = sa.MetaData()
items = sa.Table(
    "o1_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("price", sa.Numeric(10, 2)),
    sa.Column("created", sa.DateTime(timezone=True)),
)

pytestmark = pytest.mark.tables(items)

NOW = datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.UTC)


def _insert(connection: DatabaseWrapper, name: str) -> None:
    connection.execute(sa.insert(items).values(name=name, price=decimal.Decimal("2.50")))


def test_core_insert_and_select(connection: DatabaseWrapper) -> None:
    _insert(connection, "apple")
    _insert(connection, "pear")
    rows = connection.fetchall(sa.select(items.c.name).order_by(items.c.name))
    assert rows == [("apple",), ("pear",)]
    assert connection.scalar(sa.select(sa.func.count()).select_from(items)) == 2


def test_compiled_query_reused_with_new_values(connection: DatabaseWrapper) -> None:
    for name in ("a", "b", "c"):
        _insert(connection, name)
    query = connection.compile(sa.select(items.c.name).where(items.c.name == sa.bindparam("name")))
    assert isinstance(query, CompiledQuery)
    assert query.names == ("name",)
    assert connection.fetchall(query, {"name": "b"}) == [("b",)]
    assert connection.fetchall(query, ["c"]) == [("c",)]
    with pytest.raises(TypeError, match="No value given for query parameter"):
        connection.execute(query, {})


def test_values_converted_by_column_type(connection: DatabaseWrapper) -> None:
    connection.execute(sa.insert(items).values(name="x", price=decimal.Decimal("1.10")))
    price = connection.scalar(sa.select(items.c.price))
    assert price == decimal.Decimal("1.10")
    assert isinstance(price, decimal.Decimal)


def test_raw_sql_uses_percent_s_placeholders(connection: DatabaseWrapper) -> None:
    _insert(connection, "50% off")
    _insert(connection, "full price")
    rows = connection.fetchall(f"SELECT name FROM {items.name} WHERE name LIKE %s", ["%\\%%"])
    assert rows == [] or rows == [("50% off",)]  # LIKE escape syntax differs; binding works
    result = connection.execute(f"SELECT name FROM {items.name} WHERE name = %s", ["50% off"])
    assert result.rows == [("50% off",)]
    assert result.columns == ("name",)


@pytest.mark.parametrize(
    "hostile",
    ["it's", 'say "hi"', "back\\slash", "%s %% %(x)s", "_under_", "'; DROP TABLE o1_item; --"],
)
def test_hostile_strings_round_trip(connection: DatabaseWrapper, hostile: str) -> None:
    _insert(connection, hostile)
    assert connection.scalar(sa.select(items.c.name)) == hostile
    raw = connection.scalar(f"SELECT name FROM {items.name} WHERE name = %s", [hostile])
    assert raw == hostile


def test_update_rowcount(connection: DatabaseWrapper) -> None:
    for name in ("a", "b", "c"):
        _insert(connection, name)
    result = connection.execute(sa.update(items).where(items.c.name != "a").values(price=1))
    assert result.rowcount == 2


def test_inserted_pk(connection: DatabaseWrapper) -> None:
    if connection.features.can_return_rows_from_insert:
        stmt = sa.insert(items).values(name="r").returning(items.c.id)
        pk = connection.execute(stmt).scalar()
    else:
        pk = connection.execute(sa.insert(items).values(name="r")).lastrowid
    assert isinstance(pk, int)
    assert connection.scalar(sa.select(items.c.name).where(items.c.id == pk)) == "r"


def test_execute_many(connection: DatabaseWrapper) -> None:
    query = connection.compile(
        sa.insert(items).values(name=sa.bindparam("n"), price=sa.bindparam("p"))
    )
    connection.execute_many(query, [{"n": f"item{i}", "p": i} for i in range(10)])
    assert connection.scalar(sa.select(sa.func.count()).select_from(items)) == 10


def test_integrity_error_wrapped_and_connection_usable(connection: DatabaseWrapper) -> None:
    _insert(connection, "dup")
    with pytest.raises(IntegrityError) as info:
        _insert(connection, "dup")
    assert info.value.__cause__ is not None
    if connection.vendor == "postgresql":
        return  # PostgreSQL aborts the transaction: see the savepoint test in test_transaction
    assert connection.scalar(sa.select(sa.func.count()).select_from(items)) == 1


def test_missing_table_is_a_database_error(connection: DatabaseWrapper) -> None:
    # Django's classes per backend: SQLite says OperationalError, the servers ProgrammingError.
    expected = OperationalError if connection.vendor == "sqlite" else ProgrammingError
    with pytest.raises(expected, match="no_such_table_here"):
        connection.execute("SELECT * FROM no_such_table_here")


def test_datetime_round_trip(connection: DatabaseWrapper) -> None:
    connection.execute(sa.insert(items).values(name="t", created=NOW))
    value = connection.scalar(sa.select(items.c.created))
    assert isinstance(value, datetime.datetime)
    assert value.replace(tzinfo=datetime.UTC) == NOW


async def test_async_execute(connection: DatabaseWrapper) -> None:
    await connection.aexecute(sa.insert(items).values(name="async"))
    query = connection.compile(sa.select(items.c.name).where(items.c.name == sa.bindparam("name")))
    assert await connection.afetchall(query, {"name": "async"}) == [("async",)]
    assert await connection.ascalar(f"SELECT COUNT(*) FROM {items.name}") == 1


async def test_async_integrity_error(connection: DatabaseWrapper) -> None:
    await connection.aexecute(sa.insert(items).values(name="dup"))
    with pytest.raises(IntegrityError):
        await connection.aexecute(sa.insert(items).values(name="dup"))


async def test_async_execute_many(connection: DatabaseWrapper) -> None:
    query = connection.compile(sa.insert(items).values(name=sa.bindparam("n")))
    await connection.aexecute_many(query, [{"n": f"i{i}"} for i in range(5)])
    assert await connection.ascalar(sa.select(sa.func.count()).select_from(items)) == 5


def test_update_rowcount_counts_matched_rows(connection: DatabaseWrapper) -> None:
    # Django's semantics on every backend (MySQL needs CLIENT.FOUND_ROWS): unchanged rows count.
    _insert(connection, "same")
    stmt = sa.update(items).where(items.c.name == "same").values(price=decimal.Decimal("2.50"))
    assert connection.execute(stmt).rowcount == 1


async def test_async_update_rowcount_counts_matched_rows(connection: DatabaseWrapper) -> None:
    await connection.aexecute(sa.insert(items).values(name="same", price=1))
    stmt = sa.update(items).where(items.c.name == "same").values(price=1)
    assert (await connection.aexecute(stmt)).rowcount == 1


def test_sqlite_regexp(connection: DatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("REGEXP is built into the servers")
    for name in ("abc1", "xyz", "ab"):
        _insert(connection, name)
    stmt = sa.select(items.c.name).where(items.c.name.regexp_match(r"^ab.\d$"))
    assert connection.fetchall(stmt) == [("abc1",)]
    assert connection.scalar("SELECT NULL REGEXP 'a'") is None


def test_in_lists_and_literal_values(connection: DatabaseWrapper) -> None:
    for name in ("a", "b", "c", "d"):
        _insert(connection, name)
    stmt = (
        sa.select(items.c.name)
        .where(items.c.name.in_(["a", "c", "zz"]))
        .where(items.c.price == decimal.Decimal("2.50"))
        .order_by(items.c.name)
        .limit(10)
    )
    assert connection.fetchall(stmt) == [("a",), ("c",)]
    query = connection.compile(
        sa.select(items.c.name).where(items.c.name.in_([sa.bindparam("x"), sa.bindparam("y")]))
    )
    assert sorted(map(str, connection.execute(query, {"x": "b", "y": "d"}).scalars())) == ["b", "d"]


async def test_async_in_lists_and_repeated_binds(connection: DatabaseWrapper) -> None:
    for name in ("a", "b", "c"):
        await connection.aexecute(sa.insert(items).values(name=name))
    stmt = sa.select(items.c.name).where(items.c.name.in_(["a", "c"])).order_by(items.c.name)
    assert await connection.afetchall(stmt) == [("a",), ("c",)]
    query = connection.compile(
        sa.select(items.c.name)
        .where(sa.or_(items.c.name == sa.bindparam("n"), items.c.name > sa.bindparam("n")))
        .where(items.c.name.in_(["b", "c"]))
        .order_by(items.c.name)
    )
    assert await connection.afetchall(query, {"n": "b"}) == [("b",), ("c",)]
    # Positional values follow query.names, whatever order the async driver numbers them in.
    members = {"name_1_1": "b", "name_1_2": "c"}
    positional = ["b" if name == "n" else members[name] for name in query.names]
    assert await connection.afetchall(query, positional) == [("b",), ("c",)]


def test_nul_character(connection: DatabaseWrapper) -> None:
    value = "before\x00after"
    if connection.vendor == "postgresql":
        # PostgreSQL text cannot hold NUL.
        with pytest.raises(DataError), atomic():
            _insert(connection, value)
        return
    _insert(connection, value)
    assert connection.scalar(sa.select(items.c.name)) == value


async def test_nul_character_async(connection: DatabaseWrapper) -> None:
    value = "before\x00after"
    statement = sa.insert(items).values(name=value)
    if connection.vendor == "postgresql":
        with pytest.raises(DataError):
            async with atomic():
                await connection.aexecute(statement)
        return
    await connection.aexecute(statement)
    assert await connection.ascalar(sa.select(items.c.name)) == value


async def test_text_clauses_with_named_parameters(connection: DatabaseWrapper) -> None:
    _ = await connection.aexecute(sa.insert(items).values(name="t1"))
    stmt = sa.text(f"SELECT name FROM {items.name} WHERE name = :wanted")
    query = connection.compile(stmt)
    assert query.names == ("wanted",)
    assert await connection.afetchall(query, {"wanted": "t1"}) == [("t1",)]
    assert (await connection.aexecute(stmt.bindparams(wanted="t1"))).scalar() == "t1"
