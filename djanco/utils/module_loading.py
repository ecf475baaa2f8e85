"""Importing objects named by dotted paths, as settings and URLconfs name them."""

from __future__ import annotations

from importlib import import_module
from typing import cast

from djanco.core.exceptions import ImproperlyConfigured

__all__ = ["import_setting_entry", "import_string"]


def import_string(dotted_path: str) -> object:
    """The object at ``"package.module.attr"``; a clear ImproperlyConfigured if there is none.

    Errors raised while importing the module itself propagate unchanged, so the real cause
    (a typo inside that module) keeps its traceback.
    """
    module_path, _, attr = dotted_path.rpartition(".")
    if not module_path:
        raise ImproperlyConfigured(f"{dotted_path!r} is not a dotted path to an object.")
    try:
        module = import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name is None or not f"{module_path}.".startswith(f"{exc.name}."):
            raise
        raise ImproperlyConfigured(
            f"Cannot import {dotted_path!r}: no module named {exc.name!r}."
        ) from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ImproperlyConfigured(
            f"Cannot import {dotted_path!r}: module {module_path!r} has no attribute {attr!r}."
        ) from None


def import_setting_entry(dotted_path: str, setting: str) -> object:
    """The object an entry of the list setting ``setting`` names (``"package.module.Name"``).

    An entry that is not a dotted path, cannot be imported (an ImportError inside its module
    included) or names nothing there is an ImproperlyConfigured naming the setting and entry.
    """
    module_path, _, name = dotted_path.rpartition(".")
    if not module_path:
        raise ImproperlyConfigured(
            f"{setting} entry {dotted_path!r} is not a dotted path such as 'package.module.Name'."
        )
    try:
        module = import_module(module_path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"{setting} entry {dotted_path!r} cannot be imported: {exc}"
        ) from exc
    try:
        return cast(object, getattr(module, name))
    except AttributeError:
        raise ImproperlyConfigured(
            f"{setting} entry {dotted_path!r}: module {module_path!r} has no attribute {name!r}."
        ) from None
