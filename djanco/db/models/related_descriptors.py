"""Descriptors for the reverse side of relations: `author.articles` and `user.profile`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from djanco.db.models.manager import Manager
from djanco.db.models.query import QuerySet
from djanco.db.utils import SynchronousOnlyOperation

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
        cache = getattr(self.instance, "_prefetched_objects_cache", None)
        if cache is not None and self.rel.accessor_name in cache:
            return cache[self.rel.accessor_name]  # type: ignore[no-any-return]
        field = self.rel.field
        qs: QuerySet[_M] = QuerySet(self.model, using=self._db)
        return qs.filter(**{field.attname: self._key()})

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

    def _check_objs(self, objs: tuple[_M, ...]) -> list[object]:
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model.__name__}' instance expected, got {obj!r}")
            if obj.pk is None:
                raise ValueError(
                    f"{obj!r} instance isn't saved. Use bulk=False or save the object first."
                )
        return [obj.pk for obj in objs]

    def add(self, *objs: _M, bulk: bool = True) -> None:
        """Point each object's foreign key at the instance (one UPDATE; `bulk=False` saves each)."""
        if not bulk:
            self._key()
            for obj in objs:
                setattr(obj, self.rel.field.name, self.instance)
                obj.save()
            return
        pks = self._check_objs(objs)
        self._base().filter(pk__in=pks).update(**{self.rel.field.name: self.instance})
        self._set_local(objs, self.instance)

    async def aadd(self, *objs: _M, bulk: bool = True) -> None:
        if not bulk:
            self._key()
            for obj in objs:
                setattr(obj, self.rel.field.name, self.instance)
                await obj.asave()
            return
        pks = self._check_objs(objs)
        await self._base().filter(pk__in=pks).aupdate(**{self.rel.field.name: self.instance})
        self._set_local(objs, self.instance)

    def set(self, objs: Iterable[_M], *, bulk: bool = True, clear: bool = False) -> None:
        """Make `objs` the related set: others are detached (null=True keys) and new ones added."""
        self._key()
        new = tuple(objs)
        if not self.rel.field.null:
            self.add(*new, bulk=bulk)
            return
        from djanco.db.transaction import atomic

        with atomic(using=self._db, savepoint=False):
            if clear:
                self.clear()
                self.add(*new, bulk=bulk)
                return
            old = set(self.get_queryset())
            added = [obj for obj in new if obj not in old]
            keep = set(new)
            self.remove(*(obj for obj in old if obj not in keep))
            self.add(*added, bulk=bulk)

    async def aset(self, objs: Iterable[_M], *, bulk: bool = True, clear: bool = False) -> None:
        self._key()
        new = tuple(objs)
        if not self.rel.field.null:
            await self.aadd(*new, bulk=bulk)
            return
        from djanco.db.transaction import atomic

        async with atomic(using=self._db, savepoint=False):
            if clear:
                await self.aclear()
                await self.aadd(*new, bulk=bulk)
                return
            old = {obj async for obj in self.get_queryset()}
            added = [obj for obj in new if obj not in old]
            keep = set(new)
            await self.aremove(*(obj for obj in old if obj not in keep))
            await self.aadd(*added, bulk=bulk)

    def _set_local(self, objs: tuple[_M, ...], value: Model | None) -> None:
        field = self.rel.field
        for obj in objs:
            obj.__dict__[field.attname] = None if value is None else self._key()
            obj._state.fields_cache[field.name] = value

    def _base(self) -> QuerySet[_M]:
        return QuerySet(self.model, using=self._db)

    def _check_nullable(self) -> None:
        if not self.rel.field.null:
            raise AttributeError(
                f"remove(), clear() and set() need {self.model.__name__}.{self.rel.field.name} "
                "to be null=True."
            )

    def remove(self, *objs: _M, bulk: bool = True) -> None:
        self._check_nullable()
        pks = self._check_objs(objs)
        self.get_queryset().filter(pk__in=pks).update(**{self.rel.field.name: None})
        self._set_local(objs, None)

    async def aremove(self, *objs: _M, bulk: bool = True) -> None:
        self._check_nullable()
        pks = self._check_objs(objs)
        await self.get_queryset().filter(pk__in=pks).aupdate(**{self.rel.field.name: None})
        self._set_local(objs, None)

    def clear(self, *, bulk: bool = True) -> None:
        self._check_nullable()
        self.get_queryset().update(**{self.rel.field.name: None})

    async def aclear(self, *, bulk: bool = True) -> None:
        self._check_nullable()
        await self.get_queryset().aupdate(**{self.rel.field.name: None})


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
        from djanco.db.models.fields.related import related_does_not_exist

        return related_does_not_exist(self.rel.related_model)
