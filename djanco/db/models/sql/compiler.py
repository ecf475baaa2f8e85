"""Compile a Query to a SQLAlchemy Core statement, once per query shape and database.

Bind parameters are numbered p0, p1, ... in a fixed order — first those of the where-tree
(in `Query.params()` order), then the tail (limit, offset, constants) — so a cached compiled
statement is reused with nothing more than a new list of values.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.conf import on_setting_changed
from djanco.core.exceptions import FieldError
from djanco.db.models.expressions import F, OrderBy
from djanco.db.models.fields.temporal import DateTimeField
from djanco.db.models.json_lookups import key_expression
from djanco.db.models.lookups import TRANSFORMS, local_datetime
from djanco.db.models.sql.query import (
    Condition,
    ExprCondition,
    JoinStep,
    Query,
    WhereNode,
    resolve_path,
)
from djanco.db.models.sql.statement import bind_values, clear_statements, param_order
from djanco.db.utils import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.selectable import FromClause

    from djanco.db.backends import CompiledQuery, DatabaseOperations, DatabaseWrapper, Params
    from djanco.db.models.base import Model
    from djanco.db.models.fields.base import Converter, Field

LIMIT = "limit"
OFFSET = "offset"


class ModelPlan:
    """How to turn a slice of a row into an instance of `model` (and its select_related)."""

    __slots__ = (
        "attnames",
        "back",
        "builder",
        "converters",
        "links_back",
        "model",
        "name",
        "pk_index",
        "related",
        "start",
        "stop",
    )

    def __init__(
        self,
        model: type[Model],
        name: str,
        attnames: tuple[str, ...],
        start: int,
        converters: tuple[tuple[int, Converter], ...],
        pk_index: int,
    ) -> None:
        self.model = model
        self.name = name  # the relation's field name (select_related), "" for the root
        self.attnames = attnames
        self.start = start
        self.stop = start + len(attnames)
        self.converters = converters  # (index within the slice, converter)
        self.pk_index = pk_index
        self.related: list[ModelPlan] = []
        self.builder: Callable[..., list[Any]] | None = None  # made by sql.execute
        # Across a one-to-one the related object caches its parent under this name too
        # (`place.restaurant.place is place`, as Django); `links_back`: here or below.
        self.back = ""
        self.links_back = False


def link_back(plan: ModelPlan, objs: list[Any]) -> None:
    """Cache each select_related object's link back to the object it was loaded for, where
    `plan.back` names one (one-to-one relations), so following it back costs no query."""
    for sub in plan.related:
        if not sub.links_back:
            continue
        children: list[Any] = []
        for obj in objs:
            related = obj._state.fields_cache.get(sub.name)
            if related is None:
                continue
            if sub.back:
                related._state.fields_cache[sub.back] = obj
            children.append(related)
        link_back(sub, children)


class Compiled:
    """A cached compiled query: SQL, how to order values, and how to read the rows."""

    __slots__ = (
        "by_name",
        "columns",
        "converters",
        "order",
        "plan",
        "query",
        "tail",
    )

    def __init__(
        self,
        query: CompiledQuery,
        tail: list[object],
        plan: ModelPlan | None,
        columns: tuple[str, ...],
        converters: tuple[tuple[int, Converter], ...],
    ) -> None:
        self.query = query
        self.tail = tail
        self.plan = plan
        self.columns = columns
        self.converters = converters
        self.order, self.by_name = param_order(query.names)

    def values(self, query: Query, where_params: list[object]) -> Params:
        values = where_params
        if self.tail:
            values = list(values)
            for item in self.tail:
                if item == LIMIT:
                    assert query.high is not None
                    values.append(query.high - query.low)
                elif item == OFFSET:
                    values.append(query.low)
                else:
                    values.append(item[1])  # type: ignore[index]
        return bind_values(values, self.order, self.by_name)


_caches: weakref.WeakKeyDictionary[DatabaseWrapper, dict[object, Compiled]] = (
    weakref.WeakKeyDictionary()
)
_MAX_CACHED = 4000


def get_compiled(query: Query, kind: str, wrapper: DatabaseWrapper) -> Compiled:
    """The compiled form of `query` for `wrapper`, from the per-shape cache when possible."""
    cache = _caches.get(wrapper)
    if cache is None:
        cache = _caches[wrapper] = {}
    key = query.shape(kind)
    compiled = cache.get(key)
    if compiled is None:
        compiled = SelectCompiler(query, wrapper.ops).compile(kind, wrapper)
        if len(cache) >= _MAX_CACHED:
            cache.clear()
        cache[key] = compiled
    return compiled


def _is_reverse_one_to_one(field: object) -> bool:
    """The reverse side of a OneToOneField (made by the field, not declared)."""
    return bool(getattr(field, "auto_created", False) and getattr(field, "one_to_one", False))


def _converter(expression: object, ops: DatabaseOperations) -> Converter | None:
    converter = getattr(expression, "converter", None)
    result: Converter | None = converter(ops) if converter is not None else None
    return result


def clear_caches() -> None:
    """Forget every compiled query (row converters depend on USE_TZ)."""
    _caches.clear()
    clear_statements()


def _setting_changed(name: str) -> None:
    if name in {"USE_TZ", "TIME_ZONE", "DATABASES", "*"} or name.startswith("_"):
        clear_caches()


on_setting_changed(_setting_changed)


class SelectCompiler:
    """Turns a Query into a SQLAlchemy Select (and its row plan)."""

    def __init__(
        self,
        query: Query,
        ops: DatabaseOperations,
        counter: list[int] | None = None,
        base: FromClause | None = None,
    ) -> None:
        self.query = query
        self.ops = ops
        self.counter = counter if counter is not None else [0]
        self.model = query.model
        self.base = base if base is not None else query.model._meta.table
        self.from_: FromClause = self.base
        self.joins: dict[tuple[tuple[object, str, bool], ...], tuple[FromClause, bool]] = {}
        self.tail: list[object] = []
        self.negated_depth = 0
        self.annotation_sa: dict[str, ColumnElement[Any]] = {}
        self.outer: SelectCompiler | None = None  # the enclosing query of a Subquery
        self.group_by: list[ColumnElement[Any]] = []

    # --- CompileContext --------------------------------------------------------------------

    def bind(self, type_: sa.types.TypeEngine[Any] | None = None) -> ColumnElement[Any]:
        n = self.counter[0]
        self.counter[0] = n + 1
        return sa.bindparam(f"p{n}", type_=type_)

    def expression(self, value: object) -> ColumnElement[Any]:
        if type(value) is F:  # not OuterRef, which resolves against the enclosing query
            if value.name in self.annotation_sa:
                return self.annotation_sa[value.name]
            resolved = resolve_path(self.model, value.name, allow_lookup=False)
            return self.column(
                resolved.steps, resolved.field, resolved.transforms, keys=resolved.keys
            )
        resolve = getattr(value, "resolve_sa", None)
        if resolve is None:
            raise FieldError(f"{value!r} is not an expression.")
        return resolve(self)  # type: ignore[no-any-return]

    def inner_select(self, query: Query, kind: str) -> sa.Select[Any]:
        base = query.model._meta.table.alias(f"U{self.counter[0]}")
        sub = SelectCompiler(query, self.ops, self.counter, base=base)
        sub.outer = self
        return sub.build(kind)

    def subquery(self, value: object) -> ColumnElement[Any]:
        query: Query = value._query  # type: ignore[attr-defined]
        sub = SelectCompiler(query, self.ops, self.counter)
        stmt = sub.build("values" if query.values_fields else "pks")
        if sub.tail:
            raise FieldError("A sliced queryset cannot be used as an 'in' value yet.")
        return stmt.scalar_subquery()

    # --- joins and columns ---------------------------------------------------------------------

    def join(self, steps: tuple[JoinStep, ...], outer: bool = False) -> FromClause:
        table: FromClause = self.base
        path: tuple[tuple[object, str, bool], ...] = ()
        for step in steps:
            path = (*path, step.key())
            found = self.joins.get(path)
            if found is not None:
                table = found[0]
                continue
            target = step.to_model._meta.table.alias(f"T{len(self.joins) + 2}")
            field: Any = step.field
            if step.reverse:
                onclause = table.c[field.target_field().column] == target.c[field.column]
            else:
                onclause = table.c[field.column] == target.c[field.target_field().column]
            isouter = outer or step.nullable or step.reverse
            self.from_ = self.from_.join(target, onclause, isouter=isouter)
            self.joins[path] = (target, isouter)
            table = target
        return table

    def column(
        self,
        steps: tuple[JoinStep, ...],
        field: Field[Any],
        transforms: tuple[str, ...] = (),
        outer: bool = False,
        keys: tuple[str, ...] = (),
        json_mode: str = "value",
    ) -> ColumnElement[Any]:
        table = self.join(steps, outer)
        col: ColumnElement[Any] = table.c[field.column]
        if keys:  # a JSONField key path
            return key_expression(col, field, keys, self.ops, json_mode)
        if transforms:
            if isinstance(field, DateTimeField):
                col = local_datetime(col, self.ops)  # date parts in the current time zone
            for name in transforms:
                col = TRANSFORMS[name](col, self.ops)
        return col

    # --- where ---------------------------------------------------------------------------------

    def where(self, node: WhereNode) -> ColumnElement[Any] | None:
        parts: list[ColumnElement[Any]] = []
        if node.negated:
            self.negated_depth += 1
        for child in node.children:
            if isinstance(child, Condition):
                parts.append(self.condition(child))
            elif isinstance(child, ExprCondition):
                parts.append(child.expression.resolve_sa(self))
            else:
                sub = self.where(child)
                if sub is not None:
                    parts.append(sub)
        if node.negated:
            self.negated_depth -= 1
        if not parts:
            return None
        expr = sa.and_(*parts) if node.connector == "AND" else sa.or_(*parts)
        return sa.not_(expr) if node.negated else expr

    def where_node(self, node: WhereNode) -> ColumnElement[Any] | None:
        return self.where(node)

    def condition(self, cond: Condition) -> ColumnElement[Any]:
        resolved = cond.resolved
        if resolved.annotation is not None:
            lhs = self.annotation_sa[resolved.annotation]
            return cond.lookup.as_sa(lhs, self)
        if self.negated_depth and any(step.multi for step in resolved.steps):
            return self._multi_valued(cond)
        lhs = self.column(
            resolved.steps,
            resolved.field,
            resolved.transforms,
            keys=resolved.keys,
            json_mode=cond.lookup.json_lhs,
        )
        expr = cond.lookup.as_sa(lhs, self)
        if self.negated_depth and type(cond.lookup).__name__ != "IsNull":
            nullable = resolved.field.null or any(s.nullable for s in resolved.steps)
            if nullable:
                # NOT (x = v) must keep rows where x is NULL, as Django's exclude() does.
                expr = sa.and_(expr, lhs.is_not(None))
        return expr

    def _multi_valued(self, cond: Condition) -> ColumnElement[Any]:
        """`pk IN (SELECT pk ... JOIN ... WHERE cond)` for a condition across a multi-valued
        relation inside exclude()/~Q: negated, it means "no related row matches" (Django's
        semantics), not "some related row does not match"."""
        inner = Query(self.model)
        inner.where.children.append(cond)
        base = self.model._meta.table.alias(f"X{self.counter[0]}")
        sub = SelectCompiler(inner, self.ops, self.counter, base=base)
        sub.outer = self.outer
        pk = self.model._meta.pk
        assert pk is not None
        stmt = sub.build("pks")
        return self.base.c[pk.column].in_(stmt.scalar_subquery())

    # --- ordering ------------------------------------------------------------------------------

    def order_terms(self, ordering: tuple[object, ...]) -> list[ColumnElement[Any]]:
        terms: list[ColumnElement[Any]] = []
        for item in ordering:
            if isinstance(item, OrderBy):
                col = self.expression(item.expression)
                term = col.desc() if item.descending else col.asc()
                if item.nulls_last or item.nulls_first:
                    terms.extend(self.ops.order_nulls(col, term, last=item.nulls_last))
                else:
                    terms.append(term)
                continue
            if not isinstance(item, str):
                raise FieldError(f"Cannot order by {item!r}.")
            if item == "?":
                terms.append(self.ops.random())
                continue
            descending = item.startswith("-")
            name = item.lstrip("-+")
            if name in self.annotation_sa:
                col = self.annotation_sa[name]
                terms.append(col.desc() if descending else col.asc())
                continue
            resolved = resolve_path(self.model, name, allow_lookup=False)
            col = self.column(
                resolved.steps,
                resolved.field,
                resolved.transforms,
                outer=True,
                keys=resolved.keys,
                json_mode="compare",  # JSON numbers order as numbers (not on MariaDB)
            )
            terms.append(col.desc() if descending else col.asc())
        return terms

    # --- statements ----------------------------------------------------------------------------

    def compile(self, kind: str, wrapper: DatabaseWrapper) -> Compiled:
        stmt = self.build(kind)
        plan: ModelPlan | None = getattr(self, "plan", None)
        columns: tuple[str, ...] = getattr(self, "value_names", ())
        converters: tuple[tuple[int, Converter], ...] = getattr(self, "value_converters", ())
        compiled = wrapper.compile(stmt)
        if kind == "select":  # rows only go through the row builder, which just indexes them
            compiled.driver_rows = True
        return Compiled(compiled, self.tail, plan, columns, converters)

    def build(self, kind: str) -> sa.Select[Any]:
        query = self.query
        if query.combinator is not None:
            combined: sa.Select[Any] = self.build_combined(kind)
            return combined
        if kind == "aggregate" and query.subquery is not None:
            return self.build_aggregate_over(query.subquery)
        # Bind parameters are numbered in Query.params() order: annotations, where, having.
        self.annotation_sa = {
            name: expr.resolve_sa(self) for name, expr in query.annotations.items()
        }
        where = self.where(query.where) if query.where.children else None
        if query.empty:
            # none(): keep the where's parameters in the statement (they are numbered already).
            always_false = sa.literal_column("0") == sa.literal_column("1")
            where = always_false if where is None else sa.and_(always_false, where)
        if kind == "count" and not query.has_aggregate_annotations:
            return self.count_statement(where)
        if kind == "aggregate":
            cols: list[ColumnElement[Any]] = [
                col.label(name) for name, col in self.annotation_sa.items()
            ]
            self.value_names = tuple(self.annotation_sa)
            self.value_converters = tuple(
                (i, conv)
                for i, expr in enumerate(query.annotations.values())
                if (conv := _converter(expr, self.ops)) is not None
            )
            stmt = sa.select(*cols).select_from(self.from_)
            return stmt.where(where) if where is not None else stmt
        if kind in {"select", "count"}:
            cols = self.model_columns()
        elif kind == "values":
            cols = self.value_columns()
        elif kind in {"pks", "exists"}:
            pk = self.model._meta.pk
            assert pk is not None
            cols = [self.base.c[pk.column]]
            self.group_by = list(cols)
        else:
            raise ValueError(f"unknown query kind {kind}")
        having = self.where(query.having) if query.having.children else None
        terms: list[Any] = []
        if kind in {"select", "values"} or (query.is_sliced and kind != "count"):
            terms.extend(self.order_terms(query.ordering()))
        stmt = sa.select(*cols).select_from(self.from_)
        if where is not None:
            stmt = stmt.where(where)
        if query.has_aggregate_annotations:
            stmt = stmt.group_by(*self.group_by)
            if having is not None:
                stmt = stmt.having(having)
        if query.distinct:
            stmt = stmt.distinct()
        if terms:
            stmt = stmt.order_by(*terms)
        if kind == "exists":
            stmt = stmt.limit(self._tail_bind(("const", 1)))
        else:
            stmt = self._apply_limits(stmt)
        if query.for_update is not None:
            nowait, skip_locked = query.for_update
            stmt = stmt.with_for_update(nowait=nowait, skip_locked=skip_locked)
        if kind == "count":  # a grouped query: count its rows
            return sa.select(sa.func.count()).select_from(stmt.subquery("subquery"))
        return stmt

    def build_aggregate_over(self, inner_query: Query) -> sa.Select[Any]:
        """`SELECT aggregates FROM (the inner query) subquery`: aggregate() over annotated,
        sliced or distinct rows. Parameters: the aggregates', the inner query's, its tail."""
        query = self.query
        own: list[object] = []
        for expression in query.annotations.values():
            expression.add_params(own, self.ops)
        inner = SelectCompiler(inner_query, self.ops, [self.counter[0] + len(own)])
        kind = inner_query.source_kind()
        stmt = inner.build(kind)
        source = stmt.subquery("subquery")
        self.base = self.from_ = source
        self.tail = inner.tail
        if kind == "values":
            names = inner.value_names
            self.annotation_sa = {name: source.c[f"c{i}"] for i, name in enumerate(names)}
        else:
            self.annotation_sa = {name: source.c[f"a_{name}"] for name in inner_query.annotations}
        cols = [expr.resolve_sa(self).label(name) for name, expr in query.annotations.items()]
        self.counter[0] = inner.counter[0]
        self.value_names = tuple(query.annotations)
        self.value_converters = tuple(
            (i, conv)
            for i, expr in enumerate(query.annotations.values())
            if (conv := _converter(expr, self.ops)) is not None
        )
        return sa.select(*cols).select_from(source)

    def build_combined(self, kind: str) -> Any:
        """UNION / INTERSECT / EXCEPT of the parts, then ordering and limits on the whole.

        A part that is sliced or is itself a combination becomes `SELECT * FROM (part)`:
        SQLite allows neither parentheses nor LIMIT in the members of a compound statement,
        and the derived table also keeps `(a UNION b) INTERSECT c` grouped on every backend
        (INTERSECT binds tighter than UNION on PostgreSQL and MariaDB, not on SQLite)."""
        query = self.query
        assert query.combinator is not None
        operator, all_rows, parts = query.combinator
        part_kind = query.combined_part_kind(kind)
        selects: list[Any] = []
        for i, part in enumerate(parts):
            part = self._combined_part(part, part_kind)
            sub = SelectCompiler(part, self.ops, self.counter)
            stmt: Any = sub.build(part_kind)
            # The part's LIMIT/OFFSET are numbered inline: Query.params() adds their values.
            assert len(sub.tail) == len(part.limit_params())
            if i == 0:
                self.plan = getattr(sub, "plan", None)
                self.value_names = getattr(sub, "value_names", ())
                self.value_converters = getattr(sub, "value_converters", ())
            if part.combinator is not None or part.is_sliced:
                stmt = sa.select(stmt.subquery(f"u{self.counter[0]}_{i}"))
            selects.append(stmt)
        name = {"union": "union", "intersection": "intersect", "difference": "except_"}[operator]
        compound: Any = getattr(sa, f"{name}_all" if all_rows else name)(*selects)
        if kind in {"select", "values"} or query.is_sliced:
            terms = self._combined_order_terms(part_kind)
            if terms:
                compound = compound.order_by(*terms)
            compound = self._apply_limits(compound)
        if kind == "count":
            return sa.select(sa.func.count()).select_from(compound.subquery("subquery"))
        if kind == "exists":
            inner = sa.select(sa.literal(1)).select_from(compound.subquery("subquery"))
            return inner.limit(self._tail_bind(("const", 1)))
        return compound

    def _combined_part(self, part: Query, part_kind: str) -> Query:
        """One part as compiled: without an ordering its slice does not need, with the
        values() columns of the whole (as Django) when it selects none itself."""
        query = self.query
        part = part.clone()
        if not part.is_sliced:
            part.order_by = ()
            part.default_ordering = False
        if part_kind == "values" and part.values_fields is None:
            part.values_fields = query.values_fields
        return part

    def _combined_order_terms(self, part_kind: str) -> list[Any]:
        """ORDER BY positions of the result's columns (the names of the parts may differ)."""
        query = self.query
        explicit = bool(query.order_by)
        terms: list[Any] = []
        for item in query.ordering():
            nulls: bool | None = None
            if isinstance(item, OrderBy) and type(item.expression) is F:
                name, descending = item.expression.name, item.descending
                if item.nulls_first or item.nulls_last:
                    nulls = bool(item.nulls_last)
            elif isinstance(item, str) and item != "?":
                name, descending = item.lstrip("-+"), item.startswith("-")
            else:
                raise DatabaseError("Only selected columns can order a combined query.")
            position = self._combined_position(name, part_kind)
            if position is None:
                if not explicit:
                    continue  # Meta.ordering on columns a values() union does not select
                raise DatabaseError("ORDER BY term does not match any column in the result set.")
            column: Any = sa.literal_column(str(position))
            term = column.desc() if descending else column.asc()
            if nulls is not None:
                term = self.ops.compound_order_nulls(term, last=nulls)
            terms.append(term)
        return terms

    def _combined_position(self, name: str, part_kind: str) -> int | None:
        """The 1-based position of `name` among the first part's columns, if selected."""
        if part_kind != "select":
            names = list(self.value_names)
            return names.index(name) + 1 if name in names else None
        plan: ModelPlan | None = getattr(self, "plan", None)
        if plan is None:
            return None
        if name in plan.attnames and name in self.query.annotations:
            return plan.start + plan.attnames.index(name) + 1
        try:
            resolved = resolve_path(self.model, name, allow_lookup=False)
        except FieldError:
            return None
        if resolved.steps or resolved.transforms or resolved.keys:
            return None  # a related or transformed value is not a column of the result
        attname = getattr(resolved.field, "attname", None)
        if attname not in plan.attnames:
            return None
        return plan.start + plan.attnames.index(attname) + 1

    def _tail_bind(self, item: object) -> ColumnElement[Any]:
        self.tail.append(item)
        return self.bind(sa.Integer())

    def _apply_limits(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        query = self.query
        if query.high is not None:
            # LIMIT inline, as Django does: one parameter fewer (get() runs `LIMIT 21`), and
            # PostgreSQL plans a literal LIMIT better. Query.shape() carries the number.
            stmt = stmt.limit(sa.literal_column(str(int(query.high - query.low))))
        if query.low:
            stmt = stmt.offset(self._tail_bind(OFFSET))
        elif query.high is not None:
            stmt = self.ops.no_offset(stmt)
        return stmt

    def count_statement(self, where: ColumnElement[Any] | None) -> sa.Select[Any]:
        query = self.query
        if query.distinct or query.is_sliced:
            pk = self.model._meta.pk
            assert pk is not None
            # distinct() on values() counts distinct value rows, not distinct objects.
            cols = self.value_columns() if query.values_fields else [self.base.c[pk.column]]
            inner = sa.select(*cols).select_from(self.from_)
            if where is not None:
                inner = inner.where(where)
            if query.distinct:
                inner = inner.distinct()
            inner = self._apply_limits(inner)
            return sa.select(sa.func.count()).select_from(inner.subquery("subquery"))
        stmt = sa.select(sa.func.count()).select_from(self.from_)
        if where is not None:
            stmt = stmt.where(where)
        return stmt

    def model_columns(self) -> list[ColumnElement[Any]]:
        cols: list[ColumnElement[Any]] = []
        self.plan = self._plan_for(self.model, "", self.base, cols, self.query.deferred)
        self.group_by = list(cols)
        if self.annotation_sa:
            # Annotations become attributes of the instances, after the model's own columns.
            plan = self.plan
            extra = list(plan.converters)
            for name, col in self.annotation_sa.items():
                if not name.isidentifier():
                    raise ValueError(f"Annotation names must be identifiers, not {name!r}.")
                conv = _converter(self.query.annotations[name], self.ops)
                if conv is not None:
                    extra.append((len(plan.attnames), conv))
                plan.attnames = (*plan.attnames, name)
                cols.append(col.label(f"a_{name}"))
                if not getattr(self.query.annotations[name], "contains_aggregate", False):
                    self.group_by.append(col)
            plan.stop = plan.start + len(plan.attnames)
            plan.converters = tuple(extra)
        related = self.query.select_related
        if related:
            start = len(cols)
            self._select_related(self.plan, self.model, (), related, cols)
            self.group_by.extend(cols[start:])
        return cols

    def _plan_for(
        self,
        model: type[Model],
        name: str,
        table: FromClause,
        cols: list[ColumnElement[Any]],
        deferred: tuple[frozenset[str], bool],
    ) -> ModelPlan:
        names, defer = deferred
        pk = model._meta.pk
        fields = [
            f
            for f in model._meta.concrete_fields
            if not names or f is pk or ((f.name in names) != defer)
        ]
        start = len(cols)
        cols.extend(table.c[f.column] for f in fields)
        converters = tuple(
            (i, conv)
            for i, f in enumerate(fields)
            if (conv := f.db_converter(self.ops)) is not None
        )
        pk_index = next(i for i, f in enumerate(fields) if f is pk)
        return ModelPlan(model, name, tuple(f.attname for f in fields), start, converters, pk_index)

    def _select_related(
        self,
        parent: ModelPlan,
        model: type[Model],
        steps: tuple[JoinStep, ...],
        tree: dict[str, Any],
        cols: list[ColumnElement[Any]],
    ) -> None:
        for name, subtree in tree.items():
            try:
                field: Any = model._meta.get_field(name)
            except Exception:
                field = None
            reverse_one = _is_reverse_one_to_one(field)
            forward = field is not None and getattr(field, "concrete", False) and field.is_relation
            if not forward and not reverse_one:
                choices = [f.name for f in model._meta.concrete_fields if f.is_relation]
                choices += [
                    r.name for r in model._meta.related_objects if _is_reverse_one_to_one(r)
                ]
                raise FieldError(
                    f"Invalid field name '{name}' in select_related() of {model.__name__}. "
                    f"Choices are: {', '.join(choices or ['(none)'])}."
                )
            if reverse_one:
                # The reverse side of a OneToOneField: cached under its accessor name, None
                # (so the accessor raises RelatedObjectDoesNotExist) when there is no row.
                step: JoinStep = JoinStep(field.field, reverse=True)
                cache_name = field.accessor_name or name
                back = field.field.name
            else:
                step = JoinStep(field, reverse=False)
                cache_name = name
                rel = field.remote_field if getattr(field, "one_to_one", False) else None
                back = (rel.accessor_name or "") if rel is not None else ""
            target: type[Model] = field.related_model
            step_path = (*steps, step)
            table = self.join(step_path, outer=True)
            plan = self._plan_for(target, cache_name, table, cols, (frozenset(), True))
            plan.back = back
            parent.related.append(plan)
            if subtree:
                self._select_related(plan, target, step_path, subtree, cols)
            plan.links_back = bool(back) or any(p.links_back for p in plan.related)
            parent.links_back = parent.links_back or plan.links_back

    def value_columns(self) -> list[ColumnElement[Any]]:
        names = self.query.values_fields or ()
        cols: list[ColumnElement[Any]] = []
        converters: list[tuple[int, Converter]] = []
        self.group_by = []
        for i, name in enumerate(names):
            if name in self.annotation_sa:
                expr = self.query.annotations[name]
                cols.append(self.annotation_sa[name].label(f"c{i}"))
                conv = _converter(expr, self.ops)
                if conv is not None:
                    converters.append((i, conv))
                if not getattr(expr, "contains_aggregate", False):
                    self.group_by.append(self.annotation_sa[name])
                continue
            resolved = resolve_path(self.model, name, allow_lookup=False)
            col = self.column(
                resolved.steps, resolved.field, resolved.transforms, outer=True, keys=resolved.keys
            )
            self.group_by.append(col)
            cols.append(col.label(f"c{i}"))
            if not resolved.transforms:
                conv = resolved.field.db_converter(self.ops)
                if conv is not None:
                    converters.append((i, conv))
        self.value_names = tuple(names)
        self.value_converters = tuple(converters)
        return cols
