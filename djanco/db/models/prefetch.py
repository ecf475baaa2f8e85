"""prefetch_related: load related objects for many instances with one query per relation.

Each lookup is a flow (``djanco.utils.flow``): the queryset that evaluates it and
``prefetch_related_objects()`` run it sync, their async forms with ``arun()``. The related
objects of a relation are kept, as a list, in the instance's ``_prefetched_objects_cache`` (the
related managers read them from there) or under ``Prefetch(to_attr=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from djanco.core.exceptions import FieldDoesNotExist, FieldError
from djanco.db.models.sql.execute import fetch_instances, fetch_values
from djanco.db.models.sql.query import Query
from djanco.db.models.state import PREFETCHED

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.query import QuerySet
    from djanco.utils.flow import Flow

__all__ = ["Prefetch", "QuerySetRows", "prefetch"]

QuerySetRows = Callable[["QuerySet[Any]", "str | None", Mapping[str, object]], "Flow[list[Any]]"]
"""How to read a `Prefetch(queryset=...)`: its rows filtered by `filters`, on the instances'
database unless it names its own (given by the queryset layer, which owns querysets)."""


class Prefetch:
    """A prefetch_related() lookup with its own queryset (filtered, ordered, select_related)
    and optionally `to_attr`: store the related objects as a list attribute instead."""

    def __init__(
        self, lookup: str, queryset: QuerySet[Any] | None = None, to_attr: str | None = None
    ) -> None:
        self.prefetch_through = lookup
        self.queryset = queryset
        self.to_attr = to_attr

    def __repr__(self) -> str:
        return f"<Prefetch: {self.prefetch_through}>"


def prefetch(
    instances: Sequence[Model], lookups: Sequence[str | Prefetch], queryset_rows: QuerySetRows
) -> Flow[None]:
    """Fill related managers / attributes of `instances` for each `a__b` lookup path."""
    for lookup in lookups:
        yield from _lookup(instances, lookup, queryset_rows)


def _lookup(
    instances: Sequence[Model], lookup: str | Prefetch, queryset_rows: QuerySetRows
) -> Flow[None]:
    prefetch = lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
    names = prefetch.prefetch_through.split("__")
    level: Sequence[Model] = list(instances)
    for depth, name in enumerate(names):
        level = [o for o in level if o is not None]
        if not level:
            return
        last = depth == len(names) - 1
        custom = _Related(prefetch.queryset if last else None, queryset_rows)
        if last and prefetch.to_attr is not None:
            yield from _level(level, name, custom, prefetch.to_attr)
            return
        if not _already(level, name):
            yield from _level(level, name, custom)
        level = _related_of(level, name)


class _Related:
    """Reads the related objects of one level: with the lookup's own queryset, if any."""

    def __init__(self, queryset: QuerySet[Any] | None, queryset_rows: QuerySetRows) -> None:
        self.queryset = queryset
        self.queryset_rows = queryset_rows

    def rows(
        self, model: type[Model], db: str | None, filters: Mapping[str, object]
    ) -> Flow[list[Model]]:
        custom = self.queryset
        if custom is None:
            return fetch_instances(Query(model).add_conditions(filters), db)
        if custom.model is not model:
            raise ValueError(
                f"Prefetch querysets must be of {model.__name__}, not {custom.model.__name__}."
            )
        return self.queryset_rows(custom, db, filters)


def _level(
    instances: Sequence[Model], name: str, related: _Related, to_attr: str | None = None
) -> Flow[None]:
    model = type(instances[0])
    opts = model._meta
    db = instances[0]._state.db
    for rel in opts.related_objects:
        if rel.accessor_name == name and not rel.hidden:
            if rel.many_to_many:
                yield from _many_to_many(instances, name, rel.field, True, related, to_attr)
                return
            field = rel.field
            target = field.target_field().attname
            keys = list({obj.__dict__.get(target) for obj in instances} - {None})
            rows = yield from related.rows(rel.related_model, db, {f"{field.attname}__in": keys})
            groups: dict[object, list[Model]] = {}
            for row in rows:
                groups.setdefault(row.__dict__.get(field.attname), []).append(row)
            for obj in instances:
                found = groups.get(obj.__dict__.get(target), [])
                _cache_list(obj, name, found, to_attr)
                for row in found:
                    row._state.fields_cache.setdefault(field.name, obj)
            return
    try:
        candidate: Any = opts.get_field(name)
    except FieldDoesNotExist:
        candidate = None
    if candidate is not None and getattr(candidate, "many_to_many", False):
        yield from _many_to_many(instances, name, candidate, False, related, to_attr)
    elif candidate is not None and candidate.is_relation and candidate.concrete:
        target = candidate.target_field().attname
        keys = list({obj.__dict__.get(candidate.attname) for obj in instances} - {None})
        rows = yield from related.rows(candidate.related_model, db, {f"{target}__in": keys})
        by_key = {row.__dict__.get(target): row for row in rows}
        for obj in instances:
            one = by_key.get(obj.__dict__.get(candidate.attname))
            if to_attr is not None:
                obj.__dict__[to_attr] = one
            else:
                obj._state.fields_cache[name] = one
    else:
        choices = sorted(
            [r.accessor_name for r in opts.related_objects if r.accessor_name and not r.hidden]
            + [f.name for f in opts.fields if f.is_relation]
        )
        raise FieldError(
            f"Cannot find '{name}' on {model.__name__} to prefetch_related(). "
            f"Choices are: {', '.join(choices) or '(none)'}."
        )


def _many_to_many(
    instances: Sequence[Model],
    name: str,
    m2m: Any,
    reverse: bool,
    related: _Related,
    to_attr: str | None,
) -> Flow[None]:
    source_fk, target_fk = (m2m.to_fk, m2m.from_fk) if reverse else (m2m.from_fk, m2m.to_fk)
    target_model = m2m.model if reverse else m2m.related_model
    db = instances[0]._state.db
    keys = list({obj.pk for obj in instances} - {None})
    # Join rows as (source key, target key) pairs: no instances needed for them.
    links = yield from fetch_values(
        Query(m2m.through).add_conditions({f"{source_fk.attname}__in": keys}),
        (source_fk.attname, target_fk.attname),
        db,
    )
    target_ids = list({target_id for _, target_id in links})
    targets = yield from related.rows(target_model, db, {"pk__in": target_ids})
    by_pk = {t.pk: t for t in targets}
    groups: dict[object, list[Model]] = {}
    for source_id, target_id in links:
        found = by_pk.get(target_id)
        if found is not None:
            groups.setdefault(source_id, []).append(found)
    for obj in instances:
        _cache_list(obj, name, groups.get(obj.pk, []), to_attr)


def _cache_list(obj: Model, name: str, rows: list[Model], to_attr: str | None) -> None:
    if to_attr is not None:
        obj.__dict__[to_attr] = rows
    else:
        obj.__dict__.setdefault(PREFETCHED, {})[name] = rows


def _related_of(instances: Sequence[Model], name: str) -> list[Model]:
    out: list[Model] = []
    for obj in instances:
        cache = obj.__dict__.get(PREFETCHED, {})
        if name in cache:
            out.extend(cache[name])
        else:
            value = obj._state.fields_cache.get(name)
            if value is not None:
                out.append(value)  # type: ignore[arg-type]
    return out


def _already(instances: Sequence[Model], name: str) -> bool:
    first = instances[0]
    return name in first.__dict__.get(PREFETCHED, {}) or name in first._state.fields_cache
