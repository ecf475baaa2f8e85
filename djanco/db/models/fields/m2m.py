"""ManyToManyField: a join table (automatic or `through=`) and managers on both sides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from djanco.core.exceptions import FieldError
from djanco.db.models.fields.base import Field
from djanco.db.models.fields.related import ForeignKey, ForeignObjectRel, relation_hooks
from djanco.db.models.registry import lazy_related, resolve_pending

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.m2m_manager import ManyRelatedManager  # noqa: F401 - the base class

_M = TypeVar("_M", bound="Model")


# Generic[_M] too: the manager is named in a string (it lives above the fields), where the
# runtime does not see the type variable, and migration files subscript the field.
class ManyToManyField(Field["ManyRelatedManager[_M]"], Generic[_M]):
    """Many-to-many: `article.tags` is a manager (`add`, `remove`, `set`, `clear`, queries).

    For a model named by string, annotate: `tags: ManyToManyField[Tag] = ManyToManyField("Tag")`.
    The reverse side is typed by declaring `articles: ManyRelatedManager["Article"]` on it.
    """

    is_relation = True
    many_to_many = True
    concrete = False
    description = "Many-to-many relationship"

    @overload
    def __init__(
        self: ManyToManyField[_M],
        to: type[_M],
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        through: type[Model] | str | None = None,
        symmetrical: bool | None = None,
        db_table: str | None = None,
        blank: bool = False,
        verbose_name: str | None = None,
        help_text: str = "",
    ) -> None: ...
    @overload
    def __init__(
        self,
        to: str,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        through: type[Model] | str | None = None,
        symmetrical: bool | None = None,
        db_table: str | None = None,
        blank: bool = False,
        verbose_name: str | None = None,
        help_text: str = "",
    ) -> None: ...
    def __init__(
        self,
        to: type[Model] | str,
        *,
        related_name: str | None = None,
        related_query_name: str | None = None,
        through: type[Model] | str | None = None,
        symmetrical: bool | None = None,
        db_table: str | None = None,
        blank: bool = False,
        verbose_name: str | None = None,
        help_text: str = "",
    ) -> None:
        super().__init__(blank=blank, verbose_name=verbose_name, help_text=help_text)
        self.to = to
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.through_ref = through
        # As Django: a relation to "self" is symmetrical unless told otherwise.
        self.symmetrical = (to == "self") if symmetrical is None else symmetrical
        self.db_table = db_table
        self._related_model: type[Model] | None = None
        self._through: type[Model] | None = None
        self.from_fk: ForeignKey[Any] | None = None  # through → this model
        self.to_fk: ForeignKey[Any] | None = None  # through → the related model
        self.remote_field: ManyToManyRel | None = None

    def get_default(self) -> object:
        return None

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        if not cls._meta.abstract:
            lazy_related(self.to, cls, self._target_resolved)

    def _target_resolved(self, target: type[Model]) -> None:
        self._related_model = target
        if self.through_ref is None:
            self._set_through(relation_hooks().through_model(self, target))
        else:
            lazy_related(self.through_ref, self.model, self._set_through)

    def _set_through(self, through: type[Model]) -> None:
        target = self._related_model
        assert target is not None
        self._through = through
        fks: list[Any] = [f for f in through._meta.concrete_fields if f.is_relation]
        source_fks = [f for f in fks if f.related_model is self.model]
        target_fks = [f for f in fks if f.related_model is target]
        if self.model is target:  # self-referential: first key is "from", second "to"
            source_fks, target_fks = source_fks[:1], source_fks[1:2]
        if len(source_fks) != 1 or len(target_fks) != 1:
            raise FieldError(
                f"{self.model.__name__}.{self.name}: the through model {through.__name__} needs "
                f"exactly one ForeignKey to {self.model.__name__} and one to {target.__name__}."
            )
        self.from_fk, self.to_fk = source_fks[0], target_fks[0]
        rel = ManyToManyRel(self, target)
        self.remote_field = rel
        target._meta.add_related_object(rel)
        accessor = rel.accessor_name
        if accessor is not None:
            setattr(target, accessor, relation_hooks().reverse_accessor(rel))

    @property
    def related_model(self) -> type[Model]:
        if self._related_model is None or self._through is None:
            resolve_pending()
        if self._related_model is None:
            raise FieldError(
                f"{self.model.__qualname__}.{self.name} refers to {self.to!r}, which is not a "
                "known model (is its module imported and its app installed?)."
            )
        return self._related_model

    @property
    def through(self) -> type[Model]:
        """The join model (automatic, or the `through=` model)."""
        self.related_model  # noqa: B018 - resolves pending references
        if self._through is None:
            raise FieldError(f"{self.model.__qualname__}.{self.name}: through model not resolved.")
        return self._through

    if not TYPE_CHECKING:

        def __get__(self, instance, owner):
            if instance is None:
                return self
            return relation_hooks().many_related_manager(self, instance)

        def __set__(self, instance, value):
            raise TypeError(
                "Direct assignment to the forward side of a many-to-many set is prohibited. "
                f"Use {self.name}.set() instead."
            )


class ManyToManyRel(ForeignObjectRel):
    """The reverse side of a ManyToManyField, on the related model."""

    many_to_many = True

    def __init__(self, field: ManyToManyField[Any], model: type[Model]) -> None:
        self.m2m = field
        self.field = field  # type: ignore[assignment]
        self.model = model
        self.related_model = field.model

    @property
    def hidden(self) -> bool:
        return (self.m2m.related_name or "").endswith("+")

    def _default_accessor(self) -> str:
        return f"{self.related_model._meta.model_name}_set"
