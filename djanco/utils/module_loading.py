"""Importing objects named by dotted paths, as settings and URLconfs name them."""

from __future__ import annotations

from importlib import import_module

from djanco.core.exceptions import ImproperlyConfigured

__all__ = ["import_string"]


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
