"""`Model._meta`: the Options object describing a model's table, fields and relations."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.apps import apps
from djanco.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from djanco.db.models.fields.base import NOT_PROVIDED, Field
from djanco.db.models.fields.numeric import AutoField

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.fields.related import ForeignObjectRel
    from djanco.db.models.manager import Manager

metadata = sa.MetaData()
"""The SQLAlchemy MetaData holding every model's Table (for create-from-metadata)."""

_META_NAMES = {
    "abstract",
    "app_label",
    "db_table",
    "ordering",
    "unique_together",
    "indexes",
    "constraints",
    "verbose_name",
    "verbose_name_plural",
    "default_related_name",
    "managed",
    "get_latest_by",
}


class Options:
    """What Django exposes as `Model._meta`."""

    def __init__(self, meta: type | None, model: type[Model]) -> None:
        self.model = model
        self.meta = meta
        self.object_name = model.__name__
        self.model_name = model.__name__.lower()
        # Meta may subclass an abstract parent's Meta: read inherited options too, but
        # `abstract` only from the class itself (a child of an abstract model is concrete).
        attrs = {k: getattr(meta, k) for k in dir(meta) if not k.startswith("_")} if meta else {}
        attrs.pop("abstract", None)
        if meta is not None and "abstract" in vars(meta):
            attrs["abstract"] = vars(meta)["abstract"]
        unknown = set(attrs) - _META_NAMES
        if unknown:
            raise TypeError(
                f"{model.__qualname__}.Meta has invalid attribute(s): {', '.join(sorted(unknown))}."
                f" Valid: {', '.join(sorted(_META_NAMES))}."
            )
        self.abstract: bool = attrs.get("abstract", False)
        self._app_label: str | None = attrs.get("app_label")
        self._db_table: str | None = attrs.get("db_table")
        self.db_table_factory: Callable[[], str] | None = None  # automatic M2M tables
        self.auto_created = False
        self.ordering: list[str] = list(attrs.get("ordering", []))
        ut = attrs.get("unique_together", ())
        if ut and isinstance(ut[0], str):
            ut = (ut,)
        self.unique_together: list[tuple[str, ...]] = [tuple(names) for names in ut]
        self.indexes: list[object] = list(attrs.get("indexes", []))
        self.constraints: list[object] = list(attrs.get("constraints", []))
        self.verbose_name: str = attrs.get("verbose_name") or _camel_to_words(model.__name__)
        self.verbose_name_plural: str = attrs.get("verbose_name_plural") or (
            self.verbose_name + "s"
        )
        self.default_related_name: str | None = attrs.get("default_related_name")
        self.managed: bool = attrs.get("managed", True)
        self.get_latest_by: str | None = attrs.get("get_latest_by")
        self.local_fields: list[Field[Any]] = []
        self.related_objects: list[ForeignObjectRel] = []
        self.pk: Field[Any] | None = None
        self._by_name: dict[str, Field[Any]] = {}
        self._table: sa.Table | None = None
        self.base_manager: Manager[Any]
        self.managers: list[Manager[Any]] = []  # in declaration order
        self.lookup_cache: dict[object, object] = {}
        """Per-model cache of resolved lookup paths, filled by the query layer."""

    # --- fields -------------------------------------------------------------------------------

    def add_field(self, field: Field[Any]) -> None:
        if field.name in self._by_name:
            raise FieldError(
                f"{self.object_name} declares the field '{field.name}' more than once."
            )
        self.local_fields.append(field)
        self.local_fields.sort(key=lambda f: f.creation_counter)
        self._by_name[field.name] = field
        if field.attname != field.name:
            self._by_name.setdefault(field.attname, field)
        if field.primary_key:
            if self.pk is not None:
                raise FieldError(f"{self.object_name} has more than one primary key.")
            self.pk = field

    def finalize(self) -> None:
        """Called once the class body's fields are in place: precompute per-instance plans."""
        concrete = [f for f in self.local_fields if f.concrete]
        self._concrete = concrete
        self.attnames: tuple[str, ...] = tuple(f.attname for f in concrete)
        # Model.__init__: static defaults copied in one go, callable ones called per instance,
        # and each accepted keyword (field name or attname) → (attname, needs the descriptor).
        self.init_defaults: dict[str, object] = {}
        self.init_factories: list[tuple[str, str, Field[Any]]] = []
        self.init_keywords: dict[str, tuple[str, bool]] = {}
        for f in concrete:
            setter = bool(getattr(f, "has_setter", False))
            self.init_keywords[f.name] = (f.attname, setter)
            if f.attname != f.name:
                self.init_keywords[f.attname] = (f.attname, False)
            default = f.default
            if default is NOT_PROVIDED or not callable(default):
                self.init_defaults[f.attname] = f.get_default()
            else:
                self.init_factories.append((f.name, f.attname, f))
        pk = self.pk
        self.auto_pk = pk if isinstance(pk, AutoField) else None
        self.insert_fields_all = tuple(concrete)
        self.insert_fields_auto = tuple(f for f in concrete if f is not self.auto_pk)
        self.relation_fields = tuple(f for f in concrete if f.is_relation)

    @property
    def many_to_many(self) -> list[Field[Any]]:
        return [f for f in self.local_fields if getattr(f, "many_to_many", False)]

    def add_related_object(self, rel: ForeignObjectRel) -> None:
        self.related_objects.append(rel)
        self.lookup_cache.clear()

    @property
    def fields(self) -> list[Field[Any]]:
        return self.local_fields

    @property
    def concrete_fields(self) -> list[Field[Any]]:
        concrete: list[Field[Any]] | None = self.__dict__.get("_concrete")
        if concrete is None:  # still building the class
            return [f for f in self.local_fields if f.concrete]
        return concrete

    @property
    def default_manager(self) -> Manager[Any]:
        """The first manager declared on the model (`objects` when none is)."""
        return self.managers[0] if self.managers else self.base_manager

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        return f"{self.app_label}.{self.model_name}"

    def get_field(self, name: str) -> Field[Any] | ForeignObjectRel:
        """The field (or reverse relation) called `name`; FieldDoesNotExist listing choices."""
        field = self._by_name.get(name)
        if field is not None:
            return field
        for rel in self.related_objects:
            if rel.query_name == name and not rel.hidden:
                return rel
        raise FieldDoesNotExist(
            f"{self.object_name} has no field named '{name}'."
            f"{_did_you_mean(name, self.field_choices())}"
            f" Choices are: {', '.join(self.field_choices())}."
        )

    def field_choices(self) -> list[str]:
        names = [f.name for f in self.local_fields]
        names += [rel.query_name for rel in self.related_objects if not rel.hidden]
        return sorted(names)

    def concrete_field_by_attname(self, attname: str) -> Field[Any] | None:
        field = self._by_name.get(attname)
        return field if field is not None and field.concrete else None

    # --- naming -------------------------------------------------------------------------------

    @property
    def app_label(self) -> str:
        if self._app_label is None:
            self._app_label = _containing_app_label(self.model)
        return self._app_label

    @property
    def db_table(self) -> str:
        if self._db_table is None:
            factory = self.db_table_factory
            self._db_table = factory() if factory else f"{self.app_label}_{self.model_name}"
        return self._db_table

    # --- SQLAlchemy ---------------------------------------------------------------------------

    @property
    def table(self) -> sa.Table:
        """The model's SQLAlchemy Core Table, built on first use on `options.metadata`."""
        if self._table is None:
            self._table = self._build_table()
        return self._table

    def _build_table(self) -> sa.Table:
        if self.abstract:
            raise TypeError(f"Abstract model {self.object_name} has no table.")
        name = self.db_table
        existing = metadata.tables.get(name)
        if existing is not None:
            metadata.remove(existing)  # a redefined model (tests) replaces its old table
        items: list[sa.schema.SchemaItem] = [f.sa_column() for f in self.concrete_fields]
        for names in self.unique_together:
            columns = [self._column_of(n) for n in names]
            items.append(sa.UniqueConstraint(*columns))
        table = sa.Table(name, metadata, *items)
        for item in [*self.indexes, *self.constraints]:
            sa_items = getattr(item, "sa_items", None)
            if sa_items is None:
                raise TypeError(f"{self.object_name}.Meta: {item!r} is not an index or constraint.")
            for element in sa_items(self.model, table):
                if not isinstance(element, sa.Index):  # indexes attach themselves
                    table.append_constraint(element)
        return table

    def _column_of(self, name: str) -> str:
        field = self.get_field(name)
        column: str | None = getattr(field, "column", None)
        if column is None:
            raise FieldError(f"{self.object_name}: '{name}' is not a concrete field.")
        return column

    def __repr__(self) -> str:
        return f"<Options for {self.object_name}>"


def _containing_app_label(model: type[Model]) -> str:
    try:
        config = apps.get_containing_app_config(model.__module__)
    except Exception:  # registry not ready: fall through to the error below
        config = None
    if config is None:
        raise ImproperlyConfigured(
            f"Model class {model.__module__}.{model.__qualname__} doesn't declare an explicit "
            "app_label and isn't in an application in INSTALLED_APPS."
        )
    return config.label


def _camel_to_words(name: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append(" ")
        out.append(ch.lower())
    return "".join(out)


def _did_you_mean(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""
