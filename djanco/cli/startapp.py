"""``djanco startapp NAME [DIR]``: a new app with views, URLs, templates, migrations and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from djanco.cli._console import console
from djanco.cli._scaffold import render_tree, scaffold_root, target_directory, validate_name


def startapp(
    name: Annotated[str, typer.Argument(help="App name; also its Python package name.")],
    directory: Annotated[
        Path | None,
        typer.Argument(help="The app's directory (default: ./NAME); created if missing."),
    ] = None,
) -> None:
    """Create a new app in the current project."""
    validate_name(name, "app")
    target = target_directory(name, directory)
    context = {
        "app_name": name,
        # Django's rule: "my_blog" → "MyBlogConfig".
        "camel_case_app_name": name.title().replace("_", ""),
    }
    render_tree(scaffold_root("app"), target, context)
    console.print(f"Created app [bold]{name}[/] in {escape(str(target))}")
    console.print(
        f'Next:  add "{name}" to INSTALLED_APPS and '
        f'path("{name}/", include("{name}.urls")) to your URLconf.'
    )
