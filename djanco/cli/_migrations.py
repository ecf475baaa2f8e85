"""Helpers shared by the migration commands: loading, errors as one line, the connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from djanco.cli._console import CommandError

if TYPE_CHECKING:
    from djanco.db.backends.base import DatabaseWrapper


@contextmanager
def migration_errors() -> Iterator[None]:
    """Turn migrations errors into ``Error: …`` lines."""
    from djanco.db.migrations.exceptions import MigrationError

    try:
        yield
    except MigrationError as exc:
        raise CommandError(str(exc)) from exc


def connection(database: str) -> DatabaseWrapper:
    from djanco.db import connections

    try:
        return connections[database]
    except Exception as exc:
        raise CommandError(f"Unknown database {database!r}: {exc}") from exc


def check_app_label(label: str) -> None:
    from djanco.apps import apps

    labels = [config.label for config in apps.get_app_configs()]
    if label not in labels:
        raise CommandError(
            f"No installed app with label {label!r}. Installed: {', '.join(labels) or 'none'}."
        )
