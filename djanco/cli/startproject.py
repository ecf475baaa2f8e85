"""``djanco startproject NAME [DIR]``: a runnable project with settings, URLs, a view and tests."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

import djanco
from djanco.cli._console import console
from djanco.cli._scaffold import render_tree, scaffold_root, target_directory, validate_name
from djanco.conf import DEV_SECRET_KEY_PREFIX


def startproject(
    name: Annotated[str, typer.Argument(help="Project name; also its Python package name.")],
    directory: Annotated[
        Path | None,
        typer.Argument(help="Where to create it (default: ./NAME); created if missing."),
    ] = None,
) -> None:
    """Create a new Djanco project."""
    validate_name(name, "project")
    target = target_directory(name, directory)
    context = {
        "project_name": name,
        "secret_key": DEV_SECRET_KEY_PREFIX + secrets.token_urlsafe(40),
        "djanco_version": djanco.__version__,
    }
    render_tree(scaffold_root("project"), target, context)
    shown = name if directory is None else str(directory)
    console.print(f"Created project [bold]{name}[/] in {escape(str(target))}")
    cd = "" if target == Path.cwd().resolve() else f"cd {escape(shown)} && "
    console.print(f"Next:  {cd}djanco check && djanco runserver")
