"""capture_queries(), assert_num_queries() and the djanco.db query log."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper
from djanco.db.backends.debug import assert_num_queries, capture_queries
from djanco.db.transaction import atomic

metadata = sa.MetaData()
things = sa.Table("o1_thing", metadata, sa.Column("id", sa.Integer, primary_key=True))

pytestmark = pytest.mark.tables(things)


def test_capture_queries_sync_and_many(connection: DatabaseWrapper) -> None:
    with capture_queries() as captured:
        connection.execute(sa.insert(things).values(id=1))
        connection.execute_many(connection.compile(sa.insert(things)), [{"id": 2}, {"id": 3}])
        with atomic():  # SAVEPOINT / RELEASE are not counted
            connection.scalar("SELECT COUNT(*) FROM o1_thing")
    assert len(captured) == 3
    assert "INSERT INTO o1_thing" in captured.sql[0]
    assert captured[2].params is None
    assert all(q.duration >= 0 for q in captured)
    assert "1. INSERT" in str(captured)


async def test_capture_queries_async(connection: DatabaseWrapper) -> None:
    with capture_queries() as captured:
        await connection.aexecute(sa.insert(things).values(id=1))
        await connection.ascalar(sa.select(things.c.id))
    assert len(captured) == 2


def test_assert_num_queries(connection: DatabaseWrapper) -> None:
    with assert_num_queries(1):
        connection.execute(sa.select(things.c.id))
    with (
        pytest.raises(AssertionError, match=r"2 queries executed, 1 expected\n.*\n1\. SELECT"),
        assert_num_queries(1),
    ):
        connection.execute(sa.select(things.c.id))
        connection.execute(sa.select(things.c.id))


def test_debug_log(connection: DatabaseWrapper, caplog: pytest.LogCaptureFixture) -> None:
    connection.debug_log = True
    try:
        with caplog.at_level(logging.DEBUG, logger="djanco.db"):
            connection.execute(sa.select(things.c.id).where(things.c.id == 42))
    finally:
        connection.debug_log = False
    (record,) = [r for r in caplog.records if r.name == "djanco.db"]
    assert "SELECT o1_thing.id" in record.getMessage()
    assert "ms)" in record.getMessage()
    assert record.alias == "default"  # type: ignore[attr-defined]
