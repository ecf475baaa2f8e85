"""prefetch_related: load related objects for many instances with one query per relation.

Each level is a generator that yields the querysets it needs and receives their rows, so the
sync and async forms share the logic and differ only in how they run queries.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from djanco.core.exceptions import FieldError

if TYPE_CHECKING:
    from djanco.db.models.base import Model
    from djanco.db.models.query import BaseQuerySet, QuerySet

_Step = Generator["BaseQuerySet[Any, Any]", list[Any], None]


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


def _cache_list(
    obj: Model, name: str, model: type[Model], rows: list[Model], to_attr: str | None = None
) -> None:
    from djanco.db.models.query import QuerySet

    if to_attr is not None:
        obj.__dict__[to_attr] = rows
        return

    cached: QuerySet[Any] = QuerySet(model, using=obj._state.db)
    cached._result_cache = rows
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = cached


def _base(model: type[Model], db: str | None, custom: QuerySet[Any] | None) -> QuerySet[Any]:
    from djanco.db.models.query import QuerySet

    if custom is None:
        return QuerySet(model, using=db)
    if custom.model is not model:
        raise ValueError(
            f"Prefetch querysets must be of {model.__name__}, not {custom.model.__name__}."
        )
    return custom.using(custom._db or db)


def _level(
    instances: Sequence[Model],
    name: str,
    custom: QuerySet[Any] | None = None,
    to_attr: str | None = None,
) -> _Step:
    from djanco.db.models.fields.related import ForeignObjectRel
    from djanco.db.models.query import QuerySet

    model = type(instances[0])
    opts = model._meta
    db = instances[0]._state.db
    m2m: Any = None
    reverse = False
    for rel in opts.related_objects:
        if rel.accessor_name == name and not rel.hidden:
            if rel.many_to_many:
                m2m, reverse = rel.field, True
                break
            field = rel.field
            target = field.target_field().attname
            keys = list({obj.__dict__.get(target) for obj in instances} - {None})
            rows = yield _base(rel.related_model, db, custom).filter(
                **{f"{field.attname}__in": keys}
            )
            groups: dict[object, list[Model]] = {}
            for row in rows:
                groups.setdefault(row.__dict__.get(field.attname), []).append(row)
            for obj in instances:
                related = groups.get(obj.__dict__.get(target), [])
                _cache_list(obj, name, rel.related_model, related, to_attr)
                for row in related:
                    row._state.fields_cache.setdefault(field.name, obj)
            return
    if m2m is None:
        try:
            candidate: Any = opts.get_field(name)
        except Exception:
            candidate = None
        if candidate is not None and getattr(candidate, "many_to_many", False):
            m2m = candidate
        elif (
            candidate is not None
            and not isinstance(candidate, ForeignObjectRel)
            and candidate.is_relation
        ):
            target = candidate.target_field().attname
            keys = list({obj.__dict__.get(candidate.attname) for obj in instances} - {None})
            rows = yield _base(candidate.related_model, db, custom).filter(
                **{f"{target}__in": keys}
            )
            by_key = {row.__dict__.get(target): row for row in rows}
            for obj in instances:
                found = by_key.get(obj.__dict__.get(candidate.attname))
                if to_attr is not None:
                    obj.__dict__[to_attr] = found
                else:
                    obj._state.fields_cache[name] = found
            return
    if m2m is None:
        choices = sorted(
            [r.accessor_name for r in opts.related_objects if r.accessor_name and not r.hidden]
            + [f.name for f in opts.fields if f.is_relation]
        )
        raise FieldError(
            f"Cannot find '{name}' on {model.__name__} to prefetch_related(). "
            f"Choices are: {', '.join(choices) or '(none)'}."
        )
    through = m2m.through
    source_fk, target_fk = (m2m.to_fk, m2m.from_fk) if reverse else (m2m.from_fk, m2m.to_fk)
    target_model = m2m.model if reverse else m2m.related_model
    keys = list({obj.pk for obj in instances} - {None})
    # Join rows as (source key, target key) pairs: no instances needed for them.
    links = yield (
        QuerySet(through, using=db)
        .filter(**{f"{source_fk.attname}__in": keys})
        .values_list(source_fk.attname, target_fk.attname)
    )
    target_ids = list({target_id for _, target_id in links})
    targets = yield _base(target_model, db, custom).filter(pk__in=target_ids)
    by_pk = {t.pk: t for t in targets}
    groups = {}
    for source_id, target_id in links:
        found = by_pk.get(target_id)
        if found is not None:
            groups.setdefault(source_id, []).append(found)
    for obj in instances:
        _cache_list(obj, name, target_model, groups.get(obj.pk, []), to_attr)


def _related_of(instances: Sequence[Model], name: str) -> list[Model]:
    out: list[Model] = []
    for obj in instances:
        cache = obj.__dict__.get("_prefetched_objects_cache", {})
        if name in cache:
            out.extend(cache[name]._result_cache or [])
        else:
            value = obj._state.fields_cache.get(name)
            if value is not None:
                out.append(value)  # type: ignore[arg-type]
    return out


def _already(instances: Sequence[Model], name: str) -> bool:
    first = instances[0]
    return name in first.__dict__.get("_prefetched_objects_cache", {}) or (
        name in first._state.fields_cache
    )


def _levels(instances: Sequence[Model], lookup: str | Prefetch) -> Generator[_Step, None, None]:
    prefetch = lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
    names = prefetch.prefetch_through.split("__")
    level: Sequence[Model] = list(instances)
    for depth, name in enumerate(names):
        level = [o for o in level if o is not None]
        if not level:
            return
        last = depth == len(names) - 1
        if last and prefetch.to_attr is not None:
            yield _level(level, name, prefetch.queryset, prefetch.to_attr)
            return
        if not _already(level, name):
            yield _level(level, name, prefetch.queryset if last else None)
        level = _related_of(level, name)


def prefetch_related_objects(instances: Sequence[Model], *lookups: str | Prefetch) -> None:
    """Fill related managers / attributes of `instances` for each `a__b` lookup path."""
    for lookup in lookups:
        for step in _levels(instances, lookup):
            try:
                qs = next(step)
                while True:
                    qs = step.send(list(qs))
            except StopIteration:
                pass


async def aprefetch_related_objects(instances: Sequence[Model], *lookups: str | Prefetch) -> None:
    for lookup in lookups:
        for step in _levels(instances, lookup):
            try:
                qs = next(step)
                while True:
                    qs = step.send(await qs._afetch_all())
            except StopIteration:
                pass
