"""QuerySet: lazy, chainable, cached once evaluated; every terminal method has an async form.

Each terminal method is written once, as a flow of steps (``djanco.utils.flow``) that its sync
form drives with ``run()`` and its async form with ``arun()``.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast, overload

from djanco.core.exceptions import FieldError
from djanco.db import DEFAULT_DB_ALIAS, IntegrityError
from djanco.db.models import deletion, persistence
from djanco.db.models import prefetch as prefetching
from djanco.db.models.expressions import Combinable, OrderBy
from djanco.db.models.prefetch import Prefetch
from djanco.db.models.query_utils import Q
from djanco.db.models.sql import execute as ex
from djanco.db.models.sql.execute import FLAT, MODEL, NAMED, VALUES, VALUES_LIST
from djanco.db.models.sql.query import (
    Condition,
    ExprCondition,
    Query,
    WhereNode,
    resolve_path,
)
from djanco.db.models.steps import Save
from djanco.db.transaction import atomic_flow
from djanco.db.utils import NotSupportedError
from djanco.utils.flow import Flow, arun, run

if TYPE_CHECKING:
    from djanco.db.models.aggregates import Aggregate
    from djanco.db.models.base import Model
    from djanco.db.models.sql.execute import RowStream

__all__ = [
    "BaseQuerySet",
    "QuerySet",
    "ValuesQuerySet",
    "aprefetch_related_objects",
    "prefetch_related_objects",
]

_M = TypeVar("_M", bound="Model")
_Row = TypeVar("_Row")


class BaseQuerySet(Generic[_M, _Row]):
    """Rows of `_Row` (model instances for QuerySet, dicts/tuples after values())."""

    def __init__(self, model: type[_M], query: Query | None = None, using: str | None = None):
        self.model = model
        self._query = query if query is not None else Query(model)
        self._db = using
        self._result_cache: list[_Row] | None = None
        self._row_kind = MODEL
        self._prefetch: tuple[str | Prefetch, ...] = ()

    # --- plumbing ------------------------------------------------------------------------------

    def _clone(self) -> Self:
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        new._query = self._query.clone()
        new._result_cache = None
        return new

    @property
    def db(self) -> str:
        """The database alias this queryset runs on."""
        return self._db or DEFAULT_DB_ALIAS

    @property
    def query(self) -> Query:
        return self._query

    def _fetch(self) -> Flow[list[_Row]]:
        """The rows from the database (and their prefetch_related() objects)."""
        rows = ex.fetch_results(self._query, self._row_kind, self._db)
        return self._prefetched(rows) if self._prefetch else rows

    def _prefetched(self, fetch: Flow[list[_Row]]) -> Flow[list[_Row]]:
        rows = yield from fetch
        yield from prefetching.prefetch(rows, self._prefetch, _prefetch_queryset)  # type: ignore[arg-type]
        return rows

    def _fetch_all(self) -> list[_Row]:
        if self._result_cache is None:
            self._result_cache = run(self._fetch())
        return self._result_cache

    async def _afetch_all(self) -> list[_Row]:
        if self._result_cache is None:
            self._result_cache = await arun(self._fetch())
        return self._result_cache

    def _results(self) -> Flow[list[_Row]]:
        """The rows, from the cache once evaluated (as iteration gives them)."""
        if self._result_cache is None:
            self._result_cache = yield from self._fetch()
        return self._result_cache

    # --- evaluation ----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[_Row]:
        return iter(self._fetch_all())

    def __aiter__(self) -> AsyncIterator[_Row]:
        async def rows() -> AsyncIterator[_Row]:
            for row in await self._afetch_all():
                yield row

        return rows()

    def __len__(self) -> int:
        return len(self._fetch_all())

    def __bool__(self) -> bool:
        return bool(self._fetch_all())

    def __repr__(self) -> str:
        data = list(self[:21])
        more = ", ...(remaining elements truncated)..." if len(data) > 20 else ""
        inner = ", ".join(repr(x) for x in data[:20])
        return f"<{type(self).__name__} [{inner}{more}]>"

    @overload
    def __getitem__(self, k: int) -> _Row: ...
    @overload
    def __getitem__(self, k: slice) -> Self: ...
    def __getitem__(self, k: int | slice) -> _Row | Self:
        if isinstance(k, int):
            if k < 0:
                raise ValueError("Negative indexing is not supported.")
            if self._result_cache is not None:
                return self._result_cache[k]
            qs = self._clone()
            qs._query.set_limits(k, k + 1)
            rows = qs._fetch_all()
            if not rows:
                raise IndexError("QuerySet index out of range")
            return rows[0]
        if not isinstance(k, slice):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k).__name__}.")
        if (k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0):
            raise ValueError("Negative indexing is not supported.")
        if k.step is not None and k.step <= 0:
            raise ValueError("A QuerySet slice step must be a positive integer.")
        if self._result_cache is not None:
            if k.step is not None:  # as Django: a stepped slice is a list
                return self._result_cache[k]  # type: ignore[return-value]
            new = self._clone()
            new._result_cache = self._result_cache[k]
            return new
        qs = self._clone()
        qs._query.set_limits(k.start, k.stop)
        if k.step is not None:
            return list(qs)[:: k.step]  # type: ignore[return-value]
        return qs

    def iterator(self, chunk_size: int | None = None) -> Iterator[_Row]:
        """Stream rows (server-side cursor, `chunk_size` rows at a time) without filling the
        queryset's cache; prefetch_related() lookups run once per chunk."""
        stream = self._stream(chunk_size)
        try:
            while (rows := run(stream.next_rows())) is not None:
                yield from rows
        finally:
            run(stream.close())

    async def aiterator(self, chunk_size: int | None = None) -> AsyncIterator[_Row]:
        """Async form of `iterator()`."""
        stream = self._stream(chunk_size)
        try:
            while (rows := await arun(stream.next_rows())) is not None:
                for row in rows:
                    yield row
        finally:
            await arun(stream.close())

    def _stream(self, chunk_size: int | None) -> RowStream:
        prefetch = self._prefetch
        return ex.RowStream(
            self._query,
            self._row_kind,
            self._db,
            chunk_size or 2000,
            (lambda rows: prefetching.prefetch(rows, prefetch, _prefetch_queryset))
            if prefetch
            else None,
        )

    # --- chaining ------------------------------------------------------------------------------

    def all(self) -> Self:
        return self._clone()

    def none(self) -> Self:
        qs = self._clone()
        qs._query.empty = True
        return qs

    def filter(self, *args: Q | Combinable, **kwargs: object) -> Self:
        """Rows matching every condition (`field__lookup=value`, Q objects)."""
        self._not_support_combined_queries("filter")
        self._check_filterable()
        qs = self._clone()
        qs._add_q(args, kwargs, negated=False)
        return qs

    def exclude(self, *args: Q | Combinable, **kwargs: object) -> Self:
        """Rows not matching the conditions taken together."""
        self._not_support_combined_queries("exclude")
        self._check_filterable()
        qs = self._clone()
        qs._add_q(args, kwargs, negated=True)
        return qs

    def _check_filterable(self) -> None:
        if self._query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")

    def _not_support_combined_queries(self, operation: str) -> None:
        """As Django: only ordering, slicing, values() and evaluation follow union() & co."""
        combinator = self._query.combinator
        if combinator is not None:
            raise NotSupportedError(
                f"Calling QuerySet.{operation}() after {combinator[0]}() is not supported."
            )

    def _check_update(self) -> None:
        self._not_support_combined_queries("update")
        if self._query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")

    def _check_delete(self) -> None:
        self._not_support_combined_queries("delete")
        if self._query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self._row_kind != MODEL:
            raise TypeError("Cannot call delete() after .values() or .values_list()")

    def _add_q(
        self, args: Sequence[Q | Combinable], kwargs: Mapping[str, object], negated: bool
    ) -> None:
        query = self._query
        node = WhereNode(negated=negated) if negated else query.where
        having = WhereNode(negated=negated)
        for q in args:
            if hasattr(q, "resolve_sa"):  # a boolean expression such as Exists(...)
                resolve = getattr(q, "resolve", None)
                node.children.append(ExprCondition(resolve(query) if resolve else q))
                continue
            if not isinstance(q, Q):
                raise TypeError(
                    f"filter() positional arguments must be Q objects or expressions, not {q!r}."
                )
            built = query.q_to_node(q)
            (having if _refers_to_aggregate(query, built) else node).children.append(built)
        for path, value in kwargs.items():
            cond = query.add_filter(path, value)
            (having if _refers_to_aggregate(query, cond) else node).children.append(cond)
        if negated and node.children:
            query.where.children.append(node)
        if having.children:
            query.having.children.append(having)

    def order_by(self, *fields: str | OrderBy) -> Self:
        """Order by fields (`-name` descending, `author__name`, `?` random); none clears."""
        qs = self._clone()
        for item in fields:
            name = item.lstrip("-+") if isinstance(item, str) else None
            if name is not None and name != "?" and name not in self._query.annotations:
                resolve_path(self.model, name, allow_lookup=False)
        qs._query.order_by = tuple(fields)  # type: ignore[arg-type]
        qs._query.default_ordering = False
        return qs

    def reverse(self) -> Self:
        qs = self._clone()
        flipped: list[Any] = []
        for item in self._query.ordering():
            if isinstance(item, OrderBy):
                flipped.append(item.reversed())
            elif item == "?":
                flipped.append(item)
            else:
                flipped.append(item[1:] if item.startswith("-") else f"-{item}")
        qs._query.order_by = tuple(flipped)
        qs._query.default_ordering = False
        return qs

    @property
    def ordered(self) -> bool:
        return bool(self._query.ordering())

    def distinct(self) -> Self:
        self._not_support_combined_queries("distinct")
        qs = self._clone()
        qs._query.distinct = True
        return qs

    def using(self, alias: str | None) -> Self:
        qs = self._clone()
        qs._db = alias
        return qs

    def select_related(self, *fields: str | None) -> Self:
        """Load forward foreign keys and reverse one-to-ones (multi-level `a__b`) in the same
        query with JOINs."""
        self._not_support_combined_queries("select_related")
        qs = self._clone()
        if fields == (None,):
            qs._query.select_related = None
            return qs
        tree: dict[str, Any] = copy.deepcopy(self._query.select_related or {})
        if not fields:
            tree = _all_fk_tree(self.model)
        for path in fields:
            assert path is not None
            node = tree
            for part in path.split("__"):
                node = node.setdefault(part, {})
        qs._query.select_related = tree
        return qs

    def prefetch_related(self, *lookups: str | Prefetch | None) -> Self:
        """Load related objects (reverse FK, many-to-many, forward FK; `a__b` for several
        levels; `Prefetch(...)` for a custom queryset) with one query per relation."""
        self._not_support_combined_queries("prefetch_related")
        qs = self._clone()
        if lookups == (None,):
            qs._prefetch = ()
        else:
            qs._prefetch = (*self._prefetch, *(x for x in lookups if x is not None))
        return qs

    def annotate(self, *args: Aggregate, **kwargs: object) -> Self:
        """Add computed values (aggregates over relations, functions) to each row."""
        self._not_support_combined_queries("annotate")
        qs = self._clone()
        named: dict[str, object] = {}
        for agg in args:
            if not hasattr(agg, "default_alias"):
                raise TypeError(
                    "Complex annotations require an alias, e.g. annotate(n=Count('x'))."
                )
            named[agg.default_alias()] = agg
        named.update(kwargs)
        for name, expression in named.items():
            if not hasattr(expression, "resolve_sa"):
                raise TypeError(
                    f"annotate() argument '{name}' is not an expression: {expression!r}"
                )
            qs._query.add_annotation(name, expression)
            if self._row_kind != MODEL and qs._query.values_fields is not None:
                qs._query.values_fields = (*qs._query.values_fields, name)
        return qs

    def _aggregate_query(self, args: Sequence[Aggregate], kwargs: Mapping[str, object]) -> Query:
        source = self._query
        if source.annotations or source.is_sliced or source.distinct or source.combinator:
            # As Django: aggregate over the rows of the query wrapped as a subquery.
            inner = source.clone()
            inner.select_related = None
            inner.deferred = (frozenset(), True)
            inner.for_update = None
            if not inner.is_sliced:
                inner.order_by = ()
                inner.default_ordering = False
            query = Query(self.model)
            query.subquery = inner
            query.low, query.high = inner.low, inner.high
        else:
            query = source.clone()
        query.order_by = ()
        query.default_ordering = False
        named: dict[str, object] = {a.default_alias(): a for a in args}
        named.update(kwargs)
        if not named:
            raise TypeError("aggregate() needs at least one aggregate.")
        for name, expression in named.items():
            if not getattr(expression, "contains_aggregate", False):
                raise TypeError(f"{expression!r} is not an aggregate expression.")
            query.add_annotation(name, expression, is_aggregate=True)
        return query

    def aggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        """{name: value} of aggregates over the rows (`aggregate(total=Sum("views"))`)."""
        return run(self._aggregate(args, kwargs))

    async def aaggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        return await arun(self._aggregate(args, kwargs))

    def _aggregate(
        self, args: Sequence[Aggregate], kwargs: Mapping[str, Aggregate]
    ) -> Flow[dict[str, Any]]:
        query = self._aggregate_query(args, kwargs)
        compiled, rows = yield from ex.fetch(query, "aggregate", self._db)
        return dict(zip(compiled.columns, ex.convert_rows(compiled, rows)[0], strict=True))

    def only(self, *fields: str) -> Self:
        self._not_support_combined_queries("only")
        qs = self._clone()
        qs._query.deferred = (frozenset(self._check_names(fields)), False)
        return qs

    def defer(self, *fields: str | None) -> Self:
        self._not_support_combined_queries("defer")
        qs = self._clone()
        if fields == (None,):
            qs._query.deferred = (frozenset(), True)
        else:
            names = self._check_names([f for f in fields if f is not None])
            qs._query.deferred = (self._query.deferred[0] | set(names), True)
        return qs

    def _check_names(self, names: Iterable[str]) -> list[str]:
        out = []
        for name in names:
            if "__" in name:
                raise FieldError(
                    f"only()/defer() across relations ('{name}') is not supported yet."
                )
            field = self.model._meta.get_field(name)
            out.append(field.name)
        return out

    def _combine(self, operator: str, others: Sequence[BaseQuerySet[Any, Any]], all: bool) -> Self:
        """As Django: the result combines this whole query (its slice included) with the
        others; it is ordered by Meta.ordering until order_by() and has no slice."""
        for other in others:
            if self._row_kind == MODEL and (
                other.model is not self.model or other._row_kind != MODEL
            ):
                raise TypeError(f"{operator}() needs querysets of the same model and row kind.")
        qs = self._clone()
        query = qs._query
        parts = [*_combined_parts(self._query, operator, all, first=True)]
        for other in others:
            parts.extend(_combined_parts(other._query, operator, all, first=False))
        query.combinator = (operator, all, tuple(parts))
        query.order_by = ()
        query.default_ordering = True
        query.low, query.high = 0, None
        query.empty = False
        return qs

    def union(self, *other_qs: BaseQuerySet[Any, Any], all: bool = False) -> Self:
        """Rows of this or the other querysets (UNION; `all=True` keeps duplicates)."""
        if self._query.empty:  # as Django: none() parts drop out
            nonempty = [qs for qs in other_qs if not qs._query.empty]
            if not nonempty:
                return self._clone()
            return cast(Self, nonempty[0].union(*nonempty[1:], all=all))
        if not other_qs:
            return self._clone()
        return self._combine("union", other_qs, all)

    def intersection(self, *other_qs: BaseQuerySet[Any, Any]) -> Self:
        """Rows in every queryset (INTERSECT)."""
        if self._query.empty or any(qs._query.empty for qs in other_qs):
            return self.none()
        return self._combine("intersection", other_qs, False)

    def difference(self, *other_qs: BaseQuerySet[Any, Any]) -> Self:
        """Rows of this queryset that are in none of the others (EXCEPT)."""
        if self._query.empty:
            return self._clone()
        return self._combine("difference", other_qs, False)

    def select_for_update(self, nowait: bool = False, skip_locked: bool = False) -> Self:
        qs = self._clone()
        qs._query.for_update = (nowait, skip_locked)
        return qs

    def values(self, *fields: str, **expressions: object) -> ValuesQuerySet[_M, dict[str, Any]]:
        """Dicts of field values instead of instances (all concrete fields by default);
        keyword arguments add computed values: `values("id", low=Lower("name"))`."""
        if expressions:
            qs = self.annotate(**expressions)
            return qs._values((*fields, *expressions), VALUES)
        return self._values(fields, VALUES)

    def contains(self, obj: _M) -> bool:
        """True if `obj` is among this queryset's rows (a query unless already loaded)."""
        return run(self._contains(obj))

    async def acontains(self, obj: _M) -> bool:
        return await arun(self._contains(obj))

    def _contains(self, obj: _M) -> Flow[bool]:
        self._not_support_combined_queries("contains")
        if not isinstance(obj, self.model):
            raise TypeError(f"contains() expects a {self.model.__name__} instance.")
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is not None:
            return obj in self._result_cache
        return (yield from self.filter(pk=obj.pk)._exists())

    @overload
    def values_list(
        self, *fields: str | Combinable, flat: Literal[True], named: Literal[False] = False
    ) -> ValuesQuerySet[_M, Any]: ...
    @overload
    def values_list(
        self, *fields: str | Combinable, flat: Literal[False] = False, named: bool = False
    ) -> ValuesQuerySet[_M, tuple[Any, ...]]: ...
    def values_list(
        self, *fields: str | Combinable, flat: bool = False, named: bool = False
    ) -> ValuesQuerySet[_M, Any]:
        """Tuples of field values; `flat=True` with one field gives the bare values.
        Expressions may stand among the names: `values_list("name", Lower("name"))`."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one field."
            )
        kind = FLAT if flat else NAMED if named else VALUES_LIST
        names: list[str] = []
        expressions: dict[str, object] = {}
        counter = 1
        for field in fields:
            if isinstance(field, str):
                names.append(field)
                continue
            if not hasattr(field, "resolve_sa"):
                raise TypeError(f"values_list() arguments must be names or expressions: {field!r}")
            # As Django: an expression is named after its default alias (or its class) and a
            # number, e.g. "lower1".
            alias = getattr(field, "default_alias", None)
            prefix = alias() if callable(alias) else type(field).__name__.lower()
            while True:
                name = f"{prefix}{counter}"
                counter += 1
                if name not in names and name not in self._query.annotations:
                    break
            expressions[name] = field
            names.append(name)
        if expressions:
            return self.annotate(**expressions)._values(names, kind)
        return self._values(names, kind)

    def _values(self, fields: Sequence[str], kind: str) -> ValuesQuerySet[_M, Any]:
        annotations = self._query.annotations
        names = tuple(fields) or (
            *(f.attname for f in self.model._meta.concrete_fields),
            *annotations,
        )
        for name in names:
            if name not in annotations:
                resolve_path(self.model, name, allow_lookup=False)
        qs: ValuesQuerySet[_M, Any] = ValuesQuerySet(self.model, self._query.clone(), self._db)
        qs._query.values_fields = names
        qs._row_kind = kind
        qs._prefetch = ()
        return qs

    # --- single results ------------------------------------------------------------------------

    def _get_clone(
        self, args: Sequence[Q | Combinable], kwargs: Mapping[str, object], fresh: bool = False
    ) -> Self:
        qs = self if fresh else self._clone()  # fresh: a manager's new queryset, not shared
        combinator = self._query.combinator
        if combinator is not None and (args or kwargs):
            raise NotSupportedError(
                f"Calling QuerySet.get(...) with filters after {combinator[0]}() is not supported."
            )
        if args or kwargs:
            qs._check_filterable()
            qs._add_q(args, kwargs, negated=False)
        query = qs._query
        if not query.is_sliced and query.for_update is None:
            query.order_by = ()
            query.default_ordering = False
        if not query.is_sliced:
            query.set_limits(None, ex.MAX_GET_RESULTS)
        return qs

    def _one(self, rows: list[_Row]) -> _Row:
        row: _Row = ex.one(self.model, rows)
        return row

    def get(self, *args: Q | Combinable, **kwargs: object) -> _Row:
        """The single row matching; `Model.DoesNotExist` / `MultipleObjectsReturned` otherwise."""
        return self._one(run(self._get_clone(args, kwargs)._fetch()))

    async def aget(self, *args: Q | Combinable, **kwargs: object) -> _Row:
        """Async form of `get()`."""
        return self._one(await arun(self._get_clone(args, kwargs)._fetch()))

    def _first_clone(self, last: bool) -> Self:
        qs = self if self.ordered else self.order_by("pk")
        if last:
            qs = qs.reverse()
        return qs[:1]

    def first(self) -> _Row | None:
        """The first row (by the ordering, else by primary key), or None."""
        return _first(run(self._first_clone(False)._fetch()))

    async def afirst(self) -> _Row | None:
        return _first(await arun(self._first_clone(False)._fetch()))

    def last(self) -> _Row | None:
        """The last row (by the ordering, else by primary key), or None."""
        return _first(run(self._first_clone(True)._fetch()))

    async def alast(self) -> _Row | None:
        return _first(await arun(self._first_clone(True)._fetch()))

    def _latest_clone(self, fields: Sequence[str], reverse: bool) -> Self:
        names = list(fields) or (
            [self.model._meta.get_latest_by] if self.model._meta.get_latest_by else []
        )
        if not names:
            raise ValueError(
                "earliest() and latest() require either fields as positional arguments or "
                "'get_latest_by' in the model's Meta."
            )
        qs = self.order_by(*names)
        if reverse:
            qs = qs.reverse()
        return qs[:1]

    def latest(self, *fields: str) -> _Row:
        return self._one(run(self._latest_clone(fields, True)._fetch()))

    async def alatest(self, *fields: str) -> _Row:
        return self._one(await arun(self._latest_clone(fields, True)._fetch()))

    def earliest(self, *fields: str) -> _Row:
        return self._one(run(self._latest_clone(fields, False)._fetch()))

    async def aearliest(self, *fields: str) -> _Row:
        return self._one(await arun(self._latest_clone(fields, False)._fetch()))

    # --- aggregates over rows --------------------------------------------------------------------

    def count(self) -> int:
        """The number of rows (a COUNT query unless the results are already loaded)."""
        return run(self._count())

    async def acount(self) -> int:
        return await arun(self._count())

    def _count(self) -> Flow[int]:
        if self._result_cache is not None:
            return len(self._result_cache)
        if self._query.empty:  # none(): no query, as Django
            return 0
        _, rows = yield from ex.fetch(self._query, "count", self._db)
        count: Any = rows[0][0]
        return int(count)

    def exists(self) -> bool:
        """True if there is at least one row (a LIMIT 1 query)."""
        return run(self._exists())

    async def aexists(self) -> bool:
        return await arun(self._exists())

    def _exists(self) -> Flow[bool]:
        if self._result_cache is not None:
            return bool(self._result_cache)
        if self._query.empty:  # none(): no query, as Django
            return False
        _, rows = yield from ex.fetch(self._query, "exists", self._db)
        return bool(rows)

    def in_bulk(
        self, id_list: Iterable[object] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _M]:
        """{value of `field_name`: instance} for the given values (or every row)."""
        return run(self._in_bulk(id_list, field_name))

    async def ain_bulk(
        self, id_list: Iterable[object] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _M]:
        return await arun(self._in_bulk(id_list, field_name))

    def _in_bulk(self, id_list: Iterable[object] | None, field_name: str) -> Flow[dict[Any, _M]]:
        qs = self._in_bulk_clone(id_list, field_name)
        if qs is None:
            return {}
        attname = self._in_bulk_attname(field_name)
        return {obj.__dict__[attname]: obj for obj in (yield from qs._fetch())}

    def _in_bulk_attname(self, field_name: str) -> str:
        opts = self.model._meta
        if field_name == "pk":
            assert opts.pk is not None
            return opts.pk.attname
        field: Any = opts.get_field(field_name)
        if not field.unique:
            raise ValueError(
                f"in_bulk()'s field_name must be a unique field but {field_name!r} isn't."
            )
        return str(field.attname)

    def _in_bulk_clone(
        self, id_list: Iterable[object] | None, field_name: str
    ) -> BaseQuerySet[_M, _M] | None:
        if self._row_kind != MODEL:
            raise TypeError("in_bulk() cannot be used with values() or values_list().")
        qs: BaseQuerySet[_M, _M] = self._clone()  # type: ignore[assignment]
        if id_list is not None:
            ids = list(id_list)
            if not ids:
                return None
            qs = qs.filter(**{f"{field_name}__in": ids})
        qs._query.order_by = ()
        qs._query.default_ordering = False
        return qs

    # --- writes --------------------------------------------------------------------------------

    def create(self, **kwargs: object) -> _M:
        """Make an instance from `kwargs` and insert it (with its `save()`)."""
        return run(self._create(kwargs))

    async def acreate(self, **kwargs: object) -> _M:
        return await arun(self._create(kwargs))

    def _create(self, kwargs: Mapping[str, object]) -> Flow[_M]:
        obj = self.model(**kwargs)
        yield Save(obj, force_insert=True, using=self._db)
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
        return run(self._get_or_create(defaults, kwargs))

    async def aget_or_create(
        self, defaults: Mapping[str, object] | None = None, **kwargs: object
    ) -> tuple[_M, bool]:
        return await arun(self._get_or_create(defaults, kwargs))

    def _get_model(self, kwargs: Mapping[str, object]) -> Flow[_M]:
        """get(**kwargs) on a queryset of instances."""
        rows = yield from self._get_clone((), kwargs)._fetch()
        obj: _M = ex.one(self.model, rows)
        return obj

    def _get_or_create(
        self, defaults: Mapping[str, object] | None, kwargs: Mapping[str, object]
    ) -> Flow[tuple[_M, bool]]:
        try:
            return (yield from self._get_model(kwargs)), False
        except self.model.DoesNotExist:
            params = self._create_params(kwargs, defaults)
            try:
                return (yield from atomic_flow(self._create(params), self.db)), True
            except IntegrityError:
                try:
                    return (yield from self._get_model(kwargs)), False
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
        return run(atomic_flow(self._update_or_create(defaults, create_defaults, kwargs), self.db))

    async def aupdate_or_create(
        self,
        defaults: Mapping[str, object] | None = None,
        create_defaults: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> tuple[_M, bool]:
        flow = self._update_or_create(defaults, create_defaults, kwargs)
        return await arun(atomic_flow(flow, self.db))

    def _update_or_create(
        self,
        defaults: Mapping[str, object] | None,
        create_defaults: Mapping[str, object] | None,
        kwargs: Mapping[str, object],
    ) -> Flow[tuple[_M, bool]]:
        """In a transaction: the row locked (select_for_update), updated, or else created."""
        try:
            obj = yield from self.select_for_update()._get_model(kwargs)
        except self.model.DoesNotExist:
            params = self._create_params(
                kwargs, defaults if create_defaults is None else create_defaults
            )
            return (yield from self._create(params)), True
        for key, value in (defaults or {}).items():
            setattr(obj, key, value() if callable(value) else value)
        yield Save(obj, using=self.db)
        return obj, False

    def bulk_create(
        self, objs: Iterable[_M], batch_size: int | None = None, ignore_conflicts: bool = False
    ) -> list[_M]:
        """Insert many instances in few queries; sets their pks where the database returns them."""
        return run(self._bulk_create(objs, batch_size, ignore_conflicts))

    async def abulk_create(
        self, objs: Iterable[_M], batch_size: int | None = None, ignore_conflicts: bool = False
    ) -> list[_M]:
        return await arun(self._bulk_create(objs, batch_size, ignore_conflicts))

    def _bulk_create(
        self, objs: Iterable[_M], batch_size: int | None, ignore_conflicts: bool
    ) -> Flow[list[_M]]:
        items = list(objs)
        yield from persistence.bulk_insert(
            self.model, items, self._db, batch_size, ignore_conflicts
        )
        return items

    def bulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Save `fields` of many instances with one `UPDATE ... CASE` per batch; the number
        of rows matched."""
        return run(persistence.bulk_update(self.model, list(objs), fields, self._db, batch_size))

    async def abulk_update(
        self, objs: Iterable[_M], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        flow = persistence.bulk_update(self.model, list(objs), fields, self._db, batch_size)
        return await arun(flow)

    def update(self, **kwargs: object) -> int:
        """UPDATE every matching row (values may be F expressions); the number of rows."""
        return run(self._update(kwargs))

    async def aupdate(self, **kwargs: object) -> int:
        return await arun(self._update(kwargs))

    def _update(self, kwargs: Mapping[str, object]) -> Flow[int]:
        self._check_update()
        return persistence.update_query(self._query, kwargs, self._db)

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete every matching row, applying on_delete: (total, {model label: count})."""
        return run(self._delete())

    async def adelete(self) -> tuple[int, dict[str, int]]:
        return await arun(self._delete())

    def _delete(self) -> Flow[tuple[int, dict[str, int]]]:
        self._check_delete()
        return deletion.delete_query(self._query, self._db)


class QuerySet(BaseQuerySet[_M, _M]):
    """A lazy query over `_M` instances."""


class ValuesQuerySet(BaseQuerySet[_M, _Row]):
    """A query returning dicts (`values()`), tuples or bare values (`values_list()`)."""


def _combined_parts(query: Query, operator: str, all: bool, first: bool) -> tuple[Query, ...]:
    """The parts `query` adds to a combination: its own parts when it combines with the same
    operator and is not sliced (`a.union(b).union(c)` is `a.union(b, c)`; only the left side
    of a difference flattens), else the whole query (a nested statement)."""
    combinator = query.combinator
    if (
        combinator is not None
        and combinator[:2] == (operator, all)
        and not query.is_sliced
        and not query.empty
        and (first or operator != "difference")
    ):
        return combinator[2]
    return (query.clone(),)


def _refers_to_aggregate(query: Query, node: WhereNode | Condition) -> bool:
    """Conditions on aggregate annotations belong in HAVING."""
    leaves = [node] if not isinstance(node, WhereNode) else list(node.leaves())
    for leaf in leaves:
        name = leaf.resolved.annotation
        if name is not None and getattr(query.annotations[name], "contains_aggregate", False):
            return True
    return False


def _all_fk_tree(model: type[Model], seen: tuple[type[Model], ...] = ()) -> dict[str, Any]:
    """select_related() without names: every non-null foreign key, recursively (Django's
    rule), stopping at five levels and at models already on the path."""
    tree: dict[str, Any] = {}
    if len(seen) >= 5:
        return tree
    for field in model._meta.concrete_fields:
        if field.is_relation and not field.null:
            target: type[Model] = getattr(field, "related_model")  # noqa: B009
            if target in seen or target is model:
                tree[field.name] = {}
            else:
                tree[field.name] = _all_fk_tree(target, (*seen, model))
    return tree


def _first(rows: list[_Row]) -> _Row | None:
    return rows[0] if rows else None


def _prefetch_queryset(
    queryset: QuerySet[Any], db: str | None, filters: Mapping[str, object]
) -> Flow[list[Any]]:
    """The rows of a `Prefetch(queryset=...)` for instances of `db` (unless the queryset names
    its own database), with its own prefetch_related() lookups."""
    return queryset.using(queryset._db or db).filter(**filters)._fetch()


def prefetch_related_objects(instances: Sequence[Model], *lookups: str | Prefetch) -> None:
    """Fill related managers / attributes of `instances` for each `a__b` lookup path."""
    run(prefetching.prefetch(instances, lookups, _prefetch_queryset))


async def aprefetch_related_objects(instances: Sequence[Model], *lookups: str | Prefetch) -> None:
    await arun(prefetching.prefetch(instances, lookups, _prefetch_queryset))
