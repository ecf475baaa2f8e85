from __future__ import annotations

from djanco.apps import AppConfig
from djanco.templates import register_filter, register_global


def shout(value: object, punctuation: str = "!") -> str:
    return f"{value}".upper() + punctuation


class HooksConfig(AppConfig):
    name = "tests.templates.app_hooks"

    def ready(self) -> None:
        register_global("site_name", "Hooks")
        register_filter("shout", shout)
