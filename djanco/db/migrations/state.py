"""Project state: every model as data, rebuilt by replaying operations (no database needed),
and ``StateApps``, the historical models of one point in history for RunPython and DDL."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.db.migrations.exceptions import InvalidModelError
from djanco.db.migrations.fieldspec import FieldSpec, deconstruct

if TYPE_CHECKING:
    from djanco.db.models.base import Model

# Meta options the state keeps (and CreateModel writes).
STATE_OPTIONS = ("db_table", "ordering", "unique_together", "verbose_name", "verbose_name_plural")


@dataclass(frozen=True)
class IndexSpec:
    """An index as data: its fields ("-name" for descending) and its name (None: automatic)."""

    fields: tuple[str, ...]
    name: str | None = None

    def build(self) -> Any:
        from djanco.db.models import Index

        return Index(fields=list(self.fields), name=self.name)


@dataclass
class ModelState:
    """One model: app label, name, fields (in order), Meta options and indexes."""

    app_label: str
    name: str
    fields: dict[str, FieldSpec]
    options: dict[str, Any] = field(default_factory=dict)
    indexes: list[IndexSpec] = field(default_factory=list)

    @property
    def name_lower(self) -> str:
        return self.name.lower()

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name_lower)

    @property
    def db_table(self) -> str:
        explicit: str | None = self.options.get("db_table")
        return explicit or f"{self.app_label}_{self.name_lower}"

    def get_field(self, name: str) -> FieldSpec:
        try:
            return self.fields[name]
        except KeyError:
            raise InvalidModelError(
                f"{self.app_label}.{self.name} has no field {name!r} in the migration state "
                f"(fields: {', '.join(self.fields)})."
            ) from None

    def clone(self) -> ModelState:
        return ModelState(
            self.app_label,
            self.name,
            dict(self.fields),
            copy.deepcopy(self.options),
            list(self.indexes),
        )

    @classmethod
    def from_model(cls, model: type[Model]) -> ModelState:
        opts = model._meta
        label = opts.app_label
        fields: dict[str, FieldSpec] = {}
        for f in opts.local_fields:
            if f.concrete:
                fields[f.name] = deconstruct(f, app_label=label)
        options: dict[str, Any] = {}
        if opts.meta is not None and "db_table" in vars(opts.meta):
            options["db_table"] = opts.db_table
        if opts.ordering:
            options["ordering"] = list(opts.ordering)
        if opts.unique_together:
            options["unique_together"] = [tuple(t) for t in opts.unique_together]
        indexes: list[IndexSpec] = []
        for index in opts.indexes:
            names = getattr(index, "fields", None)
            if names is None or type(index).__name__ != "Index":
                raise InvalidModelError(f"{opts.label}: cannot migrate the index {index!r}.")
            indexes.append(IndexSpec(tuple(names), getattr(index, "name", None)))
        return cls(label, model.__name__, fields, options, indexes)


class ProjectState:
    """All models of a point in history, keyed by (app_label, model_name_lower)."""

    def __init__(self, models: dict[tuple[str, str], ModelState] | None = None) -> None:
        self.models: dict[tuple[str, str], ModelState] = models or {}
        self._apps: StateApps | None = None

    def add_model(self, model: ModelState) -> None:
        self.models[model.key] = model
        self._apps = None

    def remove_model(self, app_label: str, name: str) -> ModelState:
        self._apps = None
        return self.models.pop((app_label, name.lower()))

    def get_model(self, app_label: str, name: str) -> ModelState:
        try:
            return self.models[(app_label, name.lower())]
        except KeyError:
            known = ", ".join(f"{a}.{m.name}" for (a, _), m in sorted(self.models.items()))
            raise InvalidModelError(
                f"No model {app_label}.{name} in the migration state (known: {known or 'none'})."
            ) from None

    def changed(self) -> None:
        """Forget the rendered models after an in-place change."""
        self._apps = None

    def clone(self) -> ProjectState:
        return ProjectState({k: m.clone() for k, m in self.models.items()})

    @property
    def apps(self) -> StateApps:
        if self._apps is None:
            self._apps = StateApps(self)
        return self._apps

    @classmethod
    def from_models(cls, models: list[type[Model]]) -> ProjectState:
        state = cls()
        for model in models:
            if not model._meta.abstract and model._meta.managed:
                state.add_model(ModelState.from_model(model))
        return state

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProjectState) and self.models == other.models

    __hash__ = None  # type: ignore[assignment]


_render_lock = threading.Lock()


class StateApps:
    """Real model classes built from a ProjectState: the models as they were at that point
    of history (module ``__fake__``), with their own SQLAlchemy MetaData."""

    def __init__(self, state: ProjectState) -> None:
        self.metadata = sa.MetaData()
        self._models: dict[tuple[str, str], type[Model]] = {}
        with _render_lock:
            self._render(state)

    def get_model(self, app_label: str, model_name: str | None = None) -> type[Model]:
        """``get_model("blog", "Author")`` or ``get_model("blog.Author")``."""
        if model_name is None:
            app_label, _, model_name = app_label.partition(".")
        try:
            return self._models[(app_label, model_name.lower())]
        except KeyError:
            known = ", ".join(m._meta.label for m in self._models.values())
            raise LookupError(
                f"No model {app_label}.{model_name} at this point of the migrations "
                f"(known: {known or 'none'})."
            ) from None

    def get_models(self) -> Iterator[type[Model]]:
        return iter(self._models.values())

    def table(self, app_label: str, model_name: str) -> sa.Table:
        return self.get_model(app_label, model_name)._meta.table

    def _render(self, state: ProjectState) -> None:
        from djanco.db.models import options as options_module
        from djanco.db.models.fields import related

        pending = dict(state.models)
        registered_before = list(related._models)
        saved_metadata = options_module.metadata
        options_module.metadata = self.metadata
        try:
            while pending:
                ready = [
                    key
                    for key, m in pending.items()
                    if all(
                        dep not in pending or dep == key
                        for dep in (_target_key(spec) for spec in m.fields.values())
                    )
                ]
                if not ready:
                    cycle = ", ".join(f"{a}.{m.name}" for (a, _), m in pending.items())
                    raise InvalidModelError(f"Circular relations cannot be rendered yet: {cycle}.")
                for key in ready:
                    self._models[key] = self._build(pending.pop(key))
            for model in self._models.values():
                model._meta.table  # noqa: B018 - built now, on this state's MetaData
        finally:
            options_module.metadata = saved_metadata
            related._models[:] = registered_before

    def _build(self, ms: ModelState) -> type[Model]:
        from djanco.db.models.base import Model

        meta_attrs: dict[str, Any] = {"app_label": ms.app_label, "db_table": ms.db_table}
        for name in ("ordering", "unique_together", "verbose_name", "verbose_name_plural"):
            if name in ms.options:
                meta_attrs[name] = ms.options[name]
        meta_attrs["indexes"] = [index.build() for index in ms.indexes]
        attrs: dict[str, Any] = {"__module__": "__fake__", "Meta": type("Meta", (), meta_attrs)}
        for name, spec in ms.fields.items():
            target = _target_key(spec)
            if target is not None:
                if target == ms.key:
                    spec = spec.replace(to="self")
                else:
                    spec = spec.replace(to=self._models[target])
            attrs[name] = spec.build()
        return type(ms.name, (Model,), attrs)


def _target_key(spec: FieldSpec) -> tuple[str, str] | None:
    label = spec.related_label
    if label is None:
        return None
    app, _, name = label.partition(".")
    return (app, name)
