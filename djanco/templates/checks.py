"""System check of TEMPLATES: the DIRS exist and do not depend on the working directory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Warning
from djanco.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from djanco.apps import AppConfig


@register(Tags.templates)
def check_template_dirs(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """templates.W001: a DIRS entry is not a directory; templates.W002: it is relative."""
    messages: list[CheckMessage] = []
    for directory in settings.TEMPLATES.DIRS:
        if not directory.is_absolute():
            messages.append(
                Warning(
                    f"TEMPLATES DIRS entry '{directory}' is a relative path, so where it points "
                    "depends on the directory the server is started from.",
                    hint="Build it from BASE_DIR, e.g. BASE_DIR / 'templates'.",
                    id="templates.W002",
                )
            )
        if not directory.is_dir():
            problem = "is not a directory" if directory.exists() else "does not exist"
            messages.append(
                Warning(
                    f"TEMPLATES DIRS entry '{directory}' {problem}.",
                    hint="Create the directory, or remove it from TEMPLATES DIRS.",
                    id="templates.W001",
                )
            )
    return messages
