"""``djanco test [PYTEST ARGS…]``: the project's tests, run by pytest with the Djanco plugin."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import typer

from djanco.cli._console import CommandError
from djanco.cli._project import has_project, load_project


def test(ctx: typer.Context) -> None:
    """Run the project's tests with pytest; extra arguments are passed to pytest."""
    if importlib.util.find_spec("pytest") is None:
        raise CommandError(
            "pytest is not installed; install it with `pip install pytest pytest-asyncio`."
        )
    if has_project():
        load_project()  # fail now, with one clear line, if the settings are broken
    # A fresh interpreter: in this one Djanco is already imported, which would stop pytest
    # from rewriting asserts in it and leak this process's setup into the test run.
    completed = subprocess.run([sys.executable, "-m", "pytest", *ctx.args], check=False)
    raise typer.Exit(completed.returncode)
