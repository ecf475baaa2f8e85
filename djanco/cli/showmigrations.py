"""``djanco showmigrations [APP...]``: every migration, [X] when applied."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from djanco.cli._console import console
from djanco.cli._migrations import check_app_label, connection, migration_errors
from djanco.cli._project import load_project


def showmigrations(
    app_labels: Annotated[
        list[str] | None,
        typer.Argument(metavar="APP_LABEL", help="Only these apps (default: all)."),
    ] = None,
    database: Annotated[str, typer.Option("--database", help="The database alias.")] = "default",
) -> None:
    """List the migrations of each app and whether they are applied."""
    from djanco.apps import apps
    from djanco.db.migrations.loader import MigrationLoader

    load_project()
    labels = list(app_labels or [])
    for label in labels:
        check_app_label(label)
    with migration_errors():
        loader = MigrationLoader(connection(database))
        for config in apps.get_app_configs():
            label = config.label
            if labels and label not in labels:
                continue
            console.print(f"[bold]{escape(label)}[/]")
            names = sorted(name for app, name in loader.disk if app == label)
            if not names:
                console.print(" (no migrations)")
            for name in names:
                mark = "[green][X][/]" if (label, name) in loader.applied else "[ ]"
                console.print(f" {mark} {escape(name)}", markup=True)
