"""The installed apps' current models as a ProjectState, and where migration files go."""

from __future__ import annotations

import importlib
from pathlib import Path

from djanco.apps import apps
from djanco.db.migrations.state import ProjectState
from djanco.db.models import Model, registry


def installed_models() -> list[type[Model]]:
    """Every concrete, managed model of an installed app (in definition order)."""
    labels = {config.label for config in apps.get_app_configs()}
    found: list[type[Model]] = []
    for model in registry.models():
        if model.__module__ == "__fake__":
            continue
        try:
            label = model._meta.app_label
        except Exception:  # a model outside every installed app (tests, scripts)
            continue
        if label in labels and not model._meta.abstract and model._meta.managed:
            found.append(model)
    return found


def current_state() -> ProjectState:
    return ProjectState.from_models(installed_models())


def migrations_directory(app_label: str) -> Path:
    """``<app>/migrations/`` (created with an ``__init__.py`` if missing)."""
    config = apps.get_app_config(app_label)
    module = importlib.import_module(config.name)
    files = getattr(module, "__file__", None)
    base = Path(files).parent if files else Path(next(iter(getattr(module, "__path__", []))))
    directory = base / "migrations"
    directory.mkdir(exist_ok=True)
    init = directory / "__init__.py"
    if not init.exists():
        init.write_text("")
    return directory
