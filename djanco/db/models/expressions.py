"""Query expressions: F (a column), Value (a bound value), arithmetic on them, ordering."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.lookups import CompileContext

__all__ = [
    "Combinable",
    "CombinedExpression",
    "Exists",
    "F",
    "OrderBy",
    "OuterRef",
    "Subquery",
    "Value",
]


class Combinable:
    """Arithmetic (`+ - * / %`) building CombinedExpressions."""

    def _combine(self, other: object, op: str, reverse: bool) -> CombinedExpression:
        rhs = other if isinstance(other, Combinable) else Value(other)
        return CombinedExpression(rhs, op, self) if reverse else CombinedExpression(self, op, rhs)

    def __add__(self, other: object) -> CombinedExpression:
        return self._combine(other, "+", False)

    def __radd__(self, other: object) -> CombinedExpression:
        return self._combine(other, "+", True)

    def __sub__(self, other: object) -> CombinedExpression:
        return self._combine(other, "-", False)

    def __rsub__(self, other: object) -> CombinedExpression:
        return self._combine(other, "-", True)

    def __mul__(self, other: object) -> CombinedExpression:
        return self._combine(other, "*", False)

    def __rmul__(self, other: object) -> CombinedExpression:
        return self._combine(other, "*", True)

    def __truediv__(self, other: object) -> CombinedExpression:
        return self._combine(other, "/", False)

    def __rtruediv__(self, other: object) -> CombinedExpression:
        return self._combine(other, "/", True)

    def __mod__(self, other: object) -> CombinedExpression:
        return self._combine(other, "%", False)

    def asc(self, *, nulls_first: bool = False, nulls_last: bool = False) -> OrderBy:
        return OrderBy(self, descending=False, nulls_first=nulls_first, nulls_last=nulls_last)

    def desc(self, *, nulls_first: bool = False, nulls_last: bool = False) -> OrderBy:
        return OrderBy(self, descending=True, nulls_first=nulls_first, nulls_last=nulls_last)

    # Subclasses implement these three.
    def shape(self) -> object:
        raise NotImplementedError

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        raise NotImplementedError

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        raise NotImplementedError


class F(Combinable):
    """A reference to a field of the model being queried (`F("views") + 1`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def shape(self) -> object:
        return ("F", self.name)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        pass

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        return ctx.expression(self)

    def __repr__(self) -> str:
        return f"F({self.name})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, F) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("F", self.name))


class Value(Combinable):
    """A plain value used as an expression; it is always a bound parameter."""

    def __init__(self, value: object) -> None:
        self.value = value

    def shape(self) -> object:
        return ("V", type(self.value).__name__)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        out.append(self.value)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        return ctx.bind(_sa_type_for(self.value))

    def __repr__(self) -> str:
        return f"Value({self.value!r})"


def _sa_type_for(value: object) -> sa.types.TypeEngine[Any] | None:
    if isinstance(value, bool):
        return sa.Boolean()
    if isinstance(value, int):
        return sa.Integer()
    if isinstance(value, float):
        return sa.Float()
    if isinstance(value, str):
        return sa.String()
    return None


_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
}


class CombinedExpression(Combinable):
    """`lhs <op> rhs` of two expressions."""

    def __init__(self, lhs: Combinable, op: str, rhs: Combinable) -> None:
        self.lhs = lhs
        self.op = op
        self.rhs = rhs

    def shape(self) -> object:
        return ("C", self.lhs.shape(), self.op, self.rhs.shape())

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        self.lhs.add_params(out, ops)
        self.rhs.add_params(out, ops)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        lhs = self.lhs.resolve_sa(ctx)
        rhs = self.rhs.resolve_sa(ctx)
        return _OPS[self.op](lhs, rhs)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"{self.lhs!r} {self.op} {self.rhs!r}"


class OrderBy:
    """An ordering term: `F("x").desc(nulls_last=True)`."""

    def __init__(
        self,
        expression: Combinable,
        descending: bool = False,
        nulls_first: bool = False,
        nulls_last: bool = False,
    ) -> None:
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive.")
        self.expression = expression
        self.descending = descending
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last

    def shape(self) -> object:
        return ("O", self.expression.shape(), self.descending, self.nulls_first, self.nulls_last)

    def reversed(self) -> OrderBy:
        return OrderBy(self.expression, not self.descending, self.nulls_last, self.nulls_first)

    def __repr__(self) -> str:
        return f"OrderBy({self.expression!r}, descending={self.descending})"


class OuterRef(F):
    """Inside a Subquery/Exists: a field of the outer query's row (`OuterRef("pk")`)."""

    def shape(self) -> object:
        return ("OuterRef", self.name)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        outer = getattr(ctx, "outer", None)
        if outer is None:
            raise ValueError(
                f"OuterRef({self.name!r}) can only be used inside a Subquery or Exists."
            )
        return outer.expression(F(self.name))  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"OuterRef({self.name})"


class Subquery(Combinable):
    """A queryset used as a value: `.values("x")[:1]` gives one column of one row."""

    contains_aggregate = False

    def __init__(self, queryset: Any) -> None:
        query = getattr(queryset, "_query", None)
        if query is None:
            raise TypeError(f"{type(self).__name__}() needs a QuerySet, not {queryset!r}.")
        self.query = query.clone()
        self.negated = False

    def _kind(self) -> str:
        return "values" if self.query.values_fields else "pks"

    def shape(self) -> object:
        query = self.query
        limits = (query.low, query.high)
        return (type(self).__name__, self.negated, query.shape(self._kind()), limits)

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        query = self.query
        out.extend(query.params(ops))
        out.extend(query.limit_params())

    def _select(self, ctx: CompileContext) -> Any:
        return ctx.inner_select(self.query, self._kind())

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        return self._select(ctx).scalar_subquery()  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<{self.query.model.__name__} query>)"


class Exists(Subquery):
    """True when the queryset has a row: usable in filter() and annotate(); `~Exists(...)`."""

    def _kind(self) -> str:
        return "pks"

    def __invert__(self) -> Exists:
        new = Exists.__new__(Exists)
        new.__dict__.update(self.__dict__)
        new.negated = not self.negated
        return new

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        exists: ColumnElement[Any] = self._select(ctx).exists()
        return sa.not_(exists) if self.negated else exists
