"""Two databases side by side: "default" and "other" hold separate data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper
from djanco.db.transaction import atomic

metadata = sa.MetaData()
rows = sa.Table("o1_multi", metadata, sa.Column("id", sa.Integer, primary_key=True))

pytestmark = pytest.mark.tables(rows)


def test_aliases_are_separate_databases(
    connection: DatabaseWrapper, other_connection: DatabaseWrapper
) -> None:
    assert other_connection.alias == "other"
    assert other_connection.vendor == connection.vendor
    connection.execute(sa.insert(rows).values(id=1))
    with atomic(using="other"):
        other_connection.execute(sa.insert(rows).values(id=2))
    assert connection.fetchall(sa.select(rows.c.id)) == [(1,)]
    assert other_connection.fetchall(sa.select(rows.c.id)) == [(2,)]


async def test_async_aliases_are_separate(
    connection: DatabaseWrapper, other_connection: DatabaseWrapper
) -> None:
    await other_connection.aexecute(sa.insert(rows).values(id=5))
    async with atomic(using="other"):
        await other_connection.aexecute(sa.insert(rows).values(id=6))
    assert await connection.afetchall(sa.select(rows.c.id)) == []
    assert len(await other_connection.afetchall(sa.select(rows.c.id))) == 2
