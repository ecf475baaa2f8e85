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
    from djanco.db.backends import DatabaseWrapper


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
            if self._supported(index):
                self.ops.execute(CreateIndex(index))

    def drop_table(self, table: sa.Table) -> None:
        self.ops.execute(DropTable(table))

    def rename_table(self, old: str, new: str) -> None:
        if old != new:
            self.ops.rename_table(old, new)

    def rename_join_table(self, old: sa.Table, new: sa.Table) -> None:
        """Move a many-to-many join table to ``new``'s name and column names, rows kept."""
        for before, after in zip(old.columns, new.columns, strict=False):
            if before.name != after.name:
                self.ops.alter_column(
                    old.name,
                    before.name,
                    new_column_name=after.name,
                    existing_type=before.type,
                    existing_nullable=before.nullable,
                )
        self.rename_table(old.name, new.name)

    # --- columns ------------------------------------------------------------------------------

    def add_column(self, old: sa.Table, new: sa.Table, column_name: str, default: object) -> None:
        column = new.c[column_name]
        added = _detached(column)
        needs_default = not column.nullable and default is not None
        if needs_default:
            added.server_default = sa.DefaultClause(_literal(default, column.type, self))
        with self._batch(old) as batch:
            batch.add_column(added)
        if needs_default and self.connection.features.can_alter_table_columns:
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
        if column.foreign_keys:
            for name in self._column_foreign_keys(old.name, column_name):
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
        if bool(before.unique) != bool(after.unique):
            self._alter_unique(new, after.name, bool(after.unique))

    def _alter_unique(self, new: sa.Table, column: str, unique: bool) -> None:
        """Add or drop the single-column unique constraint of ``unique=True``."""
        if not self.connection.features.can_alter_table_columns:
            self._rebuild(new)
        elif unique:
            self.ops.create_unique_constraint(f"{new.name}_{column}_key"[:63], new.name, [column])
        else:
            for name in self._unique_constraint_names(new.name, {(column,)}):
                self.ops.drop_constraint(name, new.name, type_="unique")

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
        before = {str(i.name): i for i in old.indexes if self._supported(i)}
        after = {str(i.name): i for i in new.indexes if self._supported(i)}
        for name in sorted(before.keys() - after.keys()):
            index = before[name]
            columns = {c.name for c in index.columns}
            if skip_columns and columns <= skip_columns:
                continue  # went with its column
            self.ops.execute(DropIndex(_index_on(index, new.name, renamed)))
        for name in sorted(after.keys() - before.keys()):
            self.ops.execute(CreateIndex(after[name]))

    # --- constraints --------------------------------------------------------------------------

    def sync_constraints(self, old: sa.Table, new: sa.Table) -> None:
        """Drop the named unique/check constraints only ``old`` has, add those only ``new`` has
        (SQLite rebuilds the table); partial unique constraints are indexes (sync_indexes)."""
        before, after = _named_constraints(old), _named_constraints(new)
        dropped = sorted(before.keys() - after.keys())
        added = sorted(after.keys() - before.keys())
        if dropped or added:
            with self._batch(old) as batch:
                for name in dropped:
                    kind = "check" if isinstance(before[name], sa.CheckConstraint) else "unique"
                    batch.drop_constraint(name, type_=kind)
                for name in added:
                    constraint = after[name]
                    if isinstance(constraint, sa.CheckConstraint):
                        batch.create_check_constraint(name, constraint.sqltext)
                    else:
                        columns = [c.name for c in constraint.columns]  # type: ignore[attr-defined]
                        batch.create_unique_constraint(name, columns)
        self.sync_indexes(old, new)

    def sync_unique_together(self, old: sa.Table, new: sa.Table) -> None:
        """Make the table's unnamed unique constraints (``unique_together``) those of ``new``."""
        before, after = _unique_sets(old), _unique_sets(new)
        if before == after:
            return
        if not self.connection.features.can_alter_table_columns:
            self._rebuild(new)
            return
        names = self._unique_constraint_names(old.name, before - after)
        for name in names:
            self.ops.drop_constraint(name, old.name, type_="unique")
        for columns in sorted(after - before):
            name = f"{new.name}_{'_'.join(columns)}_uniq"[:63]
            self.ops.create_unique_constraint(name, new.name, list(columns))

    def _unique_constraint_names(self, table: str, column_sets: set[tuple[str, ...]]) -> list[str]:
        if not column_sets:
            return []
        if self.collect_sql:
            return [f"{table}_{'_'.join(c)}_?" for c in sorted(column_sets)]  # server-named
        found: list[str] = []
        with self.connection.sa_engine.connect() as conn:
            for item in sa.inspect(conn).get_unique_constraints(table):
                if tuple(sorted(item["column_names"])) in column_sets and item["name"]:
                    found.append(str(item["name"]))
        return found

    # --- helpers ------------------------------------------------------------------------------

    def _supported(self, index: sa.Index) -> bool:
        """Without partial indexes (MySQL/MariaDB) a UniqueConstraint with ``condition=`` is
        left out (as Django does) rather than made a unique index over every row."""
        if self.connection.features.supports_partial_indexes:
            return True
        return all(index.dialect_options[d].get("where") is None for d in ("postgresql", "sqlite"))

    def _batch(self, table: sa.Table) -> Any:
        return self.ops.batch_alter_table(table.name, copy_from=table, recreate="auto")

    def _rebuild(self, table: sa.Table) -> None:
        """Make the table again from its new definition, rows copied."""
        with self.ops.batch_alter_table(table.name, copy_from=table, recreate="always"):
            pass

    def _column_foreign_keys(self, table: str, column: str) -> list[str]:
        """The foreign keys to drop before the column, where the database wants that."""
        sql = self.connection.ops.column_foreign_keys_sql()
        if sql is None:
            return []
        if self.collect_sql:
            return [f"{table}_ibfk_?"]  # the server names it; shown as a placeholder
        return [str(row[0]) for row in self.connection.fetchall(sql, [table, column])]


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


def _named_constraints(table: sa.Table) -> dict[str, sa.Constraint]:
    return {
        str(c.name): c
        for c in table.constraints
        if isinstance(c, sa.UniqueConstraint | sa.CheckConstraint) and isinstance(c.name, str)
    }


def _unique_sets(table: sa.Table) -> set[tuple[str, ...]]:
    return {
        tuple(sorted(c.name for c in constraint.columns))
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint) and not isinstance(constraint.name, str)
    }
