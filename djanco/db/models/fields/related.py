"""ForeignKey and OneToOneField, their reverse relations, and the hooks through which
relations get managers and join models from the floors above."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypeVar, overload

import sqlalchemy as sa
from typing_extensions import Unpack

from djanco.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from djanco.db.models.fields.base import NOT_PROVIDED, Converter, Field, FieldOptions
from djanco.db.models.registry import lazy_related, resolve_pending
from djanco.db.models.state import is_model_instance
from djanco.db.utils import SynchronousOnlyOperation

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.base import Model
    from djanco.db.models.deletion import OnDelete
    from djanco.db.models.fields.m2m import ManyToManyField

_T = TypeVar("_T")
_M = TypeVar("_M", bound="Model")

# --- what relations need from the floors above the fields ----------------------------------


class RelationHooks(Protocol):
    """What relation fields put on models is made of managers and of `Model` itself, a floor
    above the fields: `djanco.db.models.base` registers these hooks as it is imported, before
    any model class exists (`register_relation_hooks()`)."""

    def reverse_accessor(self, rel: ForeignObjectRel) -> object:
        """The descriptor of `rel`'s accessor on the related model (`author.article_set`,
        `user.profile`, `tag.article_set`)."""
        ...

    def many_related_manager(self, field: ManyToManyField[Any], instance: Model) -> object:
        """`article.tags`: the manager of the objects related to `instance`."""
        ...

    def through_model(self, field: ManyToManyField[Any], target: type[Model]) -> type[Model]:
        """The join model made for a ManyToManyField declared without `through=`."""
        ...


_hooks: list[RelationHooks] = []


def register_relation_hooks(hooks: RelationHooks) -> None:
    _hooks[:] = [hooks]


def relation_hooks() -> RelationHooks:
    assert _hooks, "djanco.db.models.base registers the relation hooks when imported"
    return _hooks[0]


# --- forward relations ------------------------------------------------------------------------


class RelatedObjectDoesNotExist(ObjectDoesNotExist, AttributeError):
    """A non-null relation without a value, or a missing reverse one-to-one object."""


_RelatedDNE = RelatedObjectDoesNotExist
_related_dne: dict[type[Any], type[RelatedObjectDoesNotExist]] = {}


def related_does_not_exist(model: type[Model]) -> type[RelatedObjectDoesNotExist]:
    """The `RelatedObjectDoesNotExist` raised for a missing `model` instance.

    As in Django it is both `model.DoesNotExist` and `AttributeError` (and the generic
    `RelatedObjectDoesNotExist`), so `except Profile.DoesNotExist` catches `user.profile`.
    """
    cls = _related_dne.get(model)
    if cls is None:
        cls = type(
            "RelatedObjectDoesNotExist",
            (model.DoesNotExist, RelatedObjectDoesNotExist),
            {
                "__module__": model.__module__,
                "__qualname__": f"{model.__qualname__}.RelatedObjectDoesNotExist",
            },
        )
        _related_dne[model] = cls
    return cls


class ForeignKey(Field[_T]):
    """A many-to-one relation: the attribute is the related instance, `<name>_id` its key."""

    is_relation = True
    many_to_one = True
    has_setter = True
    empty_strings_allowed = False
    description = "Foreign Key"

    @overload
    def __init__(
        self: ForeignKey[_M],
        to: type[_M],
        on_delete: OnDelete,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        to_field: str | None = None,
        db_constraint: bool = True,
        null: Literal[False] = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: ForeignKey[_M | None],
        to: type[_M],
        on_delete: OnDelete,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        to_field: str | None = None,
        db_constraint: bool = True,
        null: Literal[True],
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self,
        to: str,
        on_delete: OnDelete,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        to_field: str | None = None,
        db_constraint: bool = True,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        to: type[Model] | str,
        on_delete: OnDelete,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        to_field: str | None = None,
        db_constraint: bool = True,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        if not callable(on_delete):
            raise TypeError("on_delete must be callable, e.g. models.CASCADE.")
        options.setdefault("db_index", True)
        super().__init__(null=null, default=default, **options)
        self.to = to
        self.on_delete = on_delete
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.to_field = to_field
        self.db_constraint = db_constraint
        self._related_model: type[Model] | None = None
        self.remote_field: ForeignObjectRel | None = None

    def get_attname(self) -> str:
        return f"{self.name}_id"

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        if not cls._meta.abstract:
            lazy_related(self.to, cls, self._resolved)

    def _resolved(self, target: type[Model]) -> None:
        self._related_model = target
        rel = self.rel_class(self, target)
        self.remote_field = rel
        target._meta.add_related_object(rel)
        accessor = rel.accessor_name
        if accessor is not None:
            setattr(target, accessor, relation_hooks().reverse_accessor(rel))

    @property
    def related_model(self) -> type[Model]:
        model = self._related_model
        if model is None:
            resolve_pending()
            model = self._related_model
            if model is None:
                raise FieldError(
                    f"{self.model.__qualname__}.{self.name} refers to {self.to!r}, which is not "
                    "a known model (is its module imported and its app installed?)."
                )
        return model

    def target_field(self) -> Field[Any]:
        """The field on the related model the key refers to (its primary key by default)."""
        target: Field[Any] | None = self.__dict__.get("_target")
        if target is None:
            opts = self.related_model._meta
            if self.to_field is not None:
                found = opts.get_field(self.to_field)
                assert isinstance(found, Field)
                target = found
            else:
                assert opts.pk is not None
                target = opts.pk
            self.__dict__["_target"] = target
        return target

    def get_passthrough_types(self) -> frozenset[type]:
        return self.target_field().get_passthrough_types()

    # --- the descriptor ---------------------------------------------------------------------

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: type[object]) -> Self: ...
        @overload
        def __get__(self, instance: Model, owner: type[object]) -> _T: ...
        def __get__(self, instance: Model | None, owner: type[object]) -> Self | _T: ...
        def __set__(self, instance: Model, value: _T) -> None: ...

    else:

        def __get__(self, instance, owner):
            if instance is None:
                return self
            cache = instance._state.fields_cache
            name = self.name
            if name in cache:
                return cache[name]
            value = instance.__dict__.get(self.attname)
            if value is None:
                if self.null:
                    return None
                raise self._missing(instance)
            obj = self._load(instance, value)
            cache[name] = obj
            return obj

        def __set__(self, instance, value):
            d = instance.__dict__
            if value is None:
                d[self.attname] = None
            else:
                related = self._related_model or self.related_model
                if not isinstance(value, related):
                    raise ValueError(
                        f'Cannot assign "{value!r}": "{type(instance).__name__}.{self.name}" '
                        f'must be a "{related.__name__}" instance.'
                    )
                target = self.__dict__.get("_target") or self.target_field()
                d[self.attname] = value.__dict__.get(target.attname)
            instance._state.fields_cache[self.name] = value

    @property
    def RelatedObjectDoesNotExist(self) -> type[_RelatedDNE]:
        """`Article.author.RelatedObjectDoesNotExist` (a subclass of `Author.DoesNotExist`)."""
        return related_does_not_exist(self.related_model)

    def _missing(self, instance: Model) -> _RelatedDNE:
        return related_does_not_exist(self.related_model)(
            f"{type(instance).__name__} has no {self.name}."
        )

    def _load(self, instance: Model, value: object) -> Model:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise SynchronousOnlyOperation(
                f"{type(instance).__name__}.{self.name} is not loaded and loading it here would "
                f"block the event loop: use select_related({self.name!r}) or "
                f"prefetch_related({self.name!r}) on the queryset, or "
                f"`await {type(instance).__name__}.{self.name}.afetch(obj)`."
            )
        manager = self.related_model._meta.base_manager
        qs = manager.using(instance._state.db)
        obj: Model = qs.get(**{self.target_field().attname: value})
        return obj

    async def afetch(self, instance: Model) -> _T:
        """The related object, loading it with an async query if it is not cached yet."""
        cache = instance._state.fields_cache
        if self.name in cache:
            return cache[self.name]  # type: ignore[return-value]
        value = instance.__dict__.get(self.attname)
        if value is None:
            if self.null:
                return None  # type: ignore[return-value]
            raise self._missing(instance)
        manager = self.related_model._meta.base_manager
        target = self.target_field().attname
        obj: Any = await manager.using(instance._state.db).aget(**{target: value})
        cache[self.name] = obj
        return obj  # type: ignore[no-any-return]

    # --- values -----------------------------------------------------------------------------

    def get_prep_value(self, value: object) -> object:
        if is_model_instance(value):
            if not isinstance(value, self.related_model):
                raise ValueError(
                    f"Field '{self.name}' expected a {self.related_model.__name__} instance "
                    f"but got {value!r}."
                )
            value = value.__dict__.get(self.target_field().attname)
        if value is None:
            return None
        return self.target_field().get_prep_value(value)

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        value = self.get_prep_value(value)
        return None if value is None else self.target_field().get_db_prep_value(value, ops)

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        return self.target_field().db_converter(ops)

    def get_default(self) -> object:
        default = super().get_default()
        if is_model_instance(default):
            return default.pk  # type: ignore[attr-defined]
        return default

    def validate(self, value: object, instance: Model) -> None:
        if value is None and not self.null:
            raise ValidationError("This field cannot be null.", code="null")

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        target = self.target_field()
        sa_type = target.sa_type()
        if isinstance(target.sa_type(), sa.BigInteger | sa.Integer | sa.SmallInteger):
            # An auto-increment key's SQLite variant (INTEGER) is irrelevant for a reference.
            return sa.BigInteger() if "Big" in type(target).__name__ else sa.Integer()
        return sa_type

    def sa_column(self) -> sa.Column[Any]:
        target = self.target_field()
        args: list[Any] = [self.column, self.sa_type()]
        if self.db_constraint:
            related = self.related_model
            if related is not self.model:
                related._meta.table  # noqa: B018 - build the target table first
            args.append(sa.ForeignKey(f"{related._meta.db_table}.{target.column}"))
        return sa.Column(
            *args,
            primary_key=self.primary_key,
            nullable=self.null,
            unique=self.unique and not self.primary_key,
            index=self.db_index and not self.unique,
        )

    @property
    def rel_class(self) -> type[ForeignObjectRel]:
        return ManyToOneRel


class OneToOneField(ForeignKey[_T]):
    """A unique ForeignKey; the reverse side is a single object, not a manager."""

    one_to_one = True
    many_to_one = False
    description = "One-to-one relationship"

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        self.unique = True
        super().contribute_to_class(cls, name)

    @property
    def rel_class(self) -> type[ForeignObjectRel]:
        return OneToOneRel


# --- reverse relations ------------------------------------------------------------------------


class ForeignObjectRel:
    """The reverse side of a ForeignKey, registered on the target model's `_meta`."""

    is_relation = True
    auto_created = True  # made by the field on the other model, as in Django
    concrete = False
    multiple = True
    one_to_one = False
    many_to_many = False

    def __init__(self, field: ForeignKey[Any], model: type[Model]) -> None:
        self.field = field
        self.model = model  # the model the relation points to
        self.related_model: type[Model] = field.model  # the model holding the ForeignKey

    @property
    def name(self) -> str:
        return self.query_name

    @property
    def hidden(self) -> bool:
        return (self.field.related_name or "").endswith("+")

    @property
    def query_name(self) -> str:
        f = self.field
        return (
            f.related_query_name
            or (f.related_name if f.related_name and f.related_name != "+" else None)
            or self.related_model._meta.default_related_name
            or self.related_model._meta.model_name
        )

    @property
    def accessor_name(self) -> str | None:
        f = self.field
        if f.related_name == "+" or (f.related_name or "").endswith("+"):
            return None
        if f.related_name:
            return f.related_name
        default = self.related_model._meta.default_related_name
        if default:
            return default
        return self._default_accessor()

    def _default_accessor(self) -> str:
        return f"{self.related_model._meta.model_name}_set"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.related_model.__name__}.{self.field.name}>"


class ManyToOneRel(ForeignObjectRel):
    pass


class OneToOneRel(ForeignObjectRel):
    multiple = False
    one_to_one = True

    def _default_accessor(self) -> str:
        return self.related_model._meta.model_name
