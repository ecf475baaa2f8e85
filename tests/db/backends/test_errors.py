"""Driver errors arrive as djanco.db errors with Django's names, on every backend."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from djanco.db import (
    DatabaseWrapper,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    transaction,
)
from djanco.db.utils import translate_error

metadata = sa.MetaData()
parents = sa.Table(
    "o1_parent",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(5), nullable=False, unique=True),
)
children = sa.Table(
    "o1_child",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("o1_parent.id"), nullable=False),
)

pytestmark = pytest.mark.tables(metadata)


def test_unique_violation(connection: DatabaseWrapper) -> None:
    connection.execute(sa.insert(parents).values(code="a"))
    with pytest.raises(IntegrityError) as info:
        connection.execute(sa.insert(parents).values(code="a"))
    assert isinstance(info.value, Error)
    assert type(info.value.__cause__).__module__.split(".")[0] in ("sqlite3", "psycopg", "pymysql")


def test_not_null_violation(connection: DatabaseWrapper) -> None:
    with pytest.raises(IntegrityError):
        connection.execute(sa.insert(parents).values(code=None))


def test_foreign_key_enforced(connection: DatabaseWrapper) -> None:
    # SQLite only checks foreign keys when the connection turns them on: Djanco always does.
    with pytest.raises(IntegrityError):
        connection.execute(sa.insert(children).values(parent_id=12345))


def test_too_long_value(connection: DatabaseWrapper) -> None:
    statement = sa.insert(parents).values(code="much too long")
    if connection.vendor == "sqlite":
        connection.execute(statement)  # SQLite does not enforce VARCHAR lengths
        return
    with pytest.raises(DataError):
        connection.execute(statement)


async def test_async_errors_wrapped(connection: DatabaseWrapper) -> None:
    await connection.aexecute(sa.insert(parents).values(code="a"))
    with pytest.raises(IntegrityError):
        async with transaction.atomic():
            await connection.aexecute(sa.insert(parents).values(code="a"))
    with pytest.raises(IntegrityError):
        async with transaction.atomic():
            await connection.aexecute(sa.insert(children).values(parent_id=999))
    assert await connection.ascalar(sa.select(sa.func.count()).select_from(parents)) == 1


def test_translate_error_leaves_other_exceptions_alone() -> None:
    assert translate_error(ValueError("x")) is None
    assert translate_error(LookupError("x")) is None


def test_a_connection_left_mid_operation_is_an_interface_error() -> None:
    # What asyncpg raises when a pooled connection was cut by a database restart mid-operation:
    # an InterfaceError, so the handler answers 503 and the pool drops the connection.
    asyncpg = pytest.importorskip("asyncpg")
    broken = asyncpg.exceptions.InternalClientError("cannot switch to state 12")
    assert isinstance(translate_error(broken), InterfaceError)
