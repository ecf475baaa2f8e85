"""The ``djanco`` command: global options, built-in and app commands, one-line errors."""

from __future__ import annotations

import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import Annotated, NoReturn, TextIO

import click
import typer
from rich.text import Text

from djanco.cli import (
    check,
    createcachetable,
    makemigrations,
    migrate,
    routes,
    runserver,
    serve,
    shell,
    showmigrations,
    sqlmigrate,
    squashmigrations,
    startapp,
    startproject,
    test,
    version,
)
from djanco.cli._console import CommandError, err_console
from djanco.cli._project import has_project
from djanco.conf.discovery import SETTINGS_ENV
from djanco.conf.environ import SettingsWarning
from djanco.core.exceptions import ImproperlyConfigured

_BUILTINS: dict[str, Callable[..., None]] = {
    "startproject": startproject.startproject,
    "startapp": startapp.startapp,
    "runserver": runserver.runserver,
    "serve": serve.serve,
    "check": check.check,
    "shell": shell.shell,
    "routes": routes.routes,
    "makemigrations": makemigrations.makemigrations,
    "migrate": migrate.migrate,
    "showmigrations": showmigrations.showmigrations,
    "sqlmigrate": sqlmigrate.sqlmigrate,
    "createcachetable": createcachetable.createcachetable,
    "squashmigrations": squashmigrations.squashmigrations,
    "test": test.test,
    "version": version.version,
}
# Commands whose arguments belong to another program (pytest).
_PASSTHROUGH = {"test": {"allow_extra_args": True, "ignore_unknown_options": True}}
_EXPECTED_ERRORS = (CommandError, ImproperlyConfigured)


def _global_options(
    settings: Annotated[
        str | None,
        typer.Option(
            "--settings",
            metavar="MODULE",
            help="Settings module, e.g. mysite.settings (default: from pyproject.toml).",
        ),
    ] = None,
    show_traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback on errors.")
    ] = False,
) -> None:
    """Djanco: a typed, async-native web framework in the spirit of Django."""
    # run() takes these options out of the arguments itself (they may follow the command,
    # as in Django); they are declared here so that --help documents them.


def build_app() -> typer.Typer:
    """A fresh ``djanco`` Typer app with the built-in commands (app commands come later)."""
    cli = typer.Typer(
        name="djanco",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    cli.callback()(_global_options)
    for name, function in _BUILTINS.items():
        cli.command(name=name, context_settings=_PASSTHROUGH.get(name))(function)
    return cli


app = build_app()


def run(argv: Sequence[str] | None = None) -> int:
    """Run ``djanco`` with ``argv`` (default: the process arguments); return the exit code."""
    args, settings_module, show_traceback = _take_global_options(
        list(sys.argv[1:] if argv is None else argv)
    )
    if settings_module:
        os.environ[SETTINGS_ENV] = settings_module
    command = next((arg for arg in args if not arg.startswith("-")), None)
    with warnings.catch_warnings():
        warnings.showwarning = _settings_warnings_as_lines(warnings.showwarning)
        return _run(args, command, show_traceback)


def _run(args: list[str], command: str | None, show_traceback: bool) -> int:
    try:
        cli = build_app()
        if command not in _BUILTINS and has_project():
            _add_app_commands(cli, show_traceback)
        typer.main.get_command(cli).main(args, prog_name="djanco", standalone_mode=True)
    except SystemExit as exc:
        return _exit_code(exc.code)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Exception as exc:
        _report(exc, show_traceback)
        return exc.exit_code if isinstance(exc, CommandError) else 1
    return 0


def main() -> NoReturn:
    """Console-script entry point."""
    sys.exit(run())


def _add_app_commands(cli: typer.Typer, show_traceback: bool) -> None:
    from djanco.cli.app_commands import add_app_commands

    try:
        add_app_commands(cli, _BUILTINS)
    except Exception as exc:
        # A broken project must not stop `djanco --help`; the built-in commands that need
        # the project report the same error themselves.
        err_console.print(Text("Note: app commands were not loaded.", style="yellow"))
        _report(exc, show_traceback)


def _take_global_options(args: list[str]) -> tuple[list[str], str | None, bool]:
    """Remove ``--settings`` and ``--traceback`` wherever they are, as Django accepts them
    after the command name too; return the other arguments, the settings, the flag."""
    rest: list[str] = []
    settings_module: str | None = None
    show_traceback = False
    items = iter(args)
    for arg in items:
        if arg == "--":  # everything after it belongs to the command
            rest.extend([arg, *items])
        elif arg == "--traceback":
            show_traceback = True
        elif arg == "--settings":
            settings_module = next(items, None)
            if settings_module is None:
                rest.append(arg)  # let the parser report the missing value
        elif arg.startswith("--settings="):
            settings_module = arg.partition("=")[2]
        else:
            rest.append(arg)
    return rest, settings_module, show_traceback


def _settings_warnings_as_lines(
    fallback: Callable[..., None],
) -> Callable[..., None]:
    """A ``warnings.showwarning`` that prints settings warnings as one ``Warning: …`` line,
    like errors, and hands any other warning to ``fallback``."""

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, SettingsWarning):
            err_console.print(Text(f"Warning: {message}", style="yellow"))
        else:
            fallback(message, category, filename, lineno, file, line)

    return show


def _report(exc: BaseException, show_traceback: bool) -> None:
    if show_traceback:
        traceback.print_exception(exc)
    if isinstance(exc, _EXPECTED_ERRORS):
        message = str(exc)
    else:
        message = f"{type(exc).__name__}: {exc}"
        if not show_traceback:
            message += " (run with --traceback for details)"
    err_console.print(Text(f"Error: {message}", style="bold red"))


def _exit_code(code: str | int | None) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    err_console.print(code)
    return 1
