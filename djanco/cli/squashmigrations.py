"""``djanco squashmigrations APP [START] END``: one migration for a run of migrations."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from djanco.cli._console import CommandError, console, err_console
from djanco.cli._migrations import check_app_label, migration_errors
from djanco.cli._project import load_project
from djanco.cli.options import NoInput


def squashmigrations(
    app_label: Annotated[str, typer.Argument(metavar="APP", help="The app.")],
    names: Annotated[
        list[str],
        typer.Argument(metavar="[START] END", help="Squash up to END (from START, or the first)."),
    ],
    squashed_name: Annotated[
        str | None,
        typer.Option(
            "--squashed-name",
            help="Name it NNNN_NAME.py (NNNN: the first squashed migration's number).",
        ),
    ] = None,
    no_optimize: Annotated[
        bool, typer.Option("--no-optimize", help="Keep every operation as it is.")
    ] = False,
    no_input: NoInput = False,
) -> None:
    """Squash an app's migrations (up to END, from START or the first) into one."""
    from djanco.db.migrations.loader import MigrationLoader
    from djanco.db.migrations.project import migrations_directory
    from djanco.db.migrations.squash import squash_migrations
    from djanco.db.migrations.writer import MigrationWriter

    if len(names) > 2:
        raise CommandError("Give at most two migrations: squashmigrations APP [START] END.")
    start, end = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    load_project()
    check_app_label(app_label)
    if squashed_name is not None and not squashed_name.isidentifier():
        raise CommandError(f"--squashed-name must be a Python identifier, not {squashed_name!r}.")
    with migration_errors():
        loader = MigrationLoader()
        squashed = squash_migrations(
            loader,
            app_label,
            end,
            start,
            name=squashed_name,
            optimize_operations=not no_optimize,
        )
    console.print(f"Will squash the following migrations of [bold]{escape(app_label)}[/]:")
    for _, name in squashed.replaced:
        console.print(f" - {escape(name)}")
    if not no_input and sys.stdin.isatty() and not _confirm():
        console.print("Nothing written.")
        return
    if no_optimize:
        console.print("(Skipping optimisation.)")
    elif squashed.operations_after < squashed.operations_before:
        console.print(
            f"Optimised from {squashed.operations_before} operations to "
            f"{squashed.operations_after} operations."
        )
    else:
        console.print("No optimisations possible.")
    writer = MigrationWriter(squashed.migration)
    with migration_errors():
        text = writer.as_string()
    path = migrations_directory(app_label) / writer.filename
    path.write_text(text, encoding="utf-8")
    console.print(f"Created new squashed migration {escape(str(path))}")
    console.print(
        "  You should commit this migration but leave the old ones in place; the new migration\n"
        "  will be used for new installs. Once you are sure all instances of the codebase have\n"
        "  applied the migrations you squashed, you can delete them (and the `replaces` list)."
    )
    for warning in writer.warnings:
        err_console.print(f"[yellow]Manual porting required:[/] {escape(warning)}")


def _confirm() -> bool:
    answer = typer.prompt("Do you wish to proceed? [y/N]", default="n", show_default=False)
    return answer.strip().lower() in ("y", "yes")
