"""QuerySet writes: create, get_or_create, update_or_create, bulk operations, update, delete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.query import BaseQuerySet
    from djanco.db.models.sql.query import Query

_M = TypeVar("_M", bound="Model")
_Row = TypeVar("_Row")


class QuerySetWrites(Generic[_M, _Row]):
    """The writing half of BaseQuerySet (which provides the attributes declared here)."""

    if TYPE_CHECKING:
        model: type[_M]
        _db: str | None
        _query: Query
        _row_kind: str

        @property
        def db(self) -> str: ...

    # --- writes --------------------------------------------------------------------------------

    def create(self, **kwargs: object) -> _M:
        """Make an instance from `kwargs` and insert it."""
        obj = self.model(**kwargs)
        obj.save(force_insert=True, using=self._db)
        return obj

    async def acreate(self, **kwargs: object) -> _M:
        obj = self.model(**kwargs)
        await obj.asave(force_insert=True, using=self._db)
        return obj

    def _create_params(
        self, kwargs: Mapping[str, object], defaults: Mapping[str, object] | None
    ) -> dict[str, object]:
        params = {k: v for k, v in kwargs.items() if "__" not in k}
        for key, value in (defaults or {}).items():
            params[key] = value() if callable(value) else value
        return params

    def get_or_create(
        self, defaults: Mapping[str, object] | None = None, **kwargs: object
    ) -> tuple[_M, bool]:
        """(the matching instance, False), or (a newly created one, True)."""
        from djanco.db import IntegrityError
        from djanco.db.transaction import atomic

        model_qs: BaseQuerySet[_M, _M] = self  # type: ignore[assignment]
        try:
            return model_qs.get(**kwargs), False
        except self.model.DoesNotExist:
            params = self._create_params(kwargs, defaults)
            try:
                with atomic(using=self.db):
                    return model_qs.create(**params), True
            except IntegrityError:
                try:
                    return model_qs.get(**kwargs), False
                except self.model.DoesNotExist:
                    pass
                raise

    async def aget_or_create(
        self, defaults: Mapping[str, object] | None = None, **kwargs: object
    ) -> tuple[_M, bool]:
        from djanco.db import IntegrityError
        from djanco.db.transaction import atomic

        model_qs: BaseQuerySet[_M, _M] = self  # type: ignore[assignment]
        try:
            return await model_qs.aget(**kwargs), False
        except self.model.DoesNotExist:
            params = self._create_params(kwargs, defaults)
            try:
                async with atomic(using=self.db):
                    return await model_qs.acreate(**params), True
            except IntegrityError:
                try:
                    return await model_qs.aget(**kwargs), False
                except self.model.DoesNotExist:
                    pass
                raise

    def update_or_create(
        self,
        defaults: Mapping[str, object] | None = None,
        create_defaults: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> tuple[_M, bool]:
        """Update the matching instance with `defaults`, or create one; (instance, created)."""
        from djanco.db.transaction import atomic

        model_qs: BaseQuerySet[_M, _M] = self  # type: ignore[assignment]
        with atomic(using=self.db):
            try:
                obj = model_qs.select_for_update().get(**kwargs)
            except self.model.DoesNotExist:
                params = self._create_params(
                    kwargs, defaults if create_defaults is None else create_defaults
                )
                return model_qs.create(**params), True
            for key, value in (defaults or {}).items():
                setattr(obj, key, value() if callable(value) else value)
            obj.save(using=self.db)
            return obj, False

    async def aupdate_or_create(
        self,
        defaults: Mapping[str, object] | None = None,
        create_defaults: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> tuple[_M, bool]:
        from djanco.db.transaction import atomic

        model_qs: BaseQuerySet[_M, _M] = self  # type: ignore[assignment]
        async with atomic(using=self.db):
            try:
                obj = await model_qs.select_for_update().aget(**kwargs)
            except self.model.DoesNotExist:
                params = self._create_params(
                    kwargs, defaults if create_defaults is None else create_defaults
                )
                return await model_qs.acreate(**params), True
            for key, value in (defaults or {}).items():
                setattr(obj, key, value() if callable(value) else value)
            await obj.asave(using=self.db)
            return obj, False

    def bulk_create(
        self,
        objs: Iterable[_M],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
    ) -> list[_M]:
        """Insert many instances in few queries; sets their pks where the database returns them."""
        from djanco.db.models import persistence

        items = list(objs)
        persistence.bulk_insert(self.model, items, self._db, batch_size, ignore_conflicts)  # type: ignore[arg-type]
        return items

    async def abulk_create(
        self,
        objs: Iterable[_M],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
    ) -> list[_M]:
        from djanco.db.models import persistence

        items = list(objs)
        await persistence.abulk_insert(self.model, items, self._db, batch_size, ignore_conflicts)  # type: ignore[arg-type]
        return items

    def bulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Save `fields` of many instances with one `UPDATE ... CASE` per batch; the number
        of rows matched."""
        from djanco.db.models import persistence

        return persistence.bulk_update(self.model, list(objs), fields, self._db, batch_size)

    async def abulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        from djanco.db.models import persistence

        return await persistence.abulk_update(self.model, list(objs), fields, self._db, batch_size)

    def update(self, **kwargs: object) -> int:
        """UPDATE every matching row (values may be F expressions); the number of rows."""
        from djanco.db.models import persistence

        self._check_update()
        return persistence.update_query(self._query, kwargs, self._db)

    async def aupdate(self, **kwargs: object) -> int:
        from djanco.db.models import persistence

        self._check_update()
        return await persistence.aupdate_query(self._query, kwargs, self._db)

    def _check_update(self) -> None:
        if self._query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete every matching row, applying on_delete: (total, {model label: count})."""
        from djanco.db.models import deletion

        self._check_delete()
        return deletion.delete_query(self._query, self._db)

    async def adelete(self) -> tuple[int, dict[str, int]]:
        from djanco.db.models import deletion

        self._check_delete()
        return await deletion.adelete_query(self._query, self._db)

    def _check_delete(self) -> None:
        if self._query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self._row_kind != "model":
            raise TypeError("Cannot call delete() after .values() or .values_list()")
