"""``djanco shell``: an interactive Python prompt with settings and apps loaded."""

from __future__ import annotations

import code
import sys
from typing import Annotated

import typer

from djanco.apps import apps
from djanco.cli._project import load_project
from djanco.conf import settings


def shell(
    command: Annotated[
        str | None,
        typer.Option("--command", "-c", help="Run this Python code instead of a prompt."),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Use the standard REPL even if IPython is installed.")
    ] = False,
) -> None:
    """Open a Python shell (IPython if installed) with the project loaded."""
    project = load_project()
    namespace: dict[str, object] = {"settings": settings, "apps": apps, "__name__": "__main__"}
    if command is not None:
        exec(compile(command, "<djanco shell -c>", "exec"), namespace)
        return
    if not _stdin_is_interactive():
        # As Django's shell does: code piped in (`djanco shell < script.py`) runs as a
        # script, with no prompts in the output, and an exception in it is an error.
        exec(compile(sys.stdin.read(), "<stdin>", "exec"), namespace)
        return
    banner = f"Djanco shell: settings {project.settings_module!r}; `settings` and `apps` loaded."
    if not plain:
        try:
            from IPython import start_ipython
        except ImportError:
            pass
        else:
            print(banner)
            start_ipython(argv=[], user_ns=namespace)
            return
    code.interact(banner=banner, local=namespace, exitmsg="")


def _stdin_is_interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdin
        return False
