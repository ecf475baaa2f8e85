"""The manager on either side of a ManyToManyField: `article.tags`, `tag.articles`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from djanco.db.models import signals
from djanco.db.models.manager import Manager
from djanco.db.models.query import QuerySet

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.fields.m2m import ManyToManyField

_M = TypeVar("_M", bound="Model")


class ManyRelatedManager(Manager[_M]):
    """Related objects through a join table; `add`/`remove`/`set`/`clear` edit the join rows."""

    # Typed Any: annotations of descriptor types in a class body read as descriptors.
    instance: Model
    field: Any  # the ManyToManyField
    reverse: bool
    source_fk: Any  # ForeignKey of a join row → the instance's model
    target_fk: Any  # ForeignKey of a join row → the managed model

    @classmethod
    def _bound(
        cls, field: ManyToManyField[Any], instance: Model, reverse: bool
    ) -> ManyRelatedManager[Any]:
        through = field.through
        assert field.from_fk is not None and field.to_fk is not None
        manager: ManyRelatedManager[Any] = cls()
        manager.field = field
        manager.instance = instance
        manager.reverse = reverse
        manager.source_fk, manager.target_fk = (
            (field.to_fk, field.from_fk) if reverse else (field.from_fk, field.to_fk)
        )
        manager.model = field.model if reverse else field.related_model
        manager.through = through
        manager.name = (
            field.remote_field.accessor_name if reverse and field.remote_field else field.name
        )
        manager._db = instance._state.db
        return manager

    through: type[Model]

    @property
    def _accessor(self) -> str:
        return str(self.name)

    def _key(self) -> object:
        value = self.instance.pk
        if value is None:
            raise ValueError(
                f"'{type(self.instance).__name__}' instance needs to have a primary key value "
                "before a many-to-many relationship can be used."
            )
        return value

    def get_queryset(self) -> QuerySet[_M]:
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache is not None and self._accessor in cache:
            return cache[self._accessor]  # type: ignore[no-any-return]
        qs: QuerySet[_M] = QuerySet(self.model, using=self._db)
        query_name = self._query_name()
        return qs.filter(**{query_name: self._key()})

    def _query_name(self) -> str:
        field = self.field
        if self.reverse:
            return str(field.name)
        rel = field.remote_field
        assert rel is not None
        return str(rel.query_name)

    def _join_rows(self) -> QuerySet[Any]:
        through_qs: QuerySet[Any] = QuerySet(self.through, using=self._db)
        return through_qs.filter(**{self.source_fk.attname: self._key()})

    def _ids(self, objs: Iterable[_M | object]) -> list[object]:
        from djanco.db.models.base import Model

        ids: list[object] = []
        for obj in objs:
            if isinstance(obj, Model):
                if not isinstance(obj, self.model):
                    raise TypeError(f"'{self.model.__name__}' instance expected, got {obj!r}")
                if obj.pk is None:
                    raise ValueError(f"Cannot add {obj!r}: the instance isn't saved yet.")
                ids.append(obj.pk)
            else:
                ids.append(obj)
        return ids

    def _new_rows(
        self,
        ids: list[object],
        existing: Iterable[object],
        through_defaults: Mapping[str, object] | None = None,
    ) -> list[Model]:
        have = set(existing)
        rows: list[Model] = []
        extra = {k: v() if callable(v) else v for k, v in (through_defaults or {}).items()}
        for target_id in dict.fromkeys(ids):
            if target_id not in have:
                row = self.through(
                    **extra,
                    **{self.source_fk.attname: self._key(), self.target_fk.attname: target_id},
                )
                rows.append(row)
        return rows

    # --- edits (each sends m2m_changed pre_/post_ add, remove or clear) ------------------------

    def _signal_kwargs(self, action: str, pk_set: set[object] | None) -> dict[str, object]:
        return {
            "instance": self.instance,
            "action": action,
            "reverse": self.reverse,
            "model": self.model,
            "pk_set": pk_set,
            "using": self._db,
        }

    def _linked(self, ids: list[object]) -> QuerySet[Any]:
        return self._join_rows().filter(**{f"{self.target_fk.attname}__in": ids})

    @property
    def _symmetrical(self) -> bool:
        return bool(getattr(self.field, "symmetrical", False)) and not self.reverse

    def _mirror_rows(
        self, rows: list[Model], through_defaults: Mapping[str, object] | None
    ) -> list[Model]:
        """For a symmetrical relation: the (target → instance) rows matching new `rows`."""
        if not self._symmetrical or not rows:
            return []
        key = self._key()
        src, dst = self.source_fk.attname, self.target_fk.attname
        ids = [row.__dict__[dst] for row in rows if row.__dict__[dst] != key]
        if not ids:
            return []
        through_qs: QuerySet[Any] = QuerySet(self.through, using=self._db)
        have = set(through_qs.filter(**{dst: key, f"{src}__in": ids}).values_list(src, flat=True))
        extra = {k: v() if callable(v) else v for k, v in (through_defaults or {}).items()}
        return [self.through(**extra, **{src: i, dst: key}) for i in ids if i not in have]

    async def _amirror_rows(
        self, rows: list[Model], through_defaults: Mapping[str, object] | None
    ) -> list[Model]:
        if not self._symmetrical or not rows:
            return []
        key = self._key()
        src, dst = self.source_fk.attname, self.target_fk.attname
        ids = [row.__dict__[dst] for row in rows if row.__dict__[dst] != key]
        if not ids:
            return []
        through_qs: QuerySet[Any] = QuerySet(self.through, using=self._db)
        found = through_qs.filter(**{dst: key, f"{src}__in": ids}).values_list(src, flat=True)
        have = {v async for v in found}
        extra = {k: v() if callable(v) else v for k, v in (through_defaults or {}).items()}
        return [self.through(**extra, **{src: i, dst: key}) for i in ids if i not in have]

    def _unlink_rows(self, ids: list[object] | None) -> QuerySet[Any]:
        """The join rows a remove()/clear() deletes (both directions when symmetrical)."""
        rows = self._join_rows() if ids is None else self._linked(ids)
        if not self._symmetrical:
            return rows
        from djanco.db.models.query_utils import Q

        src, dst = self.source_fk.attname, self.target_fk.attname
        key = self._key()
        forward = Q(**{src: key}) if ids is None else Q(**{src: key, f"{dst}__in": ids})
        mirror = Q(**{dst: key}) if ids is None else Q(**{dst: key, f"{src}__in": ids})
        through_qs: QuerySet[Any] = QuerySet(self.through, using=self._db)
        return through_qs.filter(forward | mirror)

    def _link(
        self,
        ids: list[object],
        have: Iterable[object],
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        rows = self._new_rows(ids, have, through_defaults)
        rows += self._mirror_rows(rows, through_defaults)
        if not rows:
            return
        pk_set = {row.__dict__[self.target_fk.attname] for row in rows}
        send = signals.m2m_changed.has_listeners(self.through)
        if send:
            signals.m2m_changed.send(self.through, **self._signal_kwargs("pre_add", pk_set))
        QuerySet(self.through, using=self._db).bulk_create(rows)
        if send:
            signals.m2m_changed.send(self.through, **self._signal_kwargs("post_add", pk_set))

    async def _alink(
        self,
        ids: list[object],
        have: Iterable[object],
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        rows = self._new_rows(ids, have, through_defaults)
        rows += await self._amirror_rows(rows, through_defaults)
        if not rows:
            return
        pk_set = {row.__dict__[self.target_fk.attname] for row in rows}
        send = signals.m2m_changed.has_listeners(self.through)
        if send:
            await signals.m2m_changed.asend(self.through, **self._signal_kwargs("pre_add", pk_set))
        await QuerySet(self.through, using=self._db).abulk_create(rows)
        if send:
            await signals.m2m_changed.asend(self.through, **self._signal_kwargs("post_add", pk_set))

    def _unlink(self, ids: list[object] | None) -> None:
        action = "clear" if ids is None else "remove"
        pk_set = None if ids is None else set(ids)
        send = signals.m2m_changed.has_listeners(self.through)
        if send:
            signals.m2m_changed.send(self.through, **self._signal_kwargs(f"pre_{action}", pk_set))
        self._unlink_rows(ids).delete()
        if send:
            signals.m2m_changed.send(self.through, **self._signal_kwargs(f"post_{action}", pk_set))

    async def _aunlink(self, ids: list[object] | None) -> None:
        action = "clear" if ids is None else "remove"
        pk_set = None if ids is None else set(ids)
        send = signals.m2m_changed.has_listeners(self.through)
        if send:
            await signals.m2m_changed.asend(
                self.through, **self._signal_kwargs(f"pre_{action}", pk_set)
            )
        await self._unlink_rows(ids).adelete()
        if send:
            await signals.m2m_changed.asend(
                self.through, **self._signal_kwargs(f"post_{action}", pk_set)
            )

    def _current(self) -> list[object]:
        return list(self._join_rows().values_list(self.target_fk.attname, flat=True))

    async def _acurrent(self) -> list[object]:
        rows = self._join_rows().values_list(self.target_fk.attname, flat=True)
        return [v async for v in rows]

    def add(self, *objs: _M, through_defaults: Mapping[str, object] | None = None) -> None:
        """Link the objects or pks (already linked ones are left alone)."""
        ids = self._ids(objs)
        if ids:
            have = self._linked(ids).values_list(self.target_fk.attname, flat=True)
            self._link(ids, list(have), through_defaults)

    async def aadd(self, *objs: _M, through_defaults: Mapping[str, object] | None = None) -> None:
        ids = self._ids(objs)
        if ids:
            have = self._linked(ids).values_list(self.target_fk.attname, flat=True)
            await self._alink(ids, [v async for v in have], through_defaults)

    def remove(self, *objs: _M) -> None:
        """Unlink the objects."""
        ids = self._ids(objs)
        if ids:
            self._unlink(ids)

    async def aremove(self, *objs: _M) -> None:
        ids = self._ids(objs)
        if ids:
            await self._aunlink(ids)

    def clear(self) -> None:
        """Unlink every object."""
        self._unlink(None)

    async def aclear(self) -> None:
        await self._aunlink(None)

    def set(
        self,
        objs: Iterable[_M],
        *,
        clear: bool = False,
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        """Make the linked objects exactly `objs` (only the differences are written)."""
        ids = self._ids(list(objs))
        if clear:
            self._unlink(None)
            self._link(ids, (), through_defaults)
            return
        current = set(self._current())
        stale = [i for i in current if i not in set(ids)]
        if stale:
            self._unlink(stale)
        self._link(ids, current, through_defaults)

    async def aset(
        self,
        objs: Iterable[_M],
        *,
        clear: bool = False,
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        ids = self._ids(list(objs))
        if clear:
            await self._aunlink(None)
            await self._alink(ids, (), through_defaults)
            return
        current = set(await self._acurrent())
        stale = [i for i in current if i not in set(ids)]
        if stale:
            await self._aunlink(stale)
        await self._alink(ids, current, through_defaults)

    def create(self, *, through_defaults: Any = None, **kwargs: object) -> _M:
        """Create an object of the related model and link it."""
        obj: _M = QuerySet(self.model, using=self._db).create(**kwargs)
        self._link([obj.pk], (), through_defaults)
        return obj

    async def acreate(self, *, through_defaults: Any = None, **kwargs: object) -> _M:
        obj: _M = await QuerySet(self.model, using=self._db).acreate(**kwargs)
        await self._alink([obj.pk], (), through_defaults)
        return obj


class ManyToManyDescriptor:
    """The reverse accessor of a ManyToManyField (`tag.articles`)."""

    def __init__(self, field: ManyToManyField[Any], reverse: bool) -> None:
        self.field = field
        self.reverse = reverse

    def __get__(self, instance: Model | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        return ManyRelatedManager._bound(self.field, instance, self.reverse)

    def __set__(self, instance: Model, value: object) -> None:
        raise TypeError(
            "Direct assignment to the reverse side of a many-to-many set is prohibited. "
            "Use .set() instead."
        )
