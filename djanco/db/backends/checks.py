"""System checks for DATABASES: every URL is understood and its drivers are installed.

Registered when imported (``djanco.setup()`` imports this module with the built-in checks).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Error
from djanco.core.checks.registry import Tags, register
from djanco.db.backends.handler import backend_of

if TYPE_CHECKING:
    from djanco.apps import AppConfig

__all__ = ["check_databases"]


@register(Tags.database)
def check_databases(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """database.E001: a URL that is not a supported database; database.E002: missing driver;
    database.E003: no "default" alias; database.E004: a bad URL option."""
    messages: list[CheckMessage] = []
    databases = settings.DATABASES
    if databases and "default" not in databases:
        messages.append(
            Error(
                "DATABASES has no 'default' alias.",
                hint="Models and queries use 'default' unless told otherwise; add it.",
                id="database.E003",
            )
        )
    for alias, url in databases.items():
        try:
            backend = backend_of(url)
        except ValueError as exc:
            messages.append(Error(f"DATABASES[{alias!r}]: {exc}", id="database.E001"))
            continue
        try:
            wrapper = backend(alias, url)  # parses the URL options; does not connect
        except ValueError as exc:
            messages.append(Error(str(exc), id="database.E004"))
            continue
        wrapper.close()
        modules = dict.fromkeys(d.module for d in (wrapper.driver, wrapper.adriver))
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        if missing:
            messages.append(
                Error(
                    f"DATABASES[{alias!r}] needs the {', '.join(missing)} driver(s), "
                    "which are not installed.",
                    hint=backend.driver_requirement,
                    id="database.E002",
                )
            )
    return messages
