"""App-provided commands: ``<app>/commands/<name>.py`` defining ``command`` is ``djanco <name>``."""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
from collections.abc import Callable, Collection
from typing import ParamSpec

import typer

from djanco.apps import apps
from djanco.cli._console import CommandError
from djanco.cli._project import load_project

_P = ParamSpec("_P")


def add_app_commands(cli: typer.Typer, reserved: Collection[str]) -> None:
    """Register every installed app's commands on ``cli``.

    Built-in commands keep their names; between apps the first in INSTALLED_APPS wins, as in
    Django. A command module that fails to import still appears and reports the error when
    run, so one broken command never hides the others.
    """
    load_project()
    taken = set(reserved)
    for config in apps.get_app_configs():
        directory = config.commands_dir
        if directory is None:
            continue
        for file in sorted(directory.glob("*.py")):
            name = file.stem
            if name.startswith("_") or name in taken:
                continue
            taken.add(name)
            module = f"{config.name}.commands.{name}"
            cli.command(name=name, rich_help_panel=f"Commands from {config.label}")(
                _load(module, str(file))
            )


def _load(module_name: str, filename: str) -> Callable[..., object]:
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        return _failing(f"Cannot import {filename}: {type(exc).__name__}: {exc}", exc)
    command: object = getattr(module, "command", None)
    if not callable(command):
        return _failing(f"{filename} defines no function named `command`.", None)
    if inspect.iscoroutinefunction(command):
        return _run_async(command)
    return command


def _run_async(command: Callable[_P, object]) -> Callable[_P, object]:
    @functools.wraps(command)  # keeps the signature Typer reads the options from
    def run(*args: _P.args, **kwargs: _P.kwargs) -> object:
        result = command(*args, **kwargs)
        return asyncio.run(result) if inspect.iscoroutine(result) else result

    return run


def _failing(message: str, cause: BaseException | None) -> Callable[[], None]:
    def command() -> None:
        raise CommandError(message) from cause

    command.__doc__ = "(cannot be loaded; run it to see why)"
    return command
