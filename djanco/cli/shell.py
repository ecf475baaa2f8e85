"""``djanco shell``: a Python prompt (or code from ``-c`` or stdin) with the project loaded, its
models imported, and top-level ``await``."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from djanco.apps import apps
from djanco.cli._async_repl import AwaitingConsole, run_statements
from djanco.cli._project import load_project
from djanco.conf import settings

# The ORM is imported inside the functions that use it, as command modules do, so that
# `djanco --help` and `djanco startproject` stay fast (SQLAlchemy is not loaded for them).


def shell(
    command: Annotated[
        str | None,
        typer.Option("--command", "-c", help="Run this Python code instead of a prompt."),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Use the standard REPL even if IPython is installed.")
    ] = False,
    no_imports: Annotated[
        bool, typer.Option("--no-imports", help="Do not import settings, apps and the models.")
    ] = False,
    verbosity: Annotated[
        int,
        typer.Option(
            "--verbosity", "-v", min=0, max=3, help="0: quiet; 2: list the automatic imports."
        ),
    ] = 1,
) -> None:
    """Open a Python shell (IPython if installed) with the project loaded; `await` works."""
    project = load_project()
    namespace: dict[str, object] = {"__name__": "__main__"}
    if not no_imports:
        imports = _automatic_imports()
        namespace.update({name: value for _, name, value in imports})
        if verbosity >= 1:
            print(_imports_report(imports, list_them=verbosity >= 2), end="\n\n")
    if command is None and _stdin_is_interactive() and not plain and _has_ipython():
        _ipython(namespace)
        return
    from djanco.db import connections

    with asyncio.Runner() as runner:
        try:
            if command is not None:
                run_statements(command, "<djanco shell -c>", namespace, runner)
            elif not _stdin_is_interactive():
                # As Django's shell does: code piped in (`djanco shell < script.py`) runs as
                # a script, with no prompts in the output, and an exception in it is an error.
                run_statements(sys.stdin.read(), "<stdin>", namespace, runner)
            else:
                banner = f"Djanco shell: settings {project.settings_module!r}; `await` works here."
                AwaitingConsole(namespace, runner).interact(banner=banner, exitmsg="")
        finally:
            runner.run(connections.aclose_all())


def _automatic_imports() -> list[tuple[str, str, object]]:
    """``(module, name, object)`` for settings, apps and every installed app's models; a model
    of an app earlier in INSTALLED_APPS wins a name clash, as in Django."""
    from djanco.db.migrations.project import installed_models

    imports: list[tuple[str, str, object]] = [
        ("djanco.apps", "apps", apps),
        ("djanco.conf", "settings", settings),
    ]
    taken = {"apps", "settings"}
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    models = sorted(
        (model for model in installed_models() if not model._meta.auto_created),  # M2M tables
        key=lambda model: order[model._meta.app_label],
    )
    for model in models:
        if model.__name__ not in taken:
            taken.add(model.__name__)
            imports.append((model.__module__, model.__name__, model))
    return imports


def _imports_report(imports: list[tuple[str, str, object]], *, list_them: bool) -> str:
    """Django's line: ``N objects imported automatically``, with the imports at ``-v 2``."""
    count = f"{len(imports)} object{'' if len(imports) == 1 else 's'} imported automatically"
    if not list_them:
        return f"{count} (use -v 2 for details)."
    by_module: dict[str, list[str]] = {}
    for module, name, _ in imports:
        by_module.setdefault(module, []).append(name)
    lines = [
        f"  from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    ]
    return f"{count}:\n\n" + "\n".join(lines)


def _has_ipython() -> bool:
    try:
        import IPython  # noqa: F401
    except ImportError:
        return False
    return True


def _ipython(namespace: dict[str, object]) -> None:
    """IPython's own prompt: its autoawait runs `await` on IPython's event loop."""
    from IPython import start_ipython
    from IPython.core.async_helpers import get_asyncio_loop

    from djanco.db import connections

    start_ipython(argv=[], user_ns=namespace)
    loop = get_asyncio_loop()  # type: ignore[no-untyped-call]  # IPython does not annotate it
    loop.run_until_complete(connections.aclose_all())


def _stdin_is_interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdin
        return False
