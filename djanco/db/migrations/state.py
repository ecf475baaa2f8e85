"""Project state: every model as data, rebuilt by replaying operations (no database needed),
and ``StateApps``, the historical models of one point in history for RunPython and DDL."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from djanco.db.migrations.exceptions import InvalidModelError
from djanco.db.migrations.fieldspec import FieldSpec, deconstruct, deconstruct_m2m
from djanco.db.models import CheckConstraint, Index, Model, UniqueConstraint, registry
from djanco.db.models import options as options_module

# Meta options the state keeps (and CreateModel writes).
STATE_OPTIONS = ("db_table", "ordering", "unique_together", "verbose_name", "verbose_name_plural")


@dataclass(frozen=True)
class IndexSpec:
    """An index as data: its fields ("-name" for descending) and its name (None: automatic)."""

    fields: tuple[str, ...]
    name: str | None = None

    def build(self) -> Any:
        return Index(fields=list(self.fields), name=self.name)


@dataclass(frozen=True)
class ConstraintSpec:
    """A ``Meta.constraints`` entry as data: ``kind`` "unique" (``fields``, optional
    ``condition``) or "check" (``condition``), and its name."""

    kind: str
    name: str
    fields: tuple[str, ...] = ()
    condition: Any = None

    def build(self) -> Any:
        if self.kind == "check":
            return CheckConstraint(condition=self.condition, name=self.name)
        return UniqueConstraint(fields=list(self.fields), name=self.name, condition=self.condition)

    @classmethod
    def of(cls, constraint: Any) -> ConstraintSpec:
        if isinstance(constraint, ConstraintSpec):
            return constraint
        kind = type(constraint).__name__
        if kind == "UniqueConstraint":
            return cls("unique", constraint.name, tuple(constraint.fields), constraint.condition)
        if kind == "CheckConstraint":
            return cls("check", constraint.name, (), constraint.condition)
        raise InvalidModelError(f"Cannot migrate the constraint {constraint!r}.")


@dataclass
class ModelState:
    """One model: app label, name, fields (in order), Meta options and indexes."""

    app_label: str
    name: str
    fields: dict[str, FieldSpec]
    options: dict[str, Any] = field(default_factory=dict)
    indexes: list[IndexSpec] = field(default_factory=list)
    constraints: list[ConstraintSpec] = field(default_factory=list)

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
            list(self.constraints),
        )

    @classmethod
    def from_model(cls, model: type[Model]) -> ModelState:
        opts = model._meta
        label = opts.app_label
        fields: dict[str, FieldSpec] = {}
        for f in opts.local_fields:
            if f.concrete:
                fields[f.name] = deconstruct(f, app_label=label)
            elif getattr(f, "many_to_many", False):
                fields[f.name] = deconstruct_m2m(f, app_label=label)
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
        for name in ("verbose_name", "verbose_name_plural"):
            if opts.meta is not None and name in vars(opts.meta):
                options[name] = vars(opts.meta)[name]
        constraints = [ConstraintSpec.of(c) for c in opts.constraints]
        return cls(label, model.__name__, fields, options, indexes, constraints)


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
            opts = model._meta
            if not opts.abstract and opts.managed and not opts.auto_created:
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

    def join_table(self, app_label: str, model_name: str, field_name: str) -> sa.Table | None:
        """The automatic join table of a many-to-many field (None for a ``through=`` model)."""
        field: Any = self.get_model(app_label, model_name)._meta.get_field(field_name)
        through = field.through
        return through._meta.table if through._meta.auto_created else None

    def join_tables(self, app_label: str, model_name: str) -> dict[str, sa.Table]:
        """{field name: join table} of a model's automatic many-to-many fields."""
        found: dict[str, sa.Table] = {}
        for m2m in self.get_model(app_label, model_name)._meta.many_to_many:
            table = self.join_table(app_label, model_name, m2m.name)
            if table is not None:
                found[m2m.name] = table
        return found

    def _render(self, state: ProjectState) -> None:
        saved_metadata = options_module.metadata
        options_module.metadata = self.metadata
        try:
            with registry.scoped():  # these models are not the project's
                self._render_models(state)
        finally:
            options_module.metadata = saved_metadata

    def _render_models(self, state: ProjectState) -> None:
        pending = dict(state.models)
        while pending:
            ready = [
                key
                for key, m in pending.items()
                if all(
                    dep not in pending or dep == key
                    for dep in (
                        _target_key(spec)
                        for spec in m.fields.values()
                        if not (spec.is_m2m and not spec.auto_through)
                    )
                )
            ]
            if not ready:
                cycle = ", ".join(f"{a}.{m.name}" for (a, _), m in pending.items())
                raise InvalidModelError(f"Circular relations cannot be rendered yet: {cycle}.")
            for key in ready:
                self._models[key] = self._build(pending.pop(key))
        for key, ms in state.models.items():
            self._add_through_fields(self._models[key], ms)
        for model in self._models.values():
            model._meta.table  # noqa: B018 - built now, on this state's MetaData
            for m2m in model._meta.many_to_many:
                m2m.through._meta.table  # type: ignore[attr-defined]  # noqa: B018

    def _build(self, ms: ModelState) -> type[Model]:
        meta_attrs: dict[str, Any] = {"app_label": ms.app_label, "db_table": ms.db_table}
        for name in ("ordering", "unique_together", "verbose_name", "verbose_name_plural"):
            if name in ms.options:
                meta_attrs[name] = ms.options[name]
        meta_attrs["indexes"] = [index.build() for index in ms.indexes]
        meta_attrs["constraints"] = [constraint.build() for constraint in ms.constraints]
        attrs: dict[str, Any] = {"__module__": "__fake__", "Meta": type("Meta", (), meta_attrs)}
        for name, spec in ms.fields.items():
            if spec.is_m2m and not spec.auto_through:
                continue  # the through= model is rendered on its own; no schema of its own
            target = _target_key(spec)
            if target is not None:
                if target == ms.key:
                    spec = spec.replace(to="self")
                else:
                    spec = spec.replace(to=self._models[target])
            attrs[name] = spec.build()
        return type(ms.name, (Model,), attrs)

    def _add_through_fields(self, model: type[Model], ms: ModelState) -> None:
        """Many-to-many fields with ``through=``, added once every model exists: they point
        at this state's target and through models, not today's (skipped while the through
        model is not created yet)."""
        for name, spec in ms.fields.items():
            if not (spec.is_m2m and not spec.auto_through):
                continue
            target = _target_key(spec)
            through = _label_key(str(spec.kwargs["through"]))
            if through not in self._models or (target is not None and target not in self._models):
                continue  # created by a later operation: the field has no schema of its own
            changes: dict[str, Any] = {"through": self._models[through]}
            if target is not None:
                changes["to"] = model if target == ms.key else self._models[target]
            spec.replace(**changes).build().contribute_to_class(model, name)


def _label_key(label: str) -> tuple[str, str]:
    app, _, name = label.lower().partition(".")
    return (app, name)


def _target_key(spec: FieldSpec) -> tuple[str, str] | None:
    label = spec.related_label
    if label is None:
        return None
    app, _, name = label.partition(".")
    return (app, name)
