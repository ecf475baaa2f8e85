"""Deleting objects and applying `on_delete` (CASCADE, PROTECT, RESTRICT, SET_NULL, ...).

A delete is written once, as a flow of steps (``djanco.utils.flow``) run by ``delete()`` and
``adelete()`` alike: collect what it touches, send pre_delete, update and delete the rows,
send post_delete, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from djanco.db import IntegrityError
from djanco.db.models import signals
from djanco.db.models.persistence import update_query
from djanco.db.models.sql.compiler import SelectCompiler
from djanco.db.models.sql.execute import fetch_instances, wrapper_for
from djanco.db.models.sql.query import Query
from djanco.db.models.sql.statement import cached_statement
from djanco.db.models.steps import Execute, Send
from djanco.db.transaction import atomic_flow

if TYPE_CHECKING:
    from djanco.db.backends import Result
    from djanco.db.models.base import Model
    from djanco.db.models.fields.related import ForeignKey
    from djanco.utils.flow import Flow


class OnDelete(Protocol):
    def __call__(
        self, collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
    ) -> None: ...


class ProtectedError(IntegrityError):
    """Deleting would remove objects protected by `on_delete=PROTECT`."""

    def __init__(self, msg: str, protected_objects: Iterable[Model]) -> None:
        self.protected_objects = set(protected_objects)
        super().__init__(msg, self.protected_objects)


class RestrictedError(IntegrityError):
    """Deleting would remove objects restricted by `on_delete=RESTRICT`."""

    def __init__(self, msg: str, restricted_objects: Iterable[Model]) -> None:
        self.restricted_objects = set(restricted_objects)
        super().__init__(msg, self.restricted_objects)


def CASCADE(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Delete the objects that refer to the deleted one."""
    collector.cascade.append(sub_objs)


