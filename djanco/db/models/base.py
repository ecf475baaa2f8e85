"""`Model` and its metaclass: fields become descriptors, `_meta` describes the table.

Relation fields live on a floor below `Model` and the managers: what they put on models
(reverse accessors, many-to-many managers, automatic join models) comes from the hooks this
module registers (`RelationHooks`)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from djanco.core.exceptions import (
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from djanco.db.models import deletion, persistence
from djanco.db.models.fields.base import Field
from djanco.db.models.fields.m2m import ManyToManyField, ManyToManyRel
from djanco.db.models.fields.numeric import BigAutoField
from djanco.db.models.fields.related import (
    ForeignKey,
    ForeignObjectRel,
    register_relation_hooks,
)
from djanco.db.models.m2m_manager import ManyRelatedManager, ManyToManyDescriptor
from djanco.db.models.manager import Manager, ManagerDescriptor
from djanco.db.models.options import Options
from djanco.db.models.registry import register_model
from djanco.db.models.related_descriptors import (
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from djanco.db.models.state import ModelState, StateDescriptor
from djanco.utils.flow import arun, run

if TYPE_CHECKING:
    from typing import Self

__all__ = ["Model", "ModelBase"]


class ModelBase(type):
    """Builds `_meta`, wires fields, adds the default `id` and the per-model exceptions."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> ModelBase:
        parents = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super().__new__(mcs, name, bases, attrs, **kwargs)
        meta = attrs.pop("Meta", None)
        contributable = {k: v for k, v in attrs.items() if _contributes(v)}
        plain = {k: v for k, v in attrs.items() if k not in contributable}
        cls: Any = super().__new__(mcs, name, bases, plain, **kwargs)
        if meta is None:
            meta = _inherited_meta(parents)
        opts = Options(meta, cls)
        cls._meta = opts
        for parent in parents:
            popts: Options | None = parent.__dict__.get("_meta")
            if popts is not None and not popts.abstract:
                raise TypeError(
                    f"{name} subclasses the concrete model {parent.__name__}: multi-table "
                    "inheritance is not supported yet; make the parent abstract."
                )
        for inherited_name, field in _abstract_fields(parents):
            if inherited_name not in contributable:
                field.clone().contribute_to_class(cls, inherited_name)
        for attr_name, value in sorted(contributable.items(), key=_creation_order):
            value.contribute_to_class(cls, attr_name)
        if opts.abstract:
            cls.Meta = meta  # children may subclass it: `class Meta(Base.Meta): ...`
            return cls  # type: ignore[no-any-return]
        if opts.pk is None:
            auto = BigAutoField(primary_key=True, verbose_name="ID")
            auto.auto_created = True
            auto.creation_counter = -1
            auto.contribute_to_class(cls, "id")
        module = attrs.get("__module__", cls.__module__)
        cls.DoesNotExist = _subclass_exception(
            "DoesNotExist", _parent_attr(parents, "DoesNotExist", ObjectDoesNotExist), module, cls
        )
        cls.MultipleObjectsReturned = _subclass_exception(
            "MultipleObjectsReturned",
            _parent_attr(parents, "MultipleObjectsReturned", MultipleObjectsReturned),
            module,
            cls,
        )
        for attr_name, manager in _abstract_managers(parents):
            if attr_name not in attrs:
                copy.copy(manager).contribute_to_class(cls, attr_name)
        if "objects" not in attrs and "objects" not in dict(_abstract_managers(parents)):
            default = Manager._for_model(cls)
            cls.objects = ManagerDescriptor(default)
            if not opts.managers:
                opts.managers.append(default)
        opts.base_manager = Manager._for_model(cls)
        opts.finalize()
        register_model(cls)
        return cls  # type: ignore[no-any-return]


def _contributes(value: object) -> bool:
    return hasattr(value, "contribute_to_class") and not isinstance(value, type)


def _creation_order(item: tuple[str, Any]) -> int:
    return int(getattr(item[1], "creation_counter", 0))


def _inherited_meta(parents: Sequence[type]) -> type | None:
    for parent in parents:
        popts: Options | None = getattr(parent, "_meta", None)
        if popts is not None and popts.abstract and popts.meta is not None:
            inherited = {k: v for k, v in vars(popts.meta).items() if not k.startswith("_")}
            inherited.pop("abstract", None)
            inherited.pop("db_table", None)
            return type("Meta", (), inherited)
    return None


def _abstract_fields(parents: Sequence[type]) -> list[tuple[str, Field[Any]]]:
    found: dict[str, Field[Any]] = {}
    for parent in reversed(parents):
        popts: Options | None = getattr(parent, "_meta", None)
        if popts is not None and popts.abstract:
            for field in popts.local_fields:
                found[field.name] = field
    return list(found.items())


def _abstract_managers(parents: Sequence[type]) -> list[tuple[str, Manager[Any]]]:
    found: list[tuple[str, Manager[Any]]] = []
    for parent in parents:
        popts: Options | None = getattr(parent, "_meta", None)
        if popts is None or not popts.abstract:
            continue
        for name, value in vars(parent).items():
            if isinstance(value, ManagerDescriptor) and value.manager is not None:
                found.append((name, value.manager))
    return found


