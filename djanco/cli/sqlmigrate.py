"""``djanco sqlmigrate APP NAME``: the SQL a migration runs on the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from djanco.cli._console import console
from djanco.cli._migrations import check_app_label, connection, migration_errors
from djanco.cli._project import load_project
from djanco.cli.options import Database


def sqlmigrate(
    app_label: Annotated[str, typer.Argument(metavar="APP", help="The app.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="The migration (or a prefix).")],
    backwards: Annotated[
        bool, typer.Option("--backwards", help="The SQL that unapplies it.")
    ] = False,
    database: Database = "default",
) -> None:
    """Print the SQL statements of a migration."""
    from djanco.db.migrations.executor import MigrationExecutor
    from djanco.db.migrations.loader import MigrationLoader

    load_project()
    check_app_label(app_label)
    with migration_errors():
        db = connection(database)
        loader = MigrationLoader(db)
        key = loader.resolve(app_label, name)
        if key not in loader.graph.nodes:  # replaced by a squashed migration
            loader = MigrationLoader(db, replace_migrations=False)
        executor = MigrationExecutor(db, loader)
        migration = executor.loader.graph.nodes[key]
        for statement in executor.collect_sql(migration, backwards=backwards):
            console.print(statement, markup=False, highlight=False)
