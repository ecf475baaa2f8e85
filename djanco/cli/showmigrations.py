"""``djanco showmigrations [APP...]``: every migration, [X] when applied (a squashed one
in place of those it replaces, as the loader uses it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from djanco.cli._console import console
from djanco.cli._migrations import check_app_label, connection, migration_errors
from djanco.cli._project import load_project
from djanco.cli.options import AppLabels, Database

if TYPE_CHECKING:
    from djanco.db.migrations.loader import MigrationLoader


def showmigrations(
    app_labels: AppLabels = None,
    database: Database = "default",
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
            names = sorted(name for app, name in loader.graph.nodes if app == label)
            if not names:
                console.print(" (no migrations)")
            for name in names:
                console.print(_line(loader, (label, name)), markup=True)


def _line(loader: MigrationLoader, key: tuple[str, str]) -> str:
    """`` [X] name``; a squashed migration says how many it replaces, and ``[-]`` when its
    replaced migrations are applied but it is not recorded yet."""
    migration = loader.graph.nodes[key]
    title = escape(key[1])
    if migration.replaces:
        title += f" ({len(migration.replaces)} squashed migrations)"
    if key not in loader.applied:
        return f" [ ] {title}"
    if key in loader.recorded:
        return f" [green][X][/] {title}"
    return f" [yellow][-][/] {title} Run 'djanco migrate' to finish recording."
