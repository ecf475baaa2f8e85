"""The manager on either side of a ManyToManyField: `article.tags`, `tag.articles`.

Each edit is written once, as a flow of steps (``djanco.utils.flow``) that ``add()`` runs and
``aadd()`` awaits (likewise remove, clear, set, create).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from djanco.db.models import signals
from djanco.db.models.deletion import delete_query
from djanco.db.models.manager import Manager
from djanco.db.models.persistence import bulk_insert
from djanco.db.models.query import QuerySet
from djanco.db.models.query_utils import Q
from djanco.db.models.sql.execute import fetch_values
from djanco.db.models.sql.query import Query
from djanco.db.models.state import PREFETCHED, is_model_instance
from djanco.db.models.steps import Save, send
from djanco.utils.flow import Flow, arun, run

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.fields.m2m import ManyToManyField

__all__ = ["ManyRelatedManager", "ManyToManyDescriptor"]

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

    def _key(self) -> object:
        value = self.instance.pk
        if value is None:
            raise ValueError(
                f"'{type(self.instance).__name__}' instance needs to have a primary key value "
                "before a many-to-many relationship can be used."
            )
        return value

    def get_queryset(self) -> QuerySet[_M]:
        qs: QuerySet[_M] = QuerySet(self.model, using=self._db)
        qs = qs.filter(**{self._query_name(): self._key()})
        prefetched = self.instance.__dict__.get(PREFETCHED)
        if prefetched is not None and self.name in prefetched:
            qs._result_cache = prefetched[self.name]
        return qs

    def _query_name(self) -> str:
        field = self.field
        if self.reverse:
            return str(field.name)
        rel = field.remote_field
        assert rel is not None
        return str(rel.query_name)

    def _join_rows(self, ids: list[object] | None = None) -> Query:
        """The instance's join rows (to the objects `ids` only, if given)."""
        conditions: dict[str, object] = {self.source_fk.attname: self._key()}
        if ids is not None:
            conditions[f"{self.target_fk.attname}__in"] = ids
        return Query(self.through).add_conditions(conditions)

    def _ids(self, objs: Iterable[_M | object]) -> list[object]:
        ids: list[object] = []
        for obj in objs:
            if is_model_instance(obj):
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

    def _changed(self, action: str, pk_set: set[object] | None) -> Flow[None]:
        return send(
            signals.m2m_changed,
            self.through,
            instance=self.instance,
            action=action,
            reverse=self.reverse,
            model=self.model,
            pk_set=pk_set,
            using=self._db,
        )

    @property
    def _symmetrical(self) -> bool:
        return bool(getattr(self.field, "symmetrical", False)) and not self.reverse

    def _mirror_rows(
        self, rows: list[Model], through_defaults: Mapping[str, object] | None
    ) -> Flow[list[Model]]:
        """For a symmetrical relation: the (target → instance) rows matching new `rows`."""
        if not self._symmetrical or not rows:
            return []
        key = self._key()
        src, dst = self.source_fk.attname, self.target_fk.attname
        ids = [row.__dict__[dst] for row in rows if row.__dict__[dst] != key]
        if not ids:
            return []
        mirrored = Query(self.through).add_conditions({dst: key, f"{src}__in": ids})
        have = set((yield from fetch_values(mirrored, (src,), self._db)))
        extra = {k: v() if callable(v) else v for k, v in (through_defaults or {}).items()}
        return [self.through(**extra, **{src: i, dst: key}) for i in ids if i not in have]

    def _unlink_rows(self, ids: list[object] | None) -> Query:
        """The join rows a remove()/clear() deletes (both directions when symmetrical)."""
        if not self._symmetrical:
            return self._join_rows(ids)
        src, dst = self.source_fk.attname, self.target_fk.attname
        key = self._key()
        forward = Q(**{src: key}) if ids is None else Q(**{src: key, f"{dst}__in": ids})
        mirror = Q(**{dst: key}) if ids is None else Q(**{dst: key, f"{src}__in": ids})
        query = Query(self.through)
        query.where.children.append(query.q_to_node(forward | mirror))
        return query

    def _link(
        self,
        ids: list[object],
        have: Iterable[object],
        through_defaults: Mapping[str, object] | None = None,
    ) -> Flow[None]:
        rows = self._new_rows(ids, have, through_defaults)
        rows += yield from self._mirror_rows(rows, through_defaults)
        if not rows:
            return
        pk_set = {row.__dict__[self.target_fk.attname] for row in rows}
        yield from self._changed("pre_add", pk_set)
        yield from bulk_insert(self.through, rows, self._db, None, False)
        yield from self._changed("post_add", pk_set)

    def _unlink(self, ids: list[object] | None) -> Flow[None]:
        action = "clear" if ids is None else "remove"
        pk_set = None if ids is None else set(ids)
        yield from self._changed(f"pre_{action}", pk_set)
        yield from delete_query(self._unlink_rows(ids), self._db)
        yield from self._changed(f"post_{action}", pk_set)

    def _linked_ids(self, ids: list[object] | None = None) -> Flow[list[object]]:
        """The keys of the objects linked to the instance (among `ids`, if given)."""
        return fetch_values(self._join_rows(ids), (self.target_fk.attname,), self._db)

    def add(self, *objs: _M, through_defaults: Mapping[str, object] | None = None) -> None:
        """Link the objects or pks (already linked ones are left alone)."""
        run(self._add(objs, through_defaults))

    async def aadd(self, *objs: _M, through_defaults: Mapping[str, object] | None = None) -> None:
        await arun(self._add(objs, through_defaults))

    def _add(self, objs: Iterable[_M], through_defaults: Mapping[str, object] | None) -> Flow[None]:
        ids = self._ids(objs)
        if ids:
            have = yield from self._linked_ids(ids)
            yield from self._link(ids, have, through_defaults)

    def remove(self, *objs: _M) -> None:
        """Unlink the objects."""
        run(self._remove(objs))

    async def aremove(self, *objs: _M) -> None:
        await arun(self._remove(objs))

    def _remove(self, objs: Iterable[_M]) -> Flow[None]:
        ids = self._ids(objs)
        if ids:
            yield from self._unlink(ids)

    def clear(self) -> None:
        """Unlink every object."""
        run(self._unlink(None))

    async def aclear(self) -> None:
        await arun(self._unlink(None))

    def set(
        self,
        objs: Iterable[_M],
        *,
        clear: bool = False,
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        """Make the linked objects exactly `objs` (only the differences are written)."""
        run(self._set(objs, clear, through_defaults))

    async def aset(
        self,
        objs: Iterable[_M],
        *,
        clear: bool = False,
        through_defaults: Mapping[str, object] | None = None,
    ) -> None:
        await arun(self._set(objs, clear, through_defaults))

    def _set(
        self, objs: Iterable[_M], clear: bool, through_defaults: Mapping[str, object] | None
    ) -> Flow[None]:
        ids = self._ids(list(objs))
        if clear:
            yield from self._unlink(None)
            yield from self._link(ids, (), through_defaults)
            return
        current = set((yield from self._linked_ids()))
        stale = [i for i in current if i not in set(ids)]
        if stale:
            yield from self._unlink(stale)
        yield from self._link(ids, current, through_defaults)

    def create(self, *, through_defaults: Any = None, **kwargs: object) -> _M:
        """Create an object of the related model and link it."""
        return run(self._create(through_defaults, kwargs))

    async def acreate(self, *, through_defaults: Any = None, **kwargs: object) -> _M:
        return await arun(self._create(through_defaults, kwargs))

    def _create(
        self, through_defaults: Mapping[str, object] | None, kwargs: Mapping[str, object]
    ) -> Flow[_M]:
        obj = self.model(**kwargs)
        yield Save(obj, force_insert=True, using=self._db)
        yield from self._link([obj.pk], (), through_defaults)
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