def PROTECT(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Refuse the delete while objects refer to it."""
    model = field.remote_field.model.__name__ if field.remote_field else "?"
    raise ProtectedError(
        f"Cannot delete some instances of model '{model}' because they are referenced through "
        f"protected foreign keys: '{field.model.__name__}.{field.name}'.",
        sub_objs,
    )


def RESTRICT(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Like PROTECT, unless the referring objects are deleted by another cascade."""
    collector.restricted.append((field, sub_objs))


def SET_NULL(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Set the foreign key to NULL (the field must be null=True)."""
    collector.field_updates.append((field, None, sub_objs))


def SET_DEFAULT(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Set the foreign key to its default."""
    collector.field_updates.append((field, field.get_default(), sub_objs))


def SET(value: object) -> OnDelete:
    """Set the foreign key to `value` (or `value()` if callable)."""

    def set_on_delete(
        collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
    ) -> None:
        collector.field_updates.append((field, value() if callable(value) else value, sub_objs))

    return set_on_delete


def DO_NOTHING(
    collector: Collector, field: ForeignKey[Any], sub_objs: list[Model], using: str
) -> None:
    """Leave referring rows alone (the database's own constraint decides)."""


class Collector:
    """Finds everything a delete touches, then deletes children before parents."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.data: dict[type[Model], dict[object, Model]] = {}
        self.order: list[type[Model]] = []
        self.cascade: list[list[Model]] = []
        self.restricted: list[tuple[ForeignKey[Any], list[Model]]] = []
        self.field_updates: list[tuple[ForeignKey[Any], object, list[Model]]] = []
        # model -> models whose rows refer to it (and so must be deleted before it)
        self.dependencies: dict[type[Model], set[type[Model]]] = {}

    def _add(self, objs: Iterable[Model]) -> list[Model]:
        new: list[Model] = []
        for obj in objs:
            model = type(obj)
            bucket = self.data.get(model)
            if bucket is None:
                bucket = self.data[model] = {}
            if model in self.order:
                self.order.remove(model)
            self.order.append(model)
            if obj.pk not in bucket:
                bucket[obj.pk] = obj
                new.append(obj)
        return new

    def collect(self, objs: list[Model]) -> Flow[None]:
        """Find `objs` and, following `on_delete`, every row referring to them."""
        pending = [objs]
        while pending:
            batch = self._add(pending.pop())
            if not batch:
                continue
            model = type(batch[0])
            for rel in model._meta.related_objects:
                field = rel.field
                if rel.many_to_many or field.on_delete is DO_NOTHING:
                    continue  # join rows are reached through their own ForeignKeys
                target = field.target_field().attname
                keys = [obj.__dict__.get(target) for obj in batch]
                query = Query(rel.related_model).add_conditions({f"{field.name}__in": keys})
                sub_objs = yield from fetch_instances(query, self.using)
                if sub_objs:
                    if rel.related_model is not model:
                        self.dependencies.setdefault(model, set()).add(rel.related_model)
                    field.on_delete(self, field, sub_objs, self.using)
                    pending.extend(self.cascade)
                    self.cascade.clear()
        for field, sub_objs in self.restricted:
            doomed = self.data.get(type(sub_objs[0]), {}) if sub_objs else {}
            left = [o for o in sub_objs if o.pk not in doomed]
            if left:
                model_name = field.remote_field.model.__name__ if field.remote_field else "?"
                raise RestrictedError(
                    f"Cannot delete some instances of model '{model_name}' because they are "
                    f"referenced through restricted foreign keys: "
                    f"'{field.model.__name__}.{field.name}'.",
                    left,
                )

    def plan(self) -> list[tuple[str, Query, dict[str, object] | None]]:
        """(model label, query, values to set) in execution order: the UPDATEs of SET_NULL
        and the like (values set), then the DELETEs (None)."""
        steps: list[tuple[str, Query, dict[str, object] | None]] = []
        for field, value, objs in self.field_updates:
            live = [o for o in objs if o.pk not in self.data.get(type(o), {})]
            if live:
                steps.append(
                    (field.model._meta.label, _pk_in(field.model, live), {field.name: value})
                )
        for model in self.deletion_order():
            for objs in _self_referential_levels(model, list(self.data[model].values())):
                steps.append((model._meta.label, _pk_in(model, objs), None))
        return steps

    def deletion_order(self) -> list[type[Model]]:
        """Models whose rows refer to others first, so no foreign key is left dangling."""
        remaining = list(reversed(self.order))
        ordered: list[type[Model]] = []
        while remaining:
            for model in remaining:
                children = self.dependencies.get(model, set())
                if all(child in ordered or child not in self.data for child in children):
                    break
            else:
                model = remaining[0]  # a cycle: keep discovery order for what is left
            remaining.remove(model)
            ordered.append(model)
        return ordered


def _self_referential_levels(model: type[Model], objs: list[Model]) -> list[list[Model]]:
    """Split `objs` so rows referring to others of the same model go first.

    Databases that check foreign keys row by row (MariaDB/MySQL InnoDB) refuse a single DELETE
    removing a parent before its child; one DELETE per level works everywhere.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation
        and getattr(f, "remote_field", None) is not None
        and getattr(f, "_related_model", None) is model
    ]
    if not fields or len(objs) < 2:
        return [objs]
    pending = {obj.pk: obj for obj in objs}
    levels: list[list[Model]] = []
    while pending:
        referenced: set[object] = set()
        for obj in pending.values():
            for f in fields:
                target = f.target_field().attname  # type: ignore[attr-defined]
                value = obj.__dict__.get(f.attname)
                if value is not None and value != obj.__dict__.get(target):
                    referenced.add((target, value))
        level = [
            obj
            for obj in pending.values()
            if not any(
                (f.target_field().attname, obj.__dict__.get(f.target_field().attname))  # type: ignore[attr-defined]
                in referenced
                for f in fields
            )
        ]
        if not level:  # a cycle: leave it to the database
            level = list(pending.values())
        levels.append(level)
        for obj in level:
            del pending[obj.pk]
    return levels


def _pk_in(model: type[Model], objs: list[Model]) -> Query:
    return Query(model).add_conditions({"pk__in": [o.pk for o in objs]})


def _signalled(
    collector: Collector, signal: signals.ModelSignal
) -> list[tuple[type[Model], Model]]:
    return [  # in deletion order: referring objects before those they refer to
        (model, obj)
        for model in collector.deletion_order()
        if signal.has_listeners(model)
        for obj in collector.data[model].values()
    ]


def _has_cascades(model: type[Model]) -> bool:
    return any(
        not rel.many_to_many and rel.field.on_delete is not DO_NOTHING
        for rel in model._meta.related_objects
    )


def _finish(collector: Collector, counts: dict[str, int]) -> tuple[int, dict[str, int]]:
    for model, bucket in collector.data.items():
        pk = model._meta.pk
        assert pk is not None
        for obj in bucket.values():
            obj.__dict__[pk.attname] = None
    for field, value, updated in collector.field_updates:
        for obj in updated:
            obj.__dict__[field.attname] = value
            obj._state.fields_cache.pop(field.name, None)
    counts = {k: v for k, v in counts.items() if v}
    return sum(counts.values()), counts


def delete_objects(objs: list[Model], using: str | None) -> Flow[tuple[int, dict[str, int]]]:
    """Delete `objs` (and what their `on_delete` rules reach) in one transaction:
    (total, {model label: count})."""
    for obj in objs:
        if obj.pk is None:
            raise ValueError(
                f"{type(obj).__name__} object can't be deleted because its "
                f"{obj._meta.pk.attname if obj._meta.pk else 'id'} attribute is set to None."
            )
    alias = wrapper_for(using).alias
    return atomic_flow(_delete(objs, alias), alias, savepoint=False)


def _delete(objs: list[Model], alias: str) -> Flow[tuple[int, dict[str, int]]]:
    collector = Collector(alias)
    yield from collector.collect(objs)
    for model, obj in _signalled(collector, signals.pre_delete):
        yield Send(signals.pre_delete, model, {"instance": obj, "using": alias, "origin": objs[0]})
    counts: dict[str, int] = {}
    for label, query, values in collector.plan():
        if values is not None:
            yield from update_query(query, values, alias)
        else:
            n = yield from _raw_delete(query, alias)
            counts[label] = counts.get(label, 0) + n
    for model, obj in _signalled(collector, signals.post_delete):
        yield Send(signals.post_delete, model, {"instance": obj, "using": alias, "origin": objs[0]})
    return _finish(collector, counts)


def _raw_delete(query: Query, alias: str) -> Flow[int]:
    """DELETE the rows of `query` (no cascades, no signals); the number of rows."""
    wrapper = wrapper_for(alias)
    key = ("delete", query.shape("delete"))

    def build() -> Any:
        compiler = SelectCompiler(query, wrapper.ops)
        where = compiler.where(query.where) if query.where.children else None
        stmt = sa.delete(query.model._meta.table)
        return stmt.where(where) if where is not None else stmt

    stmt = cached_statement(wrapper, key, build)
    result: Result = yield Execute(wrapper, stmt.query, stmt.values(query.params(wrapper.ops)))
    return result.rowcount


def _simple(query: Query) -> bool:
    model = query.model
    return (
        not _has_cascades(model)
        and not signals.pre_delete.has_listeners(model)
        and not signals.post_delete.has_listeners(model)
        and not any(leaf.resolved.steps for leaf in query.where.leaves())
    )


def delete_query(query: Query, using: str | None) -> Flow[tuple[int, dict[str, int]]]:
    """Delete the rows of `query`: one DELETE when nothing refers to them and no signal
    listens, else each object with `delete_objects()`."""
    if query.empty:
        return 0, {}
    alias = wrapper_for(using).alias
    query = query.clone()
    query.order_by = ()
    query.default_ordering = False
    if _simple(query):
        n = yield from _raw_delete(query, alias)
        return (n, {query.model._meta.label: n}) if n else (0, {})
    objs = yield from fetch_instances(query, alias)
    if not objs:
        return 0, {}
    return (yield from delete_objects(objs, alias))
