"""``djanco makemigrations``: write migrations for model changes (no database needed)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from djanco.cli._console import CommandError, console, err_console
from djanco.cli._migrations import check_app_label, migration_errors
from djanco.cli._project import load_project
from djanco.cli.options import AppLabels, NoInput

if TYPE_CHECKING:
    from djanco.db.migrations.loader import MigrationLoader


def makemigrations(
    app_labels: AppLabels = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="Name the migration (NNNN_NAME.py).")
    ] = None,
    empty: Annotated[
        bool, typer.Option("--empty", help="Write an empty migration (for data migrations).")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit with status 1 if changes lack migrations."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written, write nothing.")
    ] = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Merge conflicting migrations (two leaves in an app).")
    ] = False,
    no_input: NoInput = False,
) -> None:
    """Create migrations for the changes to your models."""
    from djanco.db.migrations.autodetector import MigrationAutodetector, make_migration
    from djanco.db.migrations.loader import MigrationLoader
    from djanco.db.migrations.migration import migration_number
    from djanco.db.migrations.project import current_state, migrations_directory
    from djanco.db.migrations.questioner import InteractiveQuestioner, NonInteractiveQuestioner
    from djanco.db.migrations.writer import MigrationWriter

    load_project()
    labels = list(app_labels or [])
    for label in labels:
        check_app_label(label)
    if name is not None and not name.isidentifier():
        raise CommandError(f"--name must be a valid Python identifier, not {name!r}.")
    with migration_errors():
        loader = MigrationLoader()
        if merge:
            _merge(loader, labels, name, dry_run=dry_run)
            return
        loader.check_conflicts()
        interactive = not no_input and sys.stdin.isatty()
        questioner = InteractiveQuestioner() if interactive else NonInteractiveQuestioner()
        if empty:
            if not labels:
                raise CommandError("--empty needs an app label: djanco makemigrations --empty APP")
            changes = {}
            for label in labels:
                leaf = loader.graph.leaf_nodes(label)
                number = (migration_number(leaf[0][1]) or 0) + 1 if leaf else 1
                changes[label] = [
                    make_migration(label, f"{number:04d}_{name or 'custom'}", [], list(leaf[:1]))
                ]
        else:
            detector = MigrationAutodetector(loader.project_state(), current_state(), questioner)
            changes = detector.changes(loader.graph, set(labels) if labels else None, name)
        for warning in questioner.warnings:
            err_console.print(f"[yellow]Warning:[/] {escape(warning)}")
        if not changes:
            scope = f" in {', '.join(labels)}" if labels else ""
            console.print(f"No changes detected{scope}")
            return
        if check:
            for app, migrations in changes.items():
                for migration in migrations:
                    console.print(f"Missing migration for {app}: {migration.name}")
                    for op in migration.operations:
                        console.print(f"  - {escape(op.describe())}")
            raise CommandError("Your models have changes that are not reflected in a migration.")
        for app, migrations in changes.items():
            console.print(f"Migrations for [bold]{app}[/]:")
            for migration in migrations:
                writer = MigrationWriter(migration)
                text = writer.as_string()
                if dry_run:
                    console.print(f"  {migration.name} (dry run, not written)")
                else:
                    path = migrations_directory(app) / writer.filename
                    path.write_text(text, encoding="utf-8")
                    console.print(f"  {escape(str(path))}")
                for op in migration.operations:
                    console.print(f"    - {escape(op.describe())}")


def _merge(loader: MigrationLoader, labels: list[str], name: str | None, *, dry_run: bool) -> None:
    from djanco.db.migrations.merge import merge_migrations
    from djanco.db.migrations.project import migrations_directory
    from djanco.db.migrations.writer import MigrationWriter

    changes, warnings = merge_migrations(loader, set(labels) if labels else None, name)
    for warning in warnings:
        err_console.print(f"[yellow]Warning:[/] {escape(warning)}")
    if not changes:
        console.print("No conflicts detected to merge.")
        return
    for app, migrations in changes.items():
        console.print(f"Merging [bold]{app}[/]:")
        for migration in migrations:
            parents = ", ".join(name for _, name in migration.dependencies)
            writer = MigrationWriter(migration)
            if dry_run:
                console.print(f"  {migration.name} (dry run, not written), after {parents}")
            else:
                path = migrations_directory(app) / writer.filename
                path.write_text(writer.as_string(), encoding="utf-8")
                console.print(f"  {escape(str(path))}, after {escape(parents)}")
