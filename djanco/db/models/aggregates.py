"""Aggregates for `aggregate()` and `annotate()`: Count, Sum, Avg, Min, Max (with `filter=`)."""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.db.models.expressions import Combinable, F
from djanco.db.models.fields.base import Field
from djanco.db.models.fields.numeric import DecimalField, FloatField, IntegerField
from djanco.db.models.query_utils import Q
from djanco.db.models.sql.query import output_field, resolve_path

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.fields.base import Converter
    from djanco.db.models.lookups import CompileContext
    from djanco.db.models.sql.query import Query, WhereNode

__all__ = ["Aggregate", "Avg", "Count", "Max", "Min", "Sum"]


class Aggregate(Combinable):
    """An SQL aggregate over an expression (a field name, F(), or another expression)."""

    function = ""
    contains_aggregate = True

    def __init__(
        self, expression: str | Combinable, *, distinct: bool = False, filter: Q | None = None
    ) -> None:
        self.expression: Combinable | None = (
            None
            if expression == "*"
            else F(expression)
            if isinstance(expression, str)
            else expression
        )
        self.distinct = distinct
        self.filter = filter
        self._where: WhereNode | None = None
        self._source: Field[Any] | None = None

    def default_alias(self) -> str:
        expr = self.expression
        name = expr.name if isinstance(expr, F) else "all" if expr is None else "expr"
        return f"{name.replace('__', '_')}__{type(self).__name__.lower()}"

    def resolve(self, query: Query) -> Aggregate:
        """A copy bound to `query`'s model: its filter becomes a where-tree, its source known."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        if self.filter is not None:
            new._where = query.q_to_node(self.filter)
        if isinstance(self.expression, F):
            name = self.expression.name
            inner = query.subquery.annotations if query.subquery is not None else {}
            if name in query.annotations or name in inner:
                annotation = query.annotations.get(name, inner.get(name))
                source = getattr(annotation, "_source", None)
                new._source = source if source is not None else output_field(annotation)
            else:
                new._source = resolve_path(query.model, name, allow_lookup=False).field
        return new

    def shape(self) -> object:
        expr = self.expression.shape() if self.expression is not None else "*"
        where = self._where.shape() if self._where is not None else None
        return (type(self).__name__, expr, self.distinct, where)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        if self.expression is not None:
            self.expression.add_params(out, ops)
        if self._where is not None:
            for leaf in self._where.leaves():
                leaf.lookup.add_params(out, ops)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        arg: Any = (
            self.expression.resolve_sa(ctx)
            if self.expression is not None
            else sa.literal_column("*")
        )
        if self._where is not None:
            condition = ctx.where_node(self._where)  # type: ignore[attr-defined]
            if condition is not None:
                arg = sa.case((condition, arg if self.expression is not None else 1))
        if self.distinct:
            arg = sa.distinct(arg)
        func: ColumnElement[Any] = getattr(sa.func, self.function)(arg)
        return func

    def output_field(self) -> Field[Any]:
        """The field whose type the values have: the aggregated field's, if known."""
        return self._source if self._source is not None else Field()

    def converter(self, ops: DatabaseOperations) -> Converter | None:
        source = self._source
        if source is None:
            return None
        return source.db_converter(ops)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expression!r})"


class Count(Aggregate):
    """The number of rows (`Count("*")`) or of non-null values (`distinct=True` for unique)."""

    function = "count"

    def output_field(self) -> Field[Any]:
        return IntegerField()

    def converter(self, ops: DatabaseOperations) -> Converter | None:
        return _to_int


class Sum(Aggregate):
    function = "sum"

    def converter(self, ops: DatabaseOperations) -> Converter | None:
        return _number_like(self._source)


class Avg(Aggregate):
    function = "avg"

    def output_field(self) -> Field[Any]:
        return FloatField()

    def converter(self, ops: DatabaseOperations) -> Converter | None:
        if isinstance(self._source, DecimalField):
            return _to_decimal
        return _to_float


class Min(Aggregate):
    function = "min"


class Max(Aggregate):
    function = "max"


def _to_int(value: object) -> object:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _to_float(value: object) -> object:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _to_decimal(value: object) -> object:
    if value is None or isinstance(value, decimal.Decimal):
        return value
    return decimal.Decimal(str(value))


def _number_like(source: Field[Any] | None) -> Converter | None:
    if isinstance(source, IntegerField):
        return _to_int
    if isinstance(source, FloatField):
        return _to_float
    if isinstance(source, DecimalField):
        return _to_decimal
    return None
