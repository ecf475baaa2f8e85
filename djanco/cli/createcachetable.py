"""``djanco createcachetable``: the tables of the database caches in CACHES."""

from __future__ import annotations

from typing import Annotated

import typer

from djanco.cli._console import CommandError, console
from djanco.cli._migrations import connection
from djanco.cli._project import load_project
from djanco.cli.options import Database
from djanco.conf import settings
from djanco.utils.module_loading import import_string


def createcachetable(
    table_names: Annotated[
        list[str] | None,
        typer.Argument(metavar="[TABLE]...", help="Tables to create (default: those of CACHES)."),
    ] = None,
    database: Database = "default",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the SQL instead of running it.")
    ] = False,
) -> None:
    """Create the tables the database cache backend needs (existing ones are left alone)."""
    # Imported here, as the ORM commands do, so that `djanco --help` never loads SQLAlchemy.
    from djanco.db.cache import create_cache_table

    load_project()
    names = table_names or _database_cache_tables()
    if not names:
        console.print("No database cache in CACHES: nothing to create.")
        return
    connection(database)  # an unknown alias is an error naming it
    for name in names:
        sql = create_cache_table(name, database, dry_run=dry_run)
        if dry_run:
            for statement in sql:
                console.print(f"{statement};", markup=False, highlight=False)
        elif sql:
            console.print(f"Created cache table {name!r}.", markup=False)
        else:
            console.print(f"Cache table {name!r} already exists.", markup=False)


def _database_cache_tables() -> list[str]:
    from djanco.db.cache import DatabaseCache

    names: list[str] = []
    for alias, params in settings.CACHES.items():
        backend = import_string(params.BACKEND)
        if isinstance(backend, type) and issubclass(backend, DatabaseCache):
            if not isinstance(params.LOCATION, str) or not params.LOCATION:
                raise CommandError(f"CACHES[{alias!r}] LOCATION must name the cache's table.")
            names.append(params.LOCATION)
    return names
