"""Descriptors for the reverse side of relations: `author.articles` and `user.profile`.

The related manager's edits are written once, as flows of steps (``djanco.utils.flow``) that
``add()`` runs and ``aadd()`` awaits (likewise remove, clear, set).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from djanco.db.models.fields.related import related_does_not_exist
from djanco.db.models.manager import Manager
from djanco.db.models.persistence import update_query
from djanco.db.models.query import QuerySet
from djanco.db.models.sql.query import Query
from djanco.db.models.state import PREFETCHED
from djanco.db.models.steps import Save
from djanco.db.transaction import atomic_flow
from djanco.db.utils import SynchronousOnlyOperation
from djanco.utils.flow import Flow, arun, run

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.fields.related import ForeignObjectRel, _RelatedDNE

_M = TypeVar("_M", bound="Model")


class RelatedManager(Manager[_M]):
    """The objects whose foreign key points at one instance (`author.articles`).

    Declare it on the target model for typing: `articles: RelatedManager["Article"]`.
    """

    instance: Model
    rel: ForeignObjectRel

    @classmethod
    def _bound(cls, rel: ForeignObjectRel, instance: Model) -> RelatedManager[Any]:
        manager: RelatedManager[Any] = cls()
        manager.model = rel.related_model
        manager.rel = rel
        manager.instance = instance
        manager.name = rel.accessor_name
        manager._db = instance._state.db
        return manager

    def _key(self) -> object:
        target = self.rel.field.target_field().attname
        value = self.instance.__dict__.get(target)
        if value is None:
            raise ValueError(
                f"'{type(self.instance).__name__}' instance needs to have a primary key value "
                "before this relationship can be used."
            )
        return value

    def get_queryset(self) -> QuerySet[_M]:
        qs: QuerySet[_M] = QuerySet(self.model, using=self._db)
        qs = qs.filter(**{self.rel.field.attname: self._key()})
        prefetched = self.instance.__dict__.get(PREFETCHED)
        if prefetched is not None and self.rel.accessor_name in prefetched:
            qs._result_cache = prefetched[self.rel.accessor_name]
        return qs

    def _prepare(self, kwargs: dict[str, object]) -> dict[str, object]:
        self._key()
        kwargs[self.rel.field.name] = self.instance
        return kwargs

    def create(self, **kwargs: object) -> _M:
        return super().create(**self._prepare(dict(kwargs)))

    async def acreate(self, **kwargs: object) -> _M:
        return await super().acreate(**self._prepare(dict(kwargs)))

    def get_or_create(self, defaults: Any = None, **kwargs: object) -> tuple[_M, bool]:
        return super().get_or_create(defaults, **self._prepare(dict(kwargs)))

    async def aget_or_create(self, defaults: Any = None, **kwargs: object) -> tuple[_M, bool]:
        return await super().aget_or_create(defaults, **self._prepare(dict(kwargs)))

    def _check_objs(self, objs: Iterable[_M]) -> list[object]:
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model.__name__}' instance expected, got {obj!r}")
            if obj.pk is None:
                raise ValueError(
                    f"{obj!r} instance isn't saved. Use bulk=False or save the object first."
                )
        return [obj.pk for obj in objs]

    def _point(self, objs: tuple[_M, ...], value: Model | None) -> Flow[None]:
        """Point the foreign key of `objs` at `value` (the instance, or None) with one UPDATE."""
        field = self.rel.field
        conditions: dict[str, object] = {}
        if value is None:  # only the objects pointing at the instance are detached
            conditions[field.attname] = self._key()
        conditions["pk__in"] = self._check_objs(objs)
        query = Query(self.model).add_conditions(conditions)
        yield from update_query(query, {field.name: value}, self._db)
        for obj in objs:
            obj.__dict__[field.attname] = None if value is None else self._key()
            obj._state.fields_cache[field.name] = value

    def add(self, *objs: _M, bulk: bool = True) -> None:
        """Point each object's foreign key at the instance (one UPDATE; `bulk=False` saves each)."""
        run(self._add(objs, bulk))

    async def aadd(self, *objs: _M, bulk: bool = True) -> None:
        await arun(self._add(objs, bulk))

    def _add(self, objs: tuple[_M, ...], bulk: bool) -> Flow[None]:
        if bulk:
            yield from self._point(objs, self.instance)
            return
        self._key()
        for obj in objs:
            setattr(obj, self.rel.field.name, self.instance)
            yield Save(obj)

    def set(self, objs: Iterable[_M], *, bulk: bool = True, clear: bool = False) -> None:
        """Make `objs` the related set: others are detached (null=True keys) and new ones added."""
        run(self._set(objs, bulk, clear))

    async def aset(self, objs: Iterable[_M], *, bulk: bool = True, clear: bool = False) -> None:
        await arun(self._set(objs, bulk, clear))

    def _set(self, objs: Iterable[_M], bulk: bool, clear: bool) -> Flow[None]:
        self._key()
        new = tuple(objs)
        if not self.rel.field.null:
            yield from self._add(new, bulk)
            return
        yield from atomic_flow(self._replace(new, bulk, clear), self._db, savepoint=False)

    def _replace(self, new: tuple[_M, ...], bulk: bool, clear: bool) -> Flow[None]:
        if clear:
            yield from self._clear()
            yield from self._add(new, bulk)
            return
        old = set((yield from self.get_queryset()._results()))
        added = tuple(obj for obj in new if obj not in old)
        keep = set(new)
        yield from self._remove(tuple(obj for obj in old if obj not in keep))
        yield from self._add(added, bulk)

    def _check_nullable(self) -> None:
        if not self.rel.field.null:
            raise AttributeError(
                f"remove(), clear() and set() need {self.model.__name__}.{self.rel.field.name} "
                "to be null=True."
            )

    def remove(self, *objs: _M, bulk: bool = True) -> None:
        run(self._remove(objs))

    async def aremove(self, *objs: _M, bulk: bool = True) -> None:
        await arun(self._remove(objs))

    def _remove(self, objs: tuple[_M, ...]) -> Flow[None]:
        self._check_nullable()
        return self._point(objs, None)

    def clear(self, *, bulk: bool = True) -> None:
        run(self._clear())

    async def aclear(self, *, bulk: bool = True) -> None:
        await arun(self._clear())

    def _clear(self) -> Flow[int]:
        self._check_nullable()
        query = Query(self.model).add_conditions({self.rel.field.attname: self._key()})
        return update_query(query, {self.rel.field.name: None}, self._db)


