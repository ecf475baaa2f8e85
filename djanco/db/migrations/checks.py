"""System checks for migrations: model changes with no migration (``migrations.W001``) and
migrations not applied to the default database (``migrations.W002``).

Registered when imported (``djanco.setup()`` imports this module with the built-in checks),
under the ``database`` tag (``djanco check --tag database``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.apps import apps
from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Warning
from djanco.core.checks.registry import Tags, register
from djanco.db import connections
from djanco.db.migrations.autodetector import MigrationAutodetector
from djanco.db.migrations.exceptions import MigrationError
from djanco.db.migrations.loader import MigrationLoader
from djanco.db.migrations.project import current_state

if TYPE_CHECKING:
    from djanco.apps import AppConfig

__all__ = ["check_migrations"]

_SHOWN = 5


def _labels(app_configs: Sequence[AppConfig] | None) -> set[str] | None:
    return None if app_configs is None else {config.label for config in app_configs}


@register(Tags.database)
def check_migrations(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """migrations.W001: models changed without a migration; migrations.W002: migrations not
    applied to the "default" database (skipped when it cannot be reached)."""
    if not apps.ready:
        return []
    return [*_missing_migrations(_labels(app_configs)), *_unapplied(_labels(app_configs))]


def _missing_migrations(labels: set[str] | None) -> list[CheckMessage]:
    try:
        loader = MigrationLoader()
        detector = MigrationAutodetector(loader.project_state(), current_state())
        changes = detector.changes(loader.graph, labels)
    except MigrationError as exc:
        return [
            Warning(
                f"The migrations cannot be compared with the models: {exc}",
                hint="Fix the migration files, then run 'djanco makemigrations --check'.",
                id="migrations.W001",
            )
        ]
    messages: list[CheckMessage] = []
    for app in sorted(changes):
        operations = [op.describe() for m in changes[app] for op in m.operations]
        shown = "; ".join(operations[:_SHOWN]) + ("; …" if len(operations) > _SHOWN else "")
        messages.append(
            Warning(
                f"App '{app}' has model changes that are not in a migration: {shown}.",
                hint=f"Run 'djanco makemigrations {app}', then 'djanco migrate'.",
                obj=app,
                id="migrations.W001",
            )
        )
    return messages


def _unapplied(labels: set[str] | None) -> list[CheckMessage]:
    if "default" not in settings.DATABASES:
        return []
    try:
        loader = MigrationLoader(connections["default"])
    except MigrationError:
        return []  # reported by W001
    except Exception:  # the database cannot be reached: nothing to compare with
        return []
    pending = [
        key
        for key in loader.graph.full_plan()
        if key not in loader.applied and (labels is None or key[0] in labels)
    ]
    if not pending:
        return []
    names = [f"{app}.{name}" for app, name in pending]
    shown = ", ".join(names[:_SHOWN]) + (", …" if len(names) > _SHOWN else "")
    return [
        Warning(
            f"{len(pending)} migration(s) not applied to the 'default' database: {shown}.",
            hint="Run 'djanco migrate' to apply them.",
            id="migrations.W002",
        )
    ]
