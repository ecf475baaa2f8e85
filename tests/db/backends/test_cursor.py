"""The Django-style raw cursor."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from djanco.db import DatabaseWrapper, IntegrityError
from djanco.db.transaction import atomic

metadata = sa.MetaData()
notes = sa.Table(
    "o1_cursor_note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(50), unique=True),
)

pytestmark = pytest.mark.tables(notes)


def test_cursor_like_django(connection: DatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO o1_cursor_note (id, text) VALUES (%s, %s)",
            [
                (1, "a"),
                (2, "b"),
                (3, "c"),
            ],
        )
        cursor.execute("UPDATE o1_cursor_note SET text = %s WHERE id >= %s", ["z%", 3])
        assert cursor.rowcount == 1
        cursor.execute("SELECT id, text FROM o1_cursor_note ORDER BY id")
        assert cursor.description is not None
        assert [d[0] for d in cursor.description] == ["id", "text"]
        assert cursor.fetchone() == (1, "a")
        assert cursor.fetchmany(1) == [(2, "b")]
        assert list(cursor) == [(3, "z%")]
        assert cursor.fetchone() is None
        assert cursor.fetchall() == []
    with pytest.raises(RuntimeError, match="Call execute"):
        cursor.fetchall()


def test_cursor_errors_and_atomic(connection: DatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO o1_cursor_note (id, text) VALUES (%s, %s)", [1, "a"])
        with pytest.raises(IntegrityError), atomic():
            cursor.execute("INSERT INTO o1_cursor_note (id, text) VALUES (%s, %s)", [2, "a"])
        cursor.execute("SELECT COUNT(*) FROM o1_cursor_note")
        assert cursor.fetchone() == (1,)


async def test_async_cursor(connection: DatabaseWrapper) -> None:
    async with connection.cursor() as cursor:
        await cursor.aexecutemany(
            "INSERT INTO o1_cursor_note (id, text) VALUES (%s, %s)", [(1, "x"), (2, "y")]
        )
        await cursor.aexecute("SELECT text FROM o1_cursor_note WHERE id = %s", [2])
        assert cursor.fetchall() == [("y",)]
