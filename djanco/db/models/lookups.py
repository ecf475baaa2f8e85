"""Lookups (`exact`, `icontains`, `in`, ...) and transforms (`year`, `date`, ...).

A lookup checks and prepares its value when `filter()` is called (a wrong-typed value fails
there, naming the field) and renders itself as a SQLAlchemy expression with numbered bind
parameters, so that one compiled SQL string serves every value of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import sqlalchemy as sa

from djanco.conf import settings
from djanco.core.exceptions import FieldError
from djanco.db.models.fields.numeric import IntegerField
from djanco.db.models.fields.temporal import DateField, DateTimeField, TimeField
from djanco.db.models.state import is_model_instance

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.fields.base import Field
    from djanco.db.models.sql.query import Resolved


class CompileContext(Protocol):
    """What a lookup needs from the compiler."""

    ops: DatabaseOperations  # the database's own SQL

    def bind(self, type_: sa.types.TypeEngine[Any] | None = None) -> ColumnElement[Any]: ...

    def expression(self, value: object) -> ColumnElement[Any]: ...

    def subquery(self, value: object) -> ColumnElement[Any]: ...

    def inner_select(self, query: Any, kind: str) -> Any:
        """`query` (a sql.Query) as a SELECT nested in this one: OuterRef() refers here."""
        ...


def is_expression(value: object) -> bool:
    return hasattr(value, "resolve_sa")


def is_queryset(value: object) -> bool:
    return hasattr(value, "_query") and hasattr(value, "model")


def _instances_to_pks(value: object) -> object:
    """A model instance (or a list of them) compared with a primary key means its pk."""
    kind = type(value)
    if kind is int or kind is str:  # the usual values, checked first
        return value
    if is_model_instance(value):
        return value.pk  # type: ignore[attr-defined]
    if isinstance(value, list | tuple | set) and any(is_model_instance(v) for v in value):
        return [v.pk if is_model_instance(v) else v for v in value]
    return value


# --- transforms ---------------------------------------------------------------------------------

# A date/time transform of a column: for a DateTimeField the column is first made a naive
# datetime in the current time zone (`local_datetime`).
Transform = Callable[["ColumnElement[Any]", "DatabaseOperations"], "ColumnElement[Any]"]


def current_time_zone() -> str:
    """The zone date parts of a DateTimeField are taken in: TIME_ZONE under USE_TZ (Django
    converts to the current time zone before extracting), else UTC (as stored)."""
    return settings.TIME_ZONE if settings.USE_TZ else "UTC"


def local_datetime(lhs: ColumnElement[Any], ops: DatabaseOperations) -> ColumnElement[Any]:
    """A DateTimeField column (UTC) as a naive datetime in `current_time_zone()`."""
    return ops.datetime_in_zone(lhs, current_time_zone())


def _int_field() -> Field[Any]:
    field: Field[Any] = IntegerField()
    field.name = "value"
    return field


def _extract(part: str) -> Transform:
    def apply(lhs: ColumnElement[Any], ops: DatabaseOperations) -> ColumnElement[Any]:
        return ops.date_part(part, lhs)

    return apply


def _to_date(lhs: ColumnElement[Any], ops: DatabaseOperations) -> ColumnElement[Any]:
    return ops.datetime_to_date(lhs)


def _to_time(lhs: ColumnElement[Any], ops: DatabaseOperations) -> ColumnElement[Any]:
    return ops.datetime_to_time(lhs)


TRANSFORMS: dict[str, Transform] = {
    part: _extract(part)
    for part in (
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "week",
        "week_day",
        "iso_week_day",
        "quarter",
    )
}
TRANSFORMS["date"] = _to_date
TRANSFORMS["time"] = _to_time


_DATE_PARTS = ("year", "month", "day", "week", "week_day", "iso_week_day", "quarter")
_TIME_PARTS = ("hour", "minute", "second")


def transforms_for(field: Field[Any], previous: Sequence[str] = ()) -> tuple[str, ...]:
    """The transforms allowed on `field` after `previous` ones (as Django: `date` parts on date
    and datetime fields, `time` parts on datetime and time fields, nothing on other types)."""
    if previous:
        last = previous[-1]
        if last == "date":
            return _DATE_PARTS
        if last == "time":
            return _TIME_PARTS
        return ()
    if isinstance(field, DateTimeField):
        return (*_DATE_PARTS, *_TIME_PARTS, "date", "time")
    if isinstance(field, DateField):
        return _DATE_PARTS
    if isinstance(field, TimeField):
        return _TIME_PARTS
    return ()


def transformed_field(field: Field[Any], transforms: tuple[str, ...]) -> Field[Any]:
    """The field whose type a transformed value has (for checking the lookup value)."""
    if not transforms:
        return field
    last = transforms[-1]
    if last == "date":
        out: Field[Any] = DateField()
    elif last == "time":
        out = TimeField()
    else:
        out = _int_field()
    out.name = f"{field.name}__{'__'.join(transforms)}"
    return out


# --- lookups ------------------------------------------------------------------------------------


class Lookup:
    """One comparison of a column (maybe transformed) with a value."""

    lookup_name: ClassVar[str] = ""
    # On a JSONField key: the form of the key's value to compare (see fields/json.py).
    json_lhs: ClassVar[str] = "value"

    __slots__ = ("field", "rhs", "values")

    def __init__(self, field: Field[Any], values: list[object], rhs: object = None) -> None:
        self.field = field  # converts values for the driver
        self.values = values
        self.rhs = rhs  # an expression or queryset instead of plain values

    @classmethod
    def build(cls, resolved: Resolved, value: object) -> Lookup:
        field = transformed_field(resolved.field, resolved.transforms)
        if is_expression(value) or is_queryset(value):
            return cls(field, [], value)
        if not field.is_relation:
            value = _instances_to_pks(value)
        return cls(field, cls.prepare(field, value))

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if value is None:
            raise ValueError(
                f"Cannot use None as a query value for '{field.name}' with '{cls.lookup_name}'."
            )
        return [field.get_prep_value(value)]

    def shape(self) -> object:
        rhs = self.rhs
        if rhs is None:
            return len(self.values)
        if is_queryset(rhs):
            return ("qs", rhs._query.shape("values"))  # type: ignore[attr-defined]
        return ("expr", rhs.shape())  # type: ignore[attr-defined]

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        rhs = self.rhs
        if rhs is not None:
            if is_queryset(rhs):
                out.extend(rhs._query.params(ops))  # type: ignore[attr-defined]
            else:
                rhs.add_params(out, ops)  # type: ignore[attr-defined]
            return
        prep = self.field.get_db_prep_value
        out.extend(prep(v, ops) for v in self.values)

    def rhs_sa(self, ctx: CompileContext, type_: sa.types.TypeEngine[Any]) -> ColumnElement[Any]:
        if self.rhs is not None:
            return ctx.expression(self.rhs)
        return ctx.bind(type_)

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        raise NotImplementedError


class Exact(Lookup):
    lookup_name = "exact"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if value is None:
            return []
        return [field.get_prep_value(value)]

    def shape(self) -> object:
        return "null" if self.rhs is None and not self.values else super().shape()

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        if self.rhs is None and not self.values:
            return lhs.is_(None)
        return lhs == self.rhs_sa(ctx, lhs.type)


class _Compare(Lookup):
    def op(self, lhs: Any, rhs: Any) -> Any:
        raise NotImplementedError

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        return self.op(lhs, self.rhs_sa(ctx, lhs.type))  # type: ignore[no-any-return]


class GreaterThan(_Compare):
    lookup_name = "gt"

    def op(self, lhs: Any, rhs: Any) -> Any:
        return lhs > rhs


class GreaterThanOrEqual(_Compare):
    lookup_name = "gte"

    def op(self, lhs: Any, rhs: Any) -> Any:
        return lhs >= rhs


class LessThan(_Compare):
    lookup_name = "lt"

    def op(self, lhs: Any, rhs: Any) -> Any:
        return lhs < rhs


class LessThanOrEqual(_Compare):
    lookup_name = "lte"

    def op(self, lhs: Any, rhs: Any) -> Any:
        return lhs <= rhs


class In(Lookup):
    lookup_name = "in"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise TypeError(
                f"The 'in' lookup on '{field.name}' needs a list, tuple, set or queryset, "
                f"not {type(value).__name__}."
            )
        prepared: list[object] = []
        seen: set[object] = set()
        for item in value:
            if item is None:
                continue  # NULL never matches IN, as in Django
            prep = field.get_prep_value(item)
            try:
                if prep in seen:
                    continue
                seen.add(prep)
            except TypeError:
                pass
            prepared.append(prep)
        return prepared

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        if self.rhs is not None:
            if is_queryset(self.rhs):
                return lhs.in_(ctx.subquery(self.rhs))
            return lhs.in_(ctx.expression(self.rhs))
        if not self.values:
            return sa.false()
        return lhs.in_([ctx.bind(lhs.type) for _ in self.values])


class Range(Lookup):
    lookup_name = "range"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise TypeError(f"The 'range' lookup on '{field.name}' needs a (low, high) pair.")
        return [field.get_prep_value(value[0]), field.get_prep_value(value[1])]

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        return lhs.between(ctx.bind(lhs.type), ctx.bind(lhs.type))


class IsNull(Lookup):
    lookup_name = "isnull"

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if not isinstance(value, bool):
            raise ValueError(
                f"The 'isnull' lookup on '{field.name}' needs True or False, not {value!r}."
            )
        return [value]

    def shape(self) -> object:
        return bool(self.values[0])

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        pass

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        return lhs.is_(None) if self.values[0] else lhs.is_not(None)


class _Pattern(Lookup):
    """contains/startswith/endswith and their case-insensitive forms: `%` and `_` in the value
    match literally on every backend."""

    prefix: ClassVar[bool] = True  # wildcard before the value
    suffix: ClassVar[bool] = True  # wildcard after the value
    insensitive: ClassVar[bool] = False

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if value is None:
            raise ValueError(
                f"Cannot use None as a query value for '{field.name}' with '{cls.lookup_name}'."
            )
        return [value if isinstance(value, str) else str(field.get_prep_value(value))]

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        if self.rhs is not None:
            super().add_params(out, ops)
            return
        out.append(ops.pattern(str(self.values[0]), self.prefix, self.suffix, self.insensitive))

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        if self.rhs is not None:
            raise FieldError(f"'{self.lookup_name}' with an expression is not supported yet.")
        if not isinstance(lhs.type, sa.String):
            lhs = sa.cast(lhs, sa.String)
        return ctx.ops.pattern_match(lhs, ctx.bind(sa.String()), self.insensitive)


class IExact(_Pattern):
    lookup_name = "iexact"
    prefix = suffix = False
    insensitive = True

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if value is None:
            return []
        return super().prepare(field, value)

    def shape(self) -> object:
        return "null" if not self.values and self.rhs is None else super().shape()

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        if not self.values and self.rhs is None:
            return lhs.is_(None)
        return super().as_sa(lhs, ctx)


class Contains(_Pattern):
    lookup_name = "contains"


class IContains(_Pattern):
    lookup_name = "icontains"
    insensitive = True


class StartsWith(_Pattern):
    lookup_name = "startswith"
    prefix = False


class IStartsWith(_Pattern):
    lookup_name = "istartswith"
    prefix = False
    insensitive = True


class EndsWith(_Pattern):
    lookup_name = "endswith"
    suffix = False


class IEndsWith(_Pattern):
    lookup_name = "iendswith"
    suffix = False
    insensitive = True


class Regex(Lookup):
    lookup_name = "regex"
    flags: ClassVar[str | None] = None

    @classmethod
    def prepare(cls, field: Field[Any], value: object) -> list[object]:
        if not isinstance(value, str):
            raise TypeError(f"The '{cls.lookup_name}' lookup on '{field.name}' needs a str.")
        return [value]

    def add_params(self, out: list[object], ops: DatabaseOperations) -> None:
        out.append(self.values[0])

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        return ctx.ops.regex_match(lhs, ctx.bind(sa.String()), bool(self.flags))


class IRegex(Regex):
    lookup_name = "iregex"
    flags = "i"


LOOKUPS: dict[str, type[Lookup]] = {
    cls.lookup_name: cls
    for cls in (
        Exact,
        IExact,
        GreaterThan,
        GreaterThanOrEqual,
        LessThan,
        LessThanOrEqual,
        In,
        Range,
        IsNull,
        Contains,
        IContains,
        StartsWith,
        IStartsWith,
        EndsWith,
        IEndsWith,
        Regex,
        IRegex,
    )
}


def lookup_choices() -> list[str]:
    return sorted(LOOKUPS)