def _parent_attr(parents: Sequence[type], name: str, default: type[Exception]) -> type[Exception]:
    for parent in parents:
        value = getattr(parent, name, None)
        popts: Options | None = getattr(parent, "_meta", None)
        if isinstance(value, type) and popts is not None and not popts.abstract:
            return value
    return default


def _subclass_exception(
    name: str, parent: type[Exception], module: str, model: type
) -> type[Exception]:
    return type(
        name, (parent,), {"__module__": module, "__qualname__": f"{model.__qualname__}.{name}"}
    )


class Model(metaclass=ModelBase):
    """Base class of every model: declare fields as class attributes, Django style."""

    _meta: ClassVar[Options]
    _state = StateDescriptor()  # made on first access: see StateDescriptor
    # Unannotated on purpose: a model may replace it with a custom Manager subclass.
    objects = ManagerDescriptor(None)
    DoesNotExist: ClassVar[type[ObjectDoesNotExist]] = ObjectDoesNotExist
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]] = MultipleObjectsReturned

    if TYPE_CHECKING:
        # Every model without an explicit primary key gets this BigAutoField.
        id: int

    def __init__(self, *args: object, **kwargs: object) -> None:
        opts = type(self)._meta
        if opts.abstract:
            raise TypeError(f"Abstract models cannot be instantiated: {type(self).__qualname__}.")
        if args:
            kwargs = _positional(opts, args, kwargs)
        d = self.__dict__
        d.update(opts.init_defaults)
        for name, attname, field in opts.init_factories:
            if name not in kwargs and attname not in kwargs:
                d[attname] = field.get_default()
        if kwargs:
            keywords = opts.init_keywords
            for key, value in kwargs.items():
                entry = keywords.get(key)
                if entry is None:
                    self._unknown_keywords(kwargs)
                elif entry[1]:  # a related object: its descriptor caches it in the state
                    if "_state" not in d:  # make it here, without the lazy lookups
                        d["_state"] = state = _new_state(ModelState)
                        state.fields_cache = {}
                    setattr(self, key, value)
                else:
                    d[entry[0]] = value

    def _unknown_keywords(self, kwargs: dict[str, object]) -> None:
        opts = self._meta
        unknown = ", ".join(repr(k) for k in kwargs if k not in opts.init_keywords)
        valid = ", ".join(f.name for f in opts.fields)
        raise TypeError(
            f"{type(self).__qualname__}() got unexpected keyword argument(s) {unknown}. "
            f"Its fields are: {valid}."
        )

    @classmethod
    def from_db(cls, db: str | None, field_names: Iterable[str], values: Iterable[object]) -> Self:
        """Build an instance from a database row (no defaults, no validation)."""
        obj = cls.__new__(cls)
        obj.__dict__.update(zip(field_names, values, strict=True))
        obj.__dict__["_state"] = ModelState(db, adding=False)
        return obj

    # --- identity ---------------------------------------------------------------------------

    @property
    def pk(self) -> Any:  # the primary key's type depends on the model
        """The primary key value (whatever the primary key field is called)."""
        pk = self._meta.pk
        assert pk is not None
        return self.__dict__.get(pk.attname)

    @pk.setter
    def pk(self, value: object) -> None:
        pk = self._meta.pk
        assert pk is not None
        self.__dict__[pk.attname] = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if type(self) is not type(other):
            return False
        pk = self.pk
        if pk is None:
            return self is other
        return bool(pk == other.pk)

    def __hash__(self) -> int:
        pk = self.pk
        if pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(pk)

    def __str__(self) -> str:
        return f"{type(self).__name__} object ({self.pk})"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __reduce__(self) -> tuple[object, ...]:
        return (_unpickle, (type(self),), self.__getstate__())

    def __getstate__(self) -> dict[str, object]:
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    # --- persistence (flows in persistence.py and deletion.py, run sync or async) ---------

    def save(
        self,
        *,
        force_insert: bool = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Insert the row if the instance is new, else update it (only `update_fields`)."""
        run(persistence.save(self, force_insert, force_update, using, update_fields))

    async def asave(
        self,
        *,
        force_insert: bool = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Async form of `save()`."""
        await arun(persistence.save(self, force_insert, force_update, using, update_fields))

    def delete(self, using: str | None = None) -> tuple[int, dict[str, int]]:
        """Delete the row (and, per `on_delete`, related rows): (total, {model label: count})."""
        return run(deletion.delete_objects([self], using or self._state.db))

    async def adelete(self, using: str | None = None) -> tuple[int, dict[str, int]]:
        """Async form of `delete()`."""
        return await arun(deletion.delete_objects([self], using or self._state.db))

    def get_deferred_fields(self) -> set[str]:
        """The attnames of the concrete fields not loaded (deferred by only()/defer())."""
        d = self.__dict__
        return {f.attname for f in self._meta.concrete_fields if f.attname not in d}

    def refresh_from_db(
        self, using: str | None = None, fields: Iterable[str] | None = None
    ) -> None:
        """Reload field values from the database (all, or only `fields`)."""
        run(persistence.refresh(self, using, fields))

    async def arefresh_from_db(
        self, using: str | None = None, fields: Iterable[str] | None = None
    ) -> None:
        """Async form of `refresh_from_db()`."""
        await arun(persistence.refresh(self, using, fields))

    # --- validation -------------------------------------------------------------------------

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        """Clean every field's value; ValidationError with a dict of field -> messages."""
        excluded = set(exclude or ())
        errors: dict[str, list[str]] = {}
        for field in self._meta.fields:
            if field.name in excluded:
                continue
            raw = self.__dict__.get(field.attname)
            if field.blank and raw in (None, ""):
                continue
            try:
                cleaned = field.clean(raw, self)
            except ValidationError as exc:
                errors[field.name] = exc.messages
            else:
                if not field.is_relation:
                    self.__dict__[field.attname] = cleaned
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        """Model-wide validation hook; raise ValidationError to report a problem."""

    def validate_unique(self, exclude: Iterable[str] | None = None) -> None:
        """Check `unique` fields and `unique_together` against the database."""
        errors = run(persistence.unique_errors(self, set(exclude or ())))
        if errors:
            raise ValidationError(errors)

    def full_clean(
        self, exclude: Iterable[str] | None = None, validate_unique: bool = True
    ) -> None:
        """`clean_fields()`, `clean()` and `validate_unique()`, collecting every error."""
        excluded = set(exclude or ())
        errors: dict[str, list[str]] = {}
        try:
            self.clean_fields(excluded)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        try:
            self.clean()
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
        if validate_unique:
            try:
                self.validate_unique(excluded | set(errors))
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    errors.setdefault(key, []).extend(msgs)
        if errors:
            raise ValidationError(errors)

    def serializable_value(self, field_name: str) -> object:
        try:
            field = self._meta.get_field(field_name)
        except Exception:
            raise FieldError(f"{type(self).__name__} has no field {field_name!r}") from None
        return self.__dict__.get(getattr(field, "attname", field_name))


_new_state = object.__new__


def _positional(
    opts: Options, args: tuple[object, ...], kwargs: dict[str, object]
) -> dict[str, object]:
    """Positional values fill the concrete fields in order (by attname), as in Django."""
    fields = opts.concrete_fields
    if len(args) > len(fields):
        raise IndexError("Number of args exceeds number of fields")
    merged = dict(kwargs)
    for field, value in zip(fields, args, strict=False):
        if field.name in kwargs or field.attname in kwargs:
            raise TypeError(
                f"{opts.object_name}() got both positional and keyword arguments "
                f"for field '{field.name}'."
            )
        merged[field.attname] = value
    return merged


def _unpickle(cls: type[Model]) -> Model:
    return cls.__new__(cls)


class _RelationHooks:
    """What relation fields get from this floor (see `RelationHooks`)."""

    def reverse_accessor(self, rel: ForeignObjectRel) -> object:
        if isinstance(rel, ManyToManyRel):
            return ManyToManyDescriptor(rel.m2m, reverse=True)
        if rel.one_to_one:
            return ReverseOneToOneDescriptor(rel)
        return ReverseManyToOneDescriptor(rel)

    def many_related_manager(self, field: ManyToManyField[Any], instance: Model) -> object:
        return ManyRelatedManager._bound(field, instance, reverse=False)

    def through_model(self, field: ManyToManyField[Any], target: type[Model]) -> type[Model]:
        """`<Source>_<field>`: a foreign key to each side, unique together (the names are
        `from_<model>`/`to_<model>` when the relation is to the same model)."""
        source = field.model
        from_name = source._meta.model_name
        to_name = target._meta.model_name
        if source is target:
            from_name, to_name = f"from_{from_name}", f"to_{to_name}"
        hidden = f"{source.__name__}_{field.name}+"
        meta_attrs: dict[str, object] = {"unique_together": [(from_name, to_name)]}
        if source._meta._app_label is not None:
            meta_attrs["app_label"] = source._meta._app_label
        attrs: dict[str, object] = {
            "__module__": source.__module__,
            "__qualname__": f"{source.__qualname__}_{field.name}",
            from_name: ForeignKey(source, on_delete=deletion.CASCADE, related_name=hidden),
            to_name: ForeignKey(target, on_delete=deletion.CASCADE, related_name=hidden),
            "Meta": type("Meta", (), meta_attrs),
        }
        through: type[Model] = type(f"{source.__name__}_{field.name}", (Model,), attrs)
        opts = through._meta
        opts.auto_created = True
        explicit = field.db_table
        opts.db_table_factory = lambda: explicit or f"{source._meta.db_table}_{field.name}"
        return through


register_relation_hooks(_RelationHooks())
