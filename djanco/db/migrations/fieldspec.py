"""Fields as data: ``deconstruct(field)`` → (import path, keyword arguments) and back.

Migration state never holds live field objects: it holds ``FieldSpec``s, which compare by
value, serialise into migration files and build a fresh field when a historical model or a
column is needed.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from djanco.db.migrations.exceptions import InvalidModelError

if TYPE_CHECKING:
    from djanco.db.models.fields.base import Field

_MODELS_MODULE = "djanco.db.models"
_OPTION_NAMES = (
    "primary_key",
    "max_length",
    "unique",
    "blank",
    "null",
    "db_index",
    "default",
    "choices",
    "db_column",
    "verbose_name",
)
# Attributes that never change the schema and that the migration files leave out.
_SKIPPED = {"validators", "help_text", "editable"}


@dataclass(frozen=True)
class FieldSpec:
    """A field class (import path) and the keyword arguments that rebuild it."""

    path: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.path)

    def build(self) -> Field[Any]:
        """A new, unbound field."""
        cls = import_path(self.path)
        return cls(**self.kwargs)  # type: ignore[no-any-return]

    def replace(self, **changes: Any) -> FieldSpec:
        return FieldSpec(self.path, {**self.kwargs, **changes})

    @property
    def is_relation(self) -> bool:
        return "to" in self.kwargs

    @property
    def is_m2m(self) -> bool:
        """Whether this is a many-to-many field (a join table, no column)."""
        return self.path.endswith("ManyToManyField") and bool(
            getattr(import_path(self.path), "many_to_many", False)
        )

    @property
    def auto_through(self) -> bool:
        """A many-to-many field whose join table Djanco creates (no ``through=`` model)."""
        return self.is_m2m and "through" not in self.kwargs

    @property
    def related_label(self) -> str | None:
        """ "app_label.Model" (lower-cased) of a relation's target, or None."""
        to = self.kwargs.get("to")
        return to.lower() if isinstance(to, str) else None


def import_path(path: str) -> Any:
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InvalidModelError(f"Cannot import {path!r}: {exc}") from exc


def field_path(cls: type) -> str:
    """``djanco.db.models.CharField`` for Djanco's own fields, else module.qualname."""
    models = importlib.import_module(_MODELS_MODULE)
    if getattr(models, cls.__name__, None) is cls:
        return f"{_MODELS_MODULE}.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _init_parameters(cls: type) -> dict[str, inspect.Parameter]:
    """Named constructor parameters across the class hierarchy (most derived first)."""
    params: dict[str, inspect.Parameter] = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for name, param in inspect.signature(init).parameters.items():
            if name != "self" and param.kind not in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
                params.setdefault(name, param)
    return params


def deconstruct(field: Field[Any], *, app_label: str | None = None) -> FieldSpec:
    """The FieldSpec of a model field (bound or not): only arguments that differ from what
    the constructor would do with the required arguments alone."""
    if getattr(field, "many_to_many", False):
        return deconstruct_m2m(field, app_label=app_label)
    cls = type(field)
    params = _init_parameters(cls)
    required = {
        name: _value(field, name, app_label)
        for name, p in params.items()
        if p.default is inspect.Parameter.empty
    }
    baseline = cls(**required)
    kwargs: dict[str, Any] = dict(required)
    names = [n for n in params if n not in required]
    names += _OPTION_NAMES
    for name in dict.fromkeys(names):
        if name in _SKIPPED or not hasattr(field, name):
            continue
        value = _value(field, name, app_label)
        base = getattr(baseline, name, None)
        if name == "verbose_name":
            auto = getattr(field, "name", "").replace("_", " ")
            if value in (None, auto):
                continue
        elif (name == "unique" and (getattr(field, "primary_key", False) or field.one_to_one)) or (
            name == "db_index" and getattr(field, "unique", False) and not base
        ):
            continue
        if not _same(value, base):
            kwargs[name] = value
    return FieldSpec(field_path(cls), kwargs)


def deconstruct_m2m(field: Any, *, app_label: str | None = None) -> FieldSpec:
    """The FieldSpec of a ManyToManyField: its target, ``through``, join table and naming."""
    to = model_reference(field.to, field, app_label)
    kwargs: dict[str, Any] = {"to": to}
    if field.through_ref is not None:
        kwargs["through"] = model_reference(field.through_ref, field, app_label)
    own = getattr(getattr(field, "model", None), "_meta", None)
    self_referential = own is not None and to.lower() == str(own.label).lower()
    if self_referential or field.symmetrical:
        kwargs["symmetrical"] = bool(field.symmetrical)
    for name in ("related_name", "related_query_name", "db_table"):
        value = getattr(field, name, None)
        if value:
            kwargs[name] = value
    if field.blank:
        kwargs["blank"] = True
    return FieldSpec(field_path(type(field)), kwargs)


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _value(field: Field[Any], name: str, app_label: str | None) -> Any:
    value = getattr(field, name)
    if name == "to":
        return model_reference(value, field, app_label)
    if name == "choices" and value is not None:
        return [tuple(c) for c in value]
    return value


def model_reference(to: object, field: Field[Any], app_label: str | None) -> str:
    """A relation target as "app_label.Model"."""
    if isinstance(to, str):
        if to == "self":
            model = getattr(field, "model", None)
            if model is None:
                return to
            return str(model._meta.label)
        if "." in to:
            return to
        label = app_label or getattr(getattr(field, "model", None), "_meta", None)
        if isinstance(label, str):
            return f"{label}.{to}"
        if label is not None:
            return f"{label.app_label}.{to}"
        return to
    meta = getattr(to, "_meta", None)
    if meta is None:
        raise InvalidModelError(f"{field!r}: cannot tell which model {to!r} is.")
    return str(meta.label)
