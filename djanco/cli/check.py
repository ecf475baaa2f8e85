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


def check(
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Run only checks with this tag (repeatable)."),
    ] = None,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Also run the deployment checks.")
    ] = False,
) -> None:
    """Check the project for problems: settings, apps, URLs, templates."""
    from djanco.core.checks import run_checks

    load_project()
    try:
        messages = run_checks(
            tags=tag or None, include_deployment_checks=deploy, include_silenced=True
        )
    except ValueError as exc:  # an unknown --tag; the message lists the available ones
        raise CommandError(str(exc)) from exc
    report_checks(messages)


def report_checks(all_messages: Sequence[CheckMessage]) -> None:
    """Print the unsilenced messages grouped by level; raise CommandError on any error."""
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
    serious = sum(message.level >= ERROR for message in messages)
    if serious:
        raise CommandError(
            f"System check identified {serious} error{'s' if serious > 1 else ''}; "
            "fix and run again."
        )


def format_message(message: CheckMessage) -> str:
    """Django's layout: ``obj: (id) message`` and a tab-indented hint line."""
    obj = "?" if message.obj is None else str(message.obj)
    text = f"{obj}: ({message.id}) {message.msg}" if message.id else f"{obj}: {message.msg}"
    if message.hint:
        text += f"\n\tHINT: {message.hint}"
    return text
