"""AppConfig: what Djanco knows about one installed application."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import ClassVar

from djanco.core.exceptions import ImproperlyConfigured


class AppConfig:
    """One installed application: its module, label, filesystem path and hooks.

    Subclass it in ``<app>/apps.py`` to set ``name``, ``label`` or ``verbose_name`` as class
    attributes, or to override :meth:`ready`.
    """

    name: str
    """Dotted path of the application's module, e.g. ``"blog"`` or ``"shop.blog"``."""
    label: str
    """Short unique name, by default the last part of ``name``."""
    verbose_name: str
    """Human-readable name, by default the label in title case."""
    path: Path
    """The application's directory."""
    default: ClassVar[bool] = False
    """Among several AppConfig subclasses in one ``apps.py``, the one to use."""

    module: ModuleType
    models_module: ModuleType | None

    def __init__(self, app_name: str, app_module: ModuleType) -> None:
        self.name = app_name
        self.module = app_module
        self.models_module = None
        if not hasattr(self, "label"):
            self.label = app_name.rpartition(".")[2]
        if not self.label.isidentifier():
            raise ImproperlyConfigured(
                f"The app label {self.label!r} of {app_name!r} is not a valid Python identifier; "
                "set a `label` on its AppConfig."
            )
        if not hasattr(self, "verbose_name"):
            self.verbose_name = self.label.title()
        if not hasattr(self, "path"):
            self.path = _module_path(app_name, app_module)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.label}>"

    def ready(self) -> None:
        """Run start-up code (register checks, connect signals) once every app is loaded."""

    @property
    def templates_dir(self) -> Path | None:
        """The app's ``templates/`` folder, if it exists."""
        return self._subdir("templates")

    @property
    def static_dir(self) -> Path | None:
        """The app's ``static/`` folder, if it exists."""
        return self._subdir("static")

    @property
    def commands_dir(self) -> Path | None:
        """The app's ``commands/`` folder (one CLI command per module), if it exists."""
        return self._subdir("commands")

    def import_submodule(self, name: str) -> ModuleType | None:
        """Import ``<app>.<name>``; None if it does not exist. Errors raised inside it propagate."""
        full_name = f"{self.name}.{name}"
        try:
            return importlib.import_module(full_name)
        except ModuleNotFoundError as exc:
            # Only "this very submodule is missing" means None; a missing import *inside*
            # the submodule is a real error the user must see.
            if exc.name is not None and (full_name + ".").startswith(exc.name + "."):
                return None
            raise

    def _subdir(self, name: str) -> Path | None:
        candidate = self.path / name
        return candidate if candidate.is_dir() else None


def _module_path(app_name: str, module: ModuleType) -> Path:
    locations = list(dict.fromkeys(getattr(module, "__path__", [])))
    if len(locations) > 1:
        raise ImproperlyConfigured(
            f"The app module {app_name!r} has several locations ({', '.join(locations)}); "
            "set `path` on its AppConfig to choose one."
        )
    if locations:
        return Path(locations[0]).resolve()
    filename = getattr(module, "__file__", None)
    if filename is None:
        raise ImproperlyConfigured(
            f"The app module {app_name!r} has no filesystem location; set `path` on its AppConfig."
        )
    return Path(filename).resolve().parent
