"""Database functions usable in annotate(), filter() values, update() and order_by()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from djanco.db.models.expressions import Combinable, F, Value
from djanco.db.models.query_utils import Q

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.lookups import CompileContext
    from djanco.db.models.sql.query import Query, WhereNode

__all__ = ["Case", "Coalesce", "Concat", "Length", "Lower", "Now", "Upper", "When"]


def _expr(value: str | Combinable | object) -> Combinable:
    if isinstance(value, Combinable):
        return value
    if isinstance(value, str):
        return F(value)
    return Value(value)


class Func(Combinable):
    """`function(arg, ...)` over expressions (strings name fields, as in Django)."""

    function = ""

    def __init__(self, *expressions: str | Combinable) -> None:
        self.source_expressions = [_expr(e) for e in expressions]

    def resolve(self, query: Query) -> Combinable:
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.source_expressions = [_resolve(e, query) for e in self.source_expressions]
        return new

    def shape(self) -> object:
        return (type(self).__name__, tuple(e.shape() for e in self.source_expressions))

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        for expr in self.source_expressions:
            expr.add_params(out, ops)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        args = [e.resolve_sa(ctx) for e in self.source_expressions]
        return self.as_sa(args, ctx)

    def as_sa(self, args: list[ColumnElement[Any]], ctx: CompileContext) -> ColumnElement[Any]:
        result: ColumnElement[Any] = getattr(sa.func, self.function)(*args)
        return result

    @property
    def contains_aggregate(self) -> bool:
        return any(getattr(e, "contains_aggregate", False) for e in self.source_expressions)


def _resolve(expr: Combinable, query: Query) -> Combinable:
    resolve = getattr(expr, "resolve", None)
    resolved: Combinable = resolve(query) if resolve is not None else expr
    return resolved


class Lower(Func):
    function = "lower"

    def __init__(self, expression: str | Combinable) -> None:
        super().__init__(expression)


class Upper(Func):
    function = "upper"

    def __init__(self, expression: str | Combinable) -> None:
        super().__init__(expression)


class Length(Func):
    """Length in characters."""

    def __init__(self, expression: str | Combinable) -> None:
        super().__init__(expression)

    def as_sa(self, args: list[ColumnElement[Any]], ctx: CompileContext) -> ColumnElement[Any]:
        return ctx.ops.char_length(args[0])


class Coalesce(Func):
    """The first non-null argument."""

    def __init__(self, *expressions: str | Combinable) -> None:
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions)

    def as_sa(self, args: list[ColumnElement[Any]], ctx: CompileContext) -> ColumnElement[Any]:
        return sa.func.coalesce(*args)


class Concat(Func):
    """Text concatenation; NULL arguments count as empty strings (as in Django)."""

    def as_sa(self, args: list[ColumnElement[Any]], ctx: CompileContext) -> ColumnElement[Any]:
        return ctx.ops.concat([sa.func.coalesce(sa.cast(a, sa.String), "") for a in args])


class Now(Func):
    """The database's current timestamp."""

    def __init__(self) -> None:
        super().__init__()

    def as_sa(self, args: list[ColumnElement[Any]], ctx: CompileContext) -> ColumnElement[Any]:
        return sa.func.current_timestamp()


class When:
    """A condition (Q or keyword lookups) and the value `then` for Case."""

    def __init__(self, condition: Q | None = None, then: object = None, **lookups: object) -> None:
        if condition is None and not lookups:
            raise TypeError("When() needs a condition (a Q object or lookups).")
        self.condition = (condition or Q()) & Q(**lookups) if lookups else condition
        self.then = _expr(then) if not isinstance(then, str) else Value(then)
        self._where: WhereNode | None = None


class Case(Combinable):
    """`CASE WHEN ... THEN ... ELSE default END`."""

    def __init__(self, *cases: When, default: object = None) -> None:
        self.cases = list(cases)
        self.default = _expr(default) if not isinstance(default, str) else Value(default)

    def resolve(self, query: Query) -> Case:
        new = Case.__new__(Case)
        new.cases = []
        for case in self.cases:
            bound = When.__new__(When)
            bound.__dict__.update(case.__dict__)
            assert case.condition is not None
            bound._where = query.q_to_node(case.condition)
            bound.then = _resolve(case.then, query)
            new.cases.append(bound)
        new.default = _resolve(self.default, query)
        return new

    def shape(self) -> object:
        return (
            "Case",
            tuple((c._where.shape() if c._where else None, c.then.shape()) for c in self.cases),
            self.default.shape(),
        )

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        for case in self.cases:
            if case._where is not None:
                for leaf in case._where.leaves():
                    leaf.lookup.add_params(out, ops)
            case.then.add_params(out, ops)
        self.default.add_params(out, ops)

    def resolve_sa(self, ctx: CompileContext) -> ColumnElement[Any]:
        whens = []
        for case in self.cases:
            assert case._where is not None
            condition = ctx.where_node(case._where)  # type: ignore[attr-defined]
            whens.append(
                (condition if condition is not None else sa.true(), case.then.resolve_sa(ctx))
            )
        return sa.case(*whens, else_=self.default.resolve_sa(ctx))
