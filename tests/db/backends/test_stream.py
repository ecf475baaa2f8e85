"""stream()/astream(): results in chunks through server-side cursors."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper, OperationalError, ProgrammingError
from djanco.db.transaction import atomic

metadata = sa.MetaData()
numbers = sa.Table(
    "o1_number",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("price", sa.Numeric(8, 2)),
)

pytestmark = pytest.mark.tables(numbers)

SELECT = sa.select(numbers.c.value, numbers.c.price).order_by(numbers.c.value)


def fill(connection: DatabaseWrapper, count: int) -> None:
    query = connection.compile(sa.insert(numbers).values(value=sa.bindparam("v"), price=1))
    connection.execute_many(query, [{"v": i} for i in range(count)])


def test_stream_in_chunks(connection: DatabaseWrapper) -> None:
    fill(connection, 25)
    chunks = list(connection.stream(SELECT, chunk_size=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert [row[0] for chunk in chunks for row in chunk] == list(range(25))
    assert str(chunks[0][0][1]) == "1.00"  # column types still convert values


def test_stream_outside_transaction_returns_connection(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    fill(c, 5)
    for _ in range(3):  # an unreturned connection would pile up / block here
        assert sum(len(chunk) for chunk in c.stream(SELECT, chunk_size=2)) == 5
    with contextlib.closing(c.stream(SELECT, chunk_size=2)) as chunks:
        assert len(next(chunks)) == 2  # stop early: closing releases the connection
    assert c.scalar(sa.select(sa.func.count()).select_from(numbers)) == 5


def test_stream_inside_atomic_allows_other_queries(
    transactional_connection: DatabaseWrapper,
) -> None:
    c = transactional_connection
    fill(c, 6)
    seen = 0
    with atomic():
        for chunk in c.stream(SELECT, chunk_size=3):
            seen += len(chunk)
            c.execute(sa.update(numbers).values(price=2))  # same connection, mid-stream
    assert seen == 6


def test_stream_error_is_wrapped(connection: DatabaseWrapper) -> None:
    with pytest.raises((ProgrammingError, OperationalError)):
        list(connection.stream("SELECT * FROM no_such_table_here"))


async def test_astream(connection: DatabaseWrapper) -> None:
    query = connection.compile(sa.insert(numbers).values(value=sa.bindparam("v")))
    await connection.aexecute_many(query, [{"v": i} for i in range(7)])
    values = [row[0] async for chunk in connection.astream(SELECT, chunk_size=3) for row in chunk]
    assert values == list(range(7))


async def test_astream_outside_transaction(transactional_connection: DatabaseWrapper) -> None:
    c = transactional_connection
    query = c.compile(sa.insert(numbers).values(value=sa.bindparam("v")))
    await c.aexecute_many(query, [{"v": i} for i in range(5)])
    for _ in range(3):
        total = 0
        async for chunk in c.astream(SELECT, chunk_size=2):
            total += len(chunk)
        assert total == 5
    chunks = c.astream(SELECT, chunk_size=2)
    assert len(await anext(chunks)) == 2
    await chunks.aclose()
    assert await c.ascalar(sa.select(sa.func.count()).select_from(numbers)) == 5
