"""System check of MIDDLEWARE: every entry imports (a typo would otherwise fail at start-up)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Error
from djanco.core.checks.registry import Tags, register
from djanco.utils.module_loading import import_setting_entry

if TYPE_CHECKING:
    from djanco.apps import AppConfig


@register(Tags.middleware)
def check_middleware(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """middleware.E001: an entry cannot be imported; middleware.E002: it is not callable."""
    errors: list[CheckMessage] = []
    for path in settings.MIDDLEWARE:
        try:
            factory = import_setting_entry(path, "MIDDLEWARE")
        except Exception as exc:
            errors.append(Error(str(exc), id="middleware.E001"))
            continue
        if not callable(factory):
            errors.append(
                Error(
                    f"MIDDLEWARE entry {path!r} is {factory!r}, not a middleware class or factory.",
                    id="middleware.E002",
                )
            )
    return errors
