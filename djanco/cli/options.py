"""Arguments and options that several commands share, spelt once (Django's names).

App commands (``<app>/commands/*.py``) use them too, so ``--database`` or ``--noinput``
read the same in every command.
"""

from __future__ import annotations

from typing import Annotated

import typer

AppLabels = Annotated[
    list[str] | None,
    typer.Argument(metavar="APP_LABEL", help="Only these apps (default: all)."),
]
Database = Annotated[str, typer.Option("--database", help="The database alias.")]
NoInput = Annotated[bool, typer.Option("--no-input", "--noinput", help="Never ask questions.")]
