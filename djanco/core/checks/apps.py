"""Built-in check: every INSTALLED_APPS entry loads, and no two apps share a name or label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from djanco.apps.resolve import create_app_config
from djanco.conf import settings
from djanco.core.checks.messages import CheckMessage, Error
from djanco.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from djanco.apps import AppConfig


@register(Tags.apps)
def check_installed_apps(app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
    """apps.E001: an entry does not load; apps.E002: two entries are the same app or label."""
    errors: list[CheckMessage] = []
    seen: dict[str, tuple[int, str]] = {}  # app name or label -> the entry that used it first
    for index, entry in enumerate(settings.INSTALLED_APPS):
        shown = entry if isinstance(entry, str) else f"{entry.__module__}.{entry.__qualname__}"
        try:
            config = create_app_config(entry)
        except Exception as exc:
            errors.append(
                Error(
                    f"INSTALLED_APPS entry {shown!r} cannot be loaded: {exc}",
                    hint="Check the spelling, and that the app's package is importable.",
                    id="apps.E001",
                )
            )
            continue
        for what, value in (("name", config.name), ("label", config.label)):
            first_index, first = seen.setdefault(f"{what}:{value}", (index, shown))
            if first_index != index:
                errors.append(
                    Error(
                        f"INSTALLED_APPS entries {first!r} and {shown!r} have the same app "
                        f"{what} {value!r}.",
                        hint="Remove the duplicate, or give one AppConfig a different `label`.",
                        id="apps.E002",
                    )
                )
                break  # the same app twice: one message, not one for its name and its label
    return errors
