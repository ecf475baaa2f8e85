"""``djanco check``: run the system checks and report them as Django does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from djanco.cli._console import CommandError, console
from djanco.cli._project import load_project

if TYPE_CHECKING:
    from djanco.core.checks import CheckMessage

# Command modules import the framework inside the command, so `djanco startproject` and
# `djanco --help` stay fast and work even where a project could not load.


_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def check(
    app_labels: Annotated[
        list[str] | None,
        typer.Argument(metavar="APP_LABEL", help="Check only these apps (default: all)."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Run only checks with this tag (repeatable)."),
    ] = None,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Also run the deployment checks.")
    ] = False,
    list_tags: Annotated[
        bool, typer.Option("--list-tags", help="List the available tags and exit.")
    ] = False,
    fail_level: Annotated[
        str,
        typer.Option(
            "--fail-level",
            metavar="LEVEL",
            help="Exit with status 1 from this level on: " + ", ".join(_LEVELS) + ".",
        ),
    ] = "ERROR",
    fix: Annotated[
        bool,
        typer.Option("--fix", help="First declare the undeclared reverse accessors (typing.I001)."),
    ] = False,
) -> None:
    """Check the project for problems: apps, models, URLs, middleware, databases, migrations."""
    from djanco.apps import apps
    from djanco.cli._accessor_declarations import declare
    from djanco.cli._reverse_accessors import undeclared_accessors  # registers typing.I001
    from djanco.core import checks

    level = getattr(checks, fail_level.upper(), None) if fail_level.upper() in _LEVELS else None
    if not isinstance(level, int):
        raise CommandError(f"--fail-level must be one of {', '.join(_LEVELS)}, not {fail_level!r}.")
    load_project()
    if list_tags:
        for name in sorted(checks.registry.tags_available(deploy)):
            console.print(name, markup=False)
        return
    # As in Django, naming apps narrows the checks that look at apps to those apps.
    try:
        app_configs = [apps.get_app_config(label) for label in app_labels or []] or None
    except LookupError as exc:
        raise CommandError(str(exc).strip("'\"")) from exc
    if fix:
        for line in declare(undeclared_accessors(app_configs)):
            console.print(f"Declared {line}", markup=False)
    try:
        messages = checks.run_checks(
            app_configs=app_configs,
            tags=tag or None,
            include_deployment_checks=deploy,
            include_silenced=True,
        )
    except ValueError as exc:  # an unknown --tag; the message lists the available ones
        raise CommandError(str(exc)) from exc
    report_checks(messages, fail_level=level)


def report_checks(all_messages: Sequence[CheckMessage], fail_level: int | None = None) -> None:
    """Print the unsilenced messages grouped by level; raise CommandError on any message at
    ``fail_level`` or above (default: errors)."""
    from djanco.core.checks import CRITICAL, DEBUG, ERROR, INFO, WARNING

    sections = (
        (CRITICAL, "CRITICALS", "bold red"),
        (ERROR, "ERRORS", "red"),
        (WARNING, "WARNINGS", "yellow"),
        (INFO, "INFOS", "cyan"),
        (DEBUG, "DEBUGS", "dim"),
    )
    messages = [message for message in all_messages if not message.is_silenced()]
    silenced = len(all_messages) - len(messages)
    groups: dict[str, list[CheckMessage]] = {}
    for message in messages:
        title = next((t for level, t, _ in sections if message.level >= level), "DEBUGS")
        groups.setdefault(title, []).append(message)
    if messages:
        console.print("System check identified some issues:")
    for _, title, style in sections:
        if title in groups:
            console.print()
            console.print(Text(f"{title}:", style=f"bold {style}"))
            for line in sorted(format_message(message) for message in groups[title]):
                console.print(Text(line, style=style))
    if messages:
        console.print()
    count = len(messages)
    issues = "no issues" if count == 0 else "1 issue" if count == 1 else f"{count} issues"
    console.print(f"System check identified {issues} ({silenced} silenced).")
    threshold = ERROR if fail_level is None else fail_level
    serious = sum(message.level >= threshold for message in messages)
    if serious:
        what = "error" if threshold >= ERROR else "issue"
        raise CommandError(
            f"System check identified {serious} {what}{'s' if serious > 1 else ''}"
            f"{'' if threshold >= ERROR else ' at or above the --fail-level'}; "
            "fix and run again."
        )


def format_message(message: CheckMessage) -> str:
    """Django's layout: ``obj: (id) message`` and a tab-indented hint line."""
    obj = message.obj_label
    text = f"{obj}: ({message.id}) {message.msg}" if message.id else f"{obj}: {message.msg}"
    if message.hint:
        text += f"\n\tHINT: {message.hint}"
    return text
