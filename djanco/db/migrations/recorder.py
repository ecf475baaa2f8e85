"""``MigrationRecorder``: the ``djanco_migrations`` table of applied migrations."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseWrapper

TABLE_NAME = "djanco_migrations"

_metadata = sa.MetaData()
table = sa.Table(
    TABLE_NAME,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("app", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("applied", sa.DateTime, nullable=False),
)


class MigrationRecorder:
    def __init__(self, connection: DatabaseWrapper) -> None:
        self.connection = connection

    def has_table(self) -> bool:
        return table_exists(self.connection, TABLE_NAME)

    def ensure_table(self) -> None:
        if not self.has_table():
            self.connection.execute(sa.schema.CreateTable(table, if_not_exists=True))

    def applied(self) -> set[tuple[str, str]]:
        if not self.has_table():
            return set()
        rows = self.connection.fetchall(sa.select(table.c.app, table.c.name))
        return {(str(app), str(name)) for app, name in rows}

    def record_applied(self, app: str, name: str) -> None:
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        self.connection.execute(sa.insert(table).values(app=app, name=name, applied=now))

    def record_unapplied(self, app: str, name: str) -> None:
        self.connection.execute(sa.delete(table).where(table.c.app == app, table.c.name == name))

    def flush(self) -> None:
        self.connection.execute(sa.delete(table))


def table_exists(connection: DatabaseWrapper, name: str) -> bool:
    """Whether the table exists, asked on the current connection (so inside a transaction
    the answer includes tables created by it)."""
    return bool(connection.fetchall(connection.ops.table_exists_sql(), [name]))