class ReverseManyToOneDescriptor:
    """`author.articles`: a RelatedManager bound to the instance."""

    def __init__(self, rel: ForeignObjectRel) -> None:
        self.rel = rel

    def __get__(self, instance: Model | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return RelatedManager._bound(self.rel, instance)

    def __set__(self, instance: Model, value: object) -> None:
        raise TypeError(
            f"Direct assignment to the reverse side of a related set is prohibited. "
            f"Use {self.rel.accessor_name}.set() instead."
        )


class ReverseOneToOneDescriptor:
    """`user.profile`: the single object whose OneToOneField points at the instance."""

    def __init__(self, rel: ForeignObjectRel) -> None:
        self.rel = rel

    def __get__(self, instance: Model | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        cache = instance._state.fields_cache
        name = self.rel.accessor_name or ""
        if name in cache:
            obj = cache[name]
        else:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                pass
            else:
                raise SynchronousOnlyOperation(
                    f"{type(instance).__name__}.{name} is not loaded and loading it here would "
                    "block the event loop: use select_related() or prefetch_related()."
                )
            field = self.rel.field
            value = instance.__dict__.get(field.target_field().attname)
            obj = (
                QuerySet(self.rel.related_model, using=instance._state.db)
                .filter(**{field.attname: value})
                .first()
            )
            cache[name] = obj
        if obj is None:
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {name}.")
        return obj

    @property
    def RelatedObjectDoesNotExist(self) -> type[_RelatedDNE]:
        """`Author.profile.RelatedObjectDoesNotExist` (a subclass of `Profile.DoesNotExist`)."""
        return related_does_not_exist(self.rel.related_model)
