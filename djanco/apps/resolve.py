"""Turning one INSTALLED_APPS entry into an AppConfig instance."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

from djanco.apps.config import AppConfig
from djanco.core.exceptions import ImproperlyConfigured
from djanco.utils.suggest import did_you_mean


def create_app_config(entry: str | type) -> AppConfig:
    """Build the AppConfig for ``entry``: a module path, a dotted path to an AppConfig class,
    or an AppConfig class."""
    if isinstance(entry, str):
        module = _import_or_none(entry)
        if module is None:
            return _from_class(_class_from_path(entry), entry)
        config_class = _config_class_in_apps_module(entry)
        if config_class is None:
            return AppConfig(entry, module)
        if not hasattr(config_class, "name"):
            return config_class(entry, module)
        return _from_class(config_class, entry)
    if not (isinstance(entry, type) and issubclass(entry, AppConfig)):
        raise ImproperlyConfigured(
            f"INSTALLED_APPS entry {entry!r} is neither a dotted path nor an AppConfig subclass."
        )
    return _from_class(entry, f"{entry.__module__}.{entry.__qualname__}")


def _from_class(config_class: type[AppConfig], entry: str) -> AppConfig:
    if not hasattr(config_class, "name"):
        raise ImproperlyConfigured(f"{entry} must set `name` to its app's dotted module path.")
    module = _import_or_none(config_class.name)
    if module is None:
        raise ImproperlyConfigured(
            f"Cannot import {config_class.name!r}, the `name` of {entry}: no such module."
        )
    return config_class(config_class.name, module)


def _class_from_path(entry: str) -> type[AppConfig]:
    module_path, _, class_name = entry.rpartition(".")
    module = _import_or_none(module_path) if module_path else None
    if module is None:
        raise ImproperlyConfigured(
            f"Cannot import {entry!r} listed in INSTALLED_APPS: no module named {entry!r}."
            + did_you_mean(entry, _sibling_modules(entry))
        )
    candidate = getattr(module, class_name, None)
    if not (isinstance(candidate, type) and issubclass(candidate, AppConfig)):
        raise ImproperlyConfigured(
            f"INSTALLED_APPS entry {entry!r}: {module_path} has no module or AppConfig subclass "
            f"named {class_name!r}." + did_you_mean(entry, _sibling_modules(entry))
        )
    return candidate


def _sibling_modules(entry: str) -> list[str]:
    """The importable modules beside where ``entry`` would be (top-level ones for a name
    without dots), as candidates for a misspelt entry."""
    parent, _, _ = entry.rpartition(".")
    if not parent:
        return [found.name for found in pkgutil.iter_modules()]
    package = _import_or_none(parent)
    path = getattr(package, "__path__", None)
    return [f"{parent}.{found.name}" for found in pkgutil.iter_modules(path)] if path else []


def _config_class_in_apps_module(app_name: str) -> type[AppConfig] | None:
    """The AppConfig subclass defined in ``<app>/apps.py``: the only one, or the ``default``."""
    apps_module = _import_or_none(f"{app_name}.apps")
    if apps_module is None:
        return None
    candidates = [
        obj
        for _, obj in inspect.getmembers(apps_module, inspect.isclass)
        if issubclass(obj, AppConfig) and obj.__module__ == apps_module.__name__
    ]
    if len(candidates) == 1:
        return candidates[0]
    defaults = [candidate for candidate in candidates if candidate.default]
    if len(defaults) > 1:
        names = ", ".join(candidate.__qualname__ for candidate in defaults)
        raise ImproperlyConfigured(
            f"{apps_module.__name__} marks several AppConfig classes as default ({names}); "
            "keep `default = True` on one."
        )
    return defaults[0] if defaults else None


def _import_or_none(dotted: str) -> ModuleType | None:
    """Import ``dotted``; None if it (or a parent package) does not exist, else errors propagate."""
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (dotted + ".").startswith(exc.name + "."):
            return None
        raise
