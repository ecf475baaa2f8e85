"""The model registry: every concrete model class defined so far, and the references to
models by name (``"self"``, ``"Model"``, ``"app_label.Model"``) still waiting for theirs.

The model metaclass registers each class it builds; relation fields resolve their targets here
(their callback runs as soon as the target exists), so no floor below ``Model`` imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from djanco.db.models.base import Model

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT",
    "lazy_related",
    "models",
    "register_model",
    "resolve_pending",
    "scoped",
]

RECURSIVE_RELATIONSHIP_CONSTANT = "self"

Resolved = Callable[["type[Model]"], None]

_models: list[type[Model]] = []
_pending: list[tuple[str, type[Model], Resolved]] = []


def models() -> list[type[Model]]:
    """Every concrete model class registered, in definition order."""
    return list(_models)


def register_model(model: type[Model]) -> None:
    """Called by the metaclass for every concrete model; resolves references waiting for it.
    A model defined again (same module and name) replaces the earlier one."""
    _models[:] = [
        m
        for m in _models
        if not (m.__name__ == model.__name__ and m.__module__ == model.__module__)
    ]
    _models.append(model)
    if _pending:
        resolve_pending()


def resolve_pending() -> None:
    """Try again every reference to a model that was not defined yet."""
    still: list[tuple[str, type[Model], Resolved]] = []
    for ref, origin, callback in list(_pending):
        target = _lookup(ref, origin)
        if target is None:
            still.append((ref, origin, callback))
        else:
            callback(target)
    _pending[:] = still


def lazy_related(ref: str | type[Model], origin: type[Model], callback: Resolved) -> None:
    """Call `callback(model)` with the model `ref` names (relative to `origin`), now or as soon
    as it is defined."""
    if not isinstance(ref, str):
        callback(ref)
        return
    if ref == RECURSIVE_RELATIONSHIP_CONSTANT:
        callback(origin)
        return
    target = _lookup(ref, origin)
    if target is not None:
        callback(target)
    else:
        _pending.append((ref, origin, callback))


@contextmanager
def scoped() -> Iterator[None]:
    """The models registered (and references left waiting) inside the block are forgotten
    when it ends: for models rendered from migrations, and tests."""
    saved_models, saved_pending = list(_models), list(_pending)
    try:
        yield
    finally:
        _models[:], _pending[:] = saved_models, saved_pending


def _safe_label(model: type[Model]) -> str | None:
    try:
        return model._meta.app_label
    except Exception:  # app registry not ready yet: retried later
        return None


def _lookup(ref: str, origin: type[Model]) -> type[Model] | None:
    if "." in ref:
        label, name = ref.rsplit(".", 1)
        for model in _models:
            if model.__name__.lower() == name.lower() and _safe_label(model) == label:
                return model
        return None
    for model in _models:  # same module first, then same app
        if model.__name__ == ref and model.__module__ == origin.__module__:
            return model
    origin_label = _safe_label(origin)
    if origin_label is None:
        return None
    for model in _models:
        if model.__name__ == ref and _safe_label(model) == origin_label:
            return model
    return None
