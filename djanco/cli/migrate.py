"""``djanco migrate [APP] [TARGET]``: apply or roll back migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from djanco.cli._console import console
from djanco.cli._migrate_progress import MigrationProgress
from djanco.cli._migrations import check_app_label, connection, migration_errors
from djanco.cli._project import load_project
from djanco.cli.options import Database, NoInput

if TYPE_CHECKING:
    from djanco.db.migrations.executor import Plan


def migrate(
    app_label: Annotated[
        str | None, typer.Argument(metavar="APP", help="Only this app (default: all).")
    ] = None,
    target: Annotated[
        str | None,
        typer.Argument(metavar="TARGET", help="Migrate to this migration (or 'zero')."),
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", help="Show what would run, run nothing.")] = False,
    fake: Annotated[
        bool, typer.Option("--fake", help="Record as (un)applied without running them.")
    ] = False,
    database: Database = "default",
    no_input: NoInput = False,  # accepted for scripts written for Django; migrate never asks
) -> None:
    """Bring the database schema in line with the migrations."""
    from djanco.db.migrations.executor import MigrationExecutor

    load_project()
    with migration_errors():
        executor = MigrationExecutor(connection(database))
        loader = executor.loader
        loader.check_conflicts()
        if app_label is not None:
            check_app_label(app_label)
            if app_label in loader.unmigrated_apps or not loader.graph.leaf_nodes(app_label):
                from djanco.cli._console import CommandError

                raise CommandError(f"App {app_label!r} has no migrations.")
        if app_label is None:
            targets: list[tuple[str, str | None]] = list(executor.leaf_targets())
        elif target is None:
            targets = list(executor.leaf_targets(app_label))
        elif target == "zero":
            targets = [(app_label, None)]
        else:
            targets = [loader.resolve(app_label, target)]
        steps = executor.migration_plan(targets)
        if plan:
            _show_plan(steps)
            return
        _show_operations(app_label, target, targets, loader.graph.app_labels())
        console.print("[bold]Running migrations:[/]")
        if not steps:
            executor.check_replacements()
            console.print("  No migrations to apply.")
            return
        with MigrationProgress(console, len(steps), fake=fake) as progress:
            executor.migrate(targets, fake=fake, progress=progress)


def _show_operations(
    app_label: str | None,
    target: str | None,
    targets: list[tuple[str, str | None]],
    app_labels: list[str],
) -> None:
    """Django's summary of what ``migrate`` was asked to do."""
    console.print("[bold]Operations to perform:[/]")
    if app_label is None or target is None:
        apps = [app_label] if app_label is not None else app_labels
        console.print(f"  Apply all migrations: {escape(', '.join(apps) or '(none)')}")
    elif target == "zero":
        console.print(f"  Unapply all migrations: {escape(app_label)}")
    else:
        console.print(
            f"  Target specific migration: {escape(str(targets[0][1]))}, from {app_label}"
        )


def _show_plan(steps: Plan) -> None:
    if not steps:
        console.print("Planned operations:\n  No planned migration operations.")
        return
    console.print("Planned operations:")
    for migration, backwards in steps:
        verb = "Undo" if backwards else "Apply"
        console.print(f"{migration.app_label}.{migration.name} ({verb})")
        operations = reversed(migration.operations) if backwards else migration.operations
        for op in operations:
            if backwards and not op.reversible:
                mark = " [red]IRREVERSIBLE[/]"
            elif (not backwards and op.destructive) or (backwards and op.destroys_data_backwards()):
                mark = " [red]DESTRUCTIVE[/]"
            else:
                mark = ""
            prefix = "Undo " if backwards else ""
            console.print(f"    {escape(prefix + op.describe())}{mark}")
