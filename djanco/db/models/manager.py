"""Managers: `Model.objects`, the entry point to querysets, typed `Manager[Model]`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from djanco.db.models.query import QuerySet, ValuesQuerySet
from djanco.db.models.raw import RawQuerySet
from djanco.utils.flow import arun, run

if TYPE_CHECKING:
    from djanco.db.models.aggregates import Aggregate
    from djanco.db.models.base import Model
    from djanco.db.models.expressions import Combinable, OrderBy
    from djanco.db.models.prefetch import Prefetch
    from djanco.db.models.query_utils import Q

_M = TypeVar("_M", bound="Model")


class ManagerDescriptor:
    """`Model.objects`: typed `Manager[M]` for each model class, unavailable on instances."""

    def __init__(self, manager: Manager[Any] | None) -> None:
        self.manager = manager

    def __get__(self, instance: None, owner: type[_M]) -> Manager[_M]:
        if instance is not None:
            raise AttributeError(f"Manager isn't accessible via {owner.__name__} instances")
        manager = self.manager
        if manager is None:
            raise AttributeError(
                f"Manager isn't available; {owner.__name__} is abstract or not a model"
            )
        return manager


class Manager(ManagerDescriptor, Generic[_M]):
    """Makes querysets for a model; proxies the QuerySet API (`Article.objects.filter(...)`).

    A custom manager subclasses `Manager["Article"]` and is assigned in the model body
    (`objects = PublishedManager()`); its own methods are then typed on `Article.objects`.
    """

    model: type[_M]

    def __init__(self) -> None:
        self.manager = self
        self.name: str | None = None
        self._db: str | None = None

    # Typed for instances too: reverse-relation managers are declared as annotations
    # (`articles: RelatedManager[Article]`) and read from instances.
    def __get__(self, instance: object, owner: type[Any]) -> Self:  # type: ignore[override]
        if instance is not None:
            raise AttributeError(f"Manager isn't accessible via {owner.__name__} instances")
        return self

    @classmethod
    def _for_model(cls, model: type[Model]) -> Manager[Any]:
        manager: Manager[Any] = cls()
        manager.model = model
        manager.name = "objects"
        return manager

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        self.model = cls  # type: ignore[assignment]
        self.name = name
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.managers.append(self)

    def __repr__(self) -> str:
        model = getattr(self, "model", None)
        return f"<{type(self).__name__}: {model.__name__ if model else '?'}.{self.name}>"

    def get_queryset(self) -> QuerySet[_M]:
        """The base queryset; override to change what a manager returns."""
        return QuerySet(self.model, using=self._db)

    def db_manager(self, using: str | None) -> Manager[_M]:
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._db = using
        return new

    # --- proxies (typed explicitly: no __getattr__) ------------------------------------------

    def all(self) -> QuerySet[_M]:
        return self.get_queryset()

    def raw(self, sql: str, params: Sequence[object] = ()) -> RawQuerySet[_M]:
        """Instances from hand-written SQL with `%s` placeholders bound to `params`."""
        return RawQuerySet(self.model, sql, params, using=self._db)

    def none(self) -> QuerySet[_M]:
        return self.get_queryset().none()

    def filter(self, *args: Q | Combinable, **kwargs: object) -> QuerySet[_M]:
        return self.get_queryset().filter(*args, **kwargs)

    def exclude(self, *args: Q | Combinable, **kwargs: object) -> QuerySet[_M]:
        return self.get_queryset().exclude(*args, **kwargs)

    def order_by(self, *fields: str | OrderBy) -> QuerySet[_M]:
        return self.get_queryset().order_by(*fields)

    def using(self, alias: str | None) -> QuerySet[_M]:
        return self.get_queryset().using(alias)

    def select_related(self, *fields: str | None) -> QuerySet[_M]:
        return self.get_queryset().select_related(*fields)

    def prefetch_related(self, *lookups: str | Prefetch | None) -> QuerySet[_M]:
        return self.get_queryset().prefetch_related(*lookups)

    def annotate(self, *args: Aggregate, **kwargs: object) -> QuerySet[_M]:
        return self.get_queryset().annotate(*args, **kwargs)

    def aggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        return self.get_queryset().aggregate(*args, **kwargs)

    async def aaggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        return await self.get_queryset().aaggregate(*args, **kwargs)

    def only(self, *fields: str) -> QuerySet[_M]:
        return self.get_queryset().only(*fields)

    def defer(self, *fields: str | None) -> QuerySet[_M]:
        return self.get_queryset().defer(*fields)

    def distinct(self) -> QuerySet[_M]:
        return self.get_queryset().distinct()

    def select_for_update(self, nowait: bool = False, skip_locked: bool = False) -> QuerySet[_M]:
        return self.get_queryset().select_for_update(nowait=nowait, skip_locked=skip_locked)

    def values(self, *fields: str, **expressions: object) -> ValuesQuerySet[_M, dict[str, Any]]:
        return self.get_queryset().values(*fields, **expressions)

    def contains(self, obj: _M) -> bool:
        return self.get_queryset().contains(obj)

    async def acontains(self, obj: _M) -> bool:
        return await self.get_queryset().acontains(obj)

    @overload
    def values_list(
        self, *fields: str, flat: Literal[True], named: Literal[False] = False
    ) -> ValuesQuerySet[_M, Any]: ...
    @overload
    def values_list(
        self, *fields: str, flat: Literal[False] = False, named: bool = False
    ) -> ValuesQuerySet[_M, tuple[Any, ...]]: ...
    def values_list(
        self, *fields: str, flat: bool = False, named: bool = False
    ) -> ValuesQuerySet[_M, Any]:
        return self.get_queryset().values_list(*fields, flat=flat, named=named)  # type: ignore[call-overload,no-any-return]

    def get(self, *args: Q | Combinable, **kwargs: object) -> _M:
        qs = self._get_clone(args, kwargs)
        return qs._one(run(qs._fetch()))

    async def aget(self, *args: Q | Combinable, **kwargs: object) -> _M:
        qs = self._get_clone(args, kwargs)
        return qs._one(await arun(qs._fetch()))

    def _get_clone(
        self, args: tuple[Q | Combinable, ...], kwargs: dict[str, object]
    ) -> QuerySet[_M]:
        qs = self.get_queryset()
        # A new queryset is the manager's to change; one holding results (prefetched) is not.
        return qs._get_clone(args, kwargs, fresh=qs._result_cache is None)

    def first(self) -> _M | None:
        return self.get_queryset().first()

    async def afirst(self) -> _M | None:
        return await self.get_queryset().afirst()

    def last(self) -> _M | None:
        return self.get_queryset().last()

    async def alast(self) -> _M | None:
        return await self.get_queryset().alast()

    def latest(self, *fields: str) -> _M:
        return self.get_queryset().latest(*fields)

    async def alatest(self, *fields: str) -> _M:
        return await self.get_queryset().alatest(*fields)

    def earliest(self, *fields: str) -> _M:
        return self.get_queryset().earliest(*fields)

    async def aearliest(self, *fields: str) -> _M:
        return await self.get_queryset().aearliest(*fields)

    def count(self) -> int:
        return self.get_queryset().count()

    async def acount(self) -> int:
        return await self.get_queryset().acount()

    def exists(self) -> bool:
        return self.get_queryset().exists()

    async def aexists(self) -> bool:
        return await self.get_queryset().aexists()

    def iterator(self, chunk_size: int | None = None) -> Iterator[_M]:
        return self.get_queryset().iterator(chunk_size)

    def aiterator(self, chunk_size: int | None = None) -> AsyncIterator[_M]:
        return self.get_queryset().aiterator(chunk_size)

    def in_bulk(
        self, id_list: Iterable[object] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _M]:
        return self.get_queryset().in_bulk(id_list, field_name=field_name)

    async def ain_bulk(
        self, id_list: Iterable[object] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _M]:
        return await self.get_queryset().ain_bulk(id_list, field_name=field_name)

    def create(self, **kwargs: object) -> _M:
        return self.get_queryset().create(**kwargs)

    async def acreate(self, **kwargs: object) -> _M:
        return await self.get_queryset().acreate(**kwargs)

    def get_or_create(
        self, defaults: Mapping[str, object] | None = None, **kwargs: object
    ) -> tuple[_M, bool]:
        return self.get_queryset().get_or_create(defaults, **kwargs)

    async def aget_or_create(
        self, defaults: Mapping[str, object] | None = None, **kwargs: object
    ) -> tuple[_M, bool]:
        return await self.get_queryset().aget_or_create(defaults, **kwargs)

    def update_or_create(
        self,
        defaults: Mapping[str, object] | None = None,
        create_defaults: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> tuple[_M, bool]:
        return self.get_queryset().update_or_create(defaults, create_defaults, **kwargs)

    async def aupdate_or_create(
        self,
        defaults: Mapping[str, object] | None = None,
        create_defaults: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> tuple[_M, bool]:
        return await self.get_queryset().aupdate_or_create(defaults, create_defaults, **kwargs)

    def bulk_create(
        self, objs: Iterable[_M], batch_size: int | None = None, ignore_conflicts: bool = False
    ) -> list[_M]:
        return self.get_queryset().bulk_create(objs, batch_size, ignore_conflicts)

    async def abulk_create(
        self, objs: Iterable[_M], batch_size: int | None = None, ignore_conflicts: bool = False
    ) -> list[_M]:
        return await self.get_queryset().abulk_create(objs, batch_size, ignore_conflicts)

    def bulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        return self.get_queryset().bulk_update(objs, fields, batch_size)

    async def abulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        return await self.get_queryset().abulk_update(objs, fields, batch_size)

    def update(self, **kwargs: object) -> int:
        return self.get_queryset().update(**kwargs)

    async def aupdate(self, **kwargs: object) -> int:
        return await self.get_queryset().aupdate(**kwargs)
