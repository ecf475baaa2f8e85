"""``SchemaEditor``: DDL through Alembic's ``Operations`` API.

Alembic runs in its offline ("as SQL") mode with the connection's own dialect: each statement
it produces is executed at once through the Djanco connection, so DDL, data migrations and the
recorder share the one transaction of ``atomic()``; with ``collect_sql=True`` the statements
are only collected (``sqlmigrate``). SQLite tables that need rebuilding go through Alembic's
batch mode, copying from the historical table, so rows, foreign keys and indexes survive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.schema import CreateIndex, CreateTable, DropIndex, DropTable

if TYPE_CHECKING:
    from djanco.db.backends.base import DatabaseWrapper


class _Sink:
    """The file-like object Alembic writes each statement to."""

    def __init__(self, editor: SchemaEditor) -> None:
        self.editor = editor

    def write(self, text: str) -> None:
        sql = text.strip()
        if sql.endswith(";"):
            sql = sql[:-1].rstrip()
        if sql:
            self.editor.execute(sql)

    def flush(self) -> None:
        pass


class SchemaEditor:
    """Schema changes on one connection, executed or collected."""

    def __init__(self, connection: DatabaseWrapper, *, collect_sql: bool = False) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        self.collect_sql = collect_sql
        self.collected: list[str] = []
        context = MigrationContext.configure(
            dialect=connection.dialect,
            opts={"as_sql": True, "output_buffer": _Sink(self), "transactional_ddl": False},
        )
        self.ops = Operations(context)

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        if self.collect_sql:
            self.collected.append(sql if sql.endswith(";") else sql + ";")
        elif params is None:
            self.connection.execute(sql)
        else:
            self.connection.execute(sql, params)

    # --- tables -------------------------------------------------------------------------------

    def create_table(self, table: sa.Table) -> None:
        self.ops.execute(CreateTable(table))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            self.ops.execute(CreateIndex(index))

    def drop_table(self, table: sa.Table) -> None:
        self.ops.execute(DropTable(table))

    def rename_table(self, old: str, new: str) -> None:
        if old != new:
            self.ops.rename_table(old, new)

    # --- columns ------------------------------------------------------------------------------

    def add_column(self, old: sa.Table, new: sa.Table, column_name: str, default: object) -> None:
        column = new.c[column_name]
        added = _detached(column)
        needs_default = not column.nullable and default is not None
        if needs_default:
            added.server_default = sa.DefaultClause(_literal(default, column.type, self))
        with self._batch(old) as batch:
            batch.add_column(added)
        if needs_default and self.vendor != "sqlite":
            self.ops.alter_column(
                new.name,
                column_name,
                server_default=None,
                existing_type=column.type,
                existing_nullable=False,
            )
        self.sync_indexes(old, new)

    def drop_column(self, old: sa.Table, new: sa.Table, column_name: str) -> None:
        column = old.c[column_name]
        if self.vendor == "mysql" and column.foreign_keys:
            for name in self._mysql_foreign_keys(old.name, column_name):
                self.ops.drop_constraint(name, old.name, type_="foreignkey")
        with self._batch(old) as batch:
            batch.drop_column(column_name)
        self.sync_indexes(old, new, skip_columns={column_name})

    def alter_column(
        self, old: sa.Table, new: sa.Table, old_name: str, new_name: str | None = None
    ) -> None:
        before = old.c[old_name]
        after = new.c[new_name or old_name]
        changes: dict[str, Any] = {}
        if new_name and new_name != old_name:
            changes["new_column_name"] = new_name
        if _type_sql(before.type, self) != _type_sql(after.type, self):
            changes["type_"] = after.type
        if before.nullable != after.nullable:
            changes["nullable"] = after.nullable
        if changes:
            with self._batch(old) as batch:
                batch.alter_column(
                    old_name,
                    existing_type=before.type,
                    existing_nullable=before.nullable,
                    existing_server_default=False,
                    **changes,
                )
        self.sync_indexes(old, new, renamed={old_name: new_name} if new_name else None)

    # --- indexes ------------------------------------------------------------------------------

    def sync_indexes(
        self,
        old: sa.Table,
        new: sa.Table,
        *,
        skip_columns: set[str] | None = None,
        renamed: dict[str, str] | None = None,
    ) -> None:
        """Drop the indexes only ``old`` has and create those only ``new`` has (by name)."""
        before = {str(i.name): i for i in old.indexes}
        after = {str(i.name): i for i in new.indexes}
        for name in sorted(before.keys() - after.keys()):
            index = before[name]
            columns = {c.name for c in index.columns}
            if skip_columns and columns <= skip_columns:
                continue  # went with its column
            self.ops.execute(DropIndex(_index_on(index, new.name, renamed)))
        for name in sorted(after.keys() - before.keys()):
            self.ops.execute(CreateIndex(after[name]))

    # --- helpers ------------------------------------------------------------------------------

    def _batch(self, table: sa.Table) -> Any:
        return self.ops.batch_alter_table(table.name, copy_from=table, recreate="auto")

    def _mysql_foreign_keys(self, table: str, column: str) -> list[str]:
        if self.collect_sql:
            return [f"{table}_ibfk_?"]  # the server names it; shown as a placeholder
        rows = self.connection.fetchall(
            "SELECT CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = %s "
            "AND REFERENCED_TABLE_NAME IS NOT NULL",
            [table, column],
        )
        return [str(row[0]) for row in rows]


def _detached(column: sa.Column[Any]) -> sa.Column[Any]:
    copy: sa.Column[Any] = column._copy()
    copy.index = None
    copy.unique = None if not column.unique else True
    return copy


def _type_sql(type_: sa.types.TypeEngine[Any], editor: SchemaEditor) -> str:
    return str(type_.compile(dialect=editor.connection.dialect))


def _literal(value: object, type_: sa.types.TypeEngine[Any], editor: SchemaEditor) -> Any:
    literal = sa.literal(value, type_)
    return sa.text(
        str(
            literal.compile(
                dialect=editor.connection.dialect, compile_kwargs={"literal_binds": True}
            )
        )
    )


def _index_on(index: sa.Index, table_name: str, renamed: dict[str, str] | None) -> sa.Index:
    """A copy of ``index`` usable to DROP it from the current table (MySQL names the table)."""
    metadata = sa.MetaData()
    columns = [sa.Column((renamed or {}).get(c.name, c.name), c.type) for c in index.columns]
    table = sa.Table(table_name, metadata, *columns)
    return sa.Index(index.name, *[table.c[c.name] for c in columns])
