"""Lookups (`exact`, `icontains`, `in`, ...) and transforms (`year`, `date`, ...).

A lookup checks and prepares its value when `filter()` is called (a wrong-typed value fails
there, naming the field) and renders itself as a SQLAlchemy expression with numbered bind
parameters, so that one compiled SQL string serves every value of the same shape.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
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

    from djanco.db.models.fields.base import Field
    from djanco.db.models.sql.query import Resolved


class CompileContext(Protocol):
    """What a lookup needs from the compiler."""

    vendor: str

    def bind(self, type_: sa.types.TypeEngine[Any] | None = None) -> ColumnElement[Any]: ...

    def expression(self, value: object) -> ColumnElement[Any]: ...

    def subquery(self, value: object) -> ColumnElement[Any]: ...

    def inner_select(self, query: Any, kind: str) -> Any:
        """`query` (a sql.Query) as a SELECT nested in this one: OuterRef() refers here."""
        ...


def _is_expression(value: object) -> bool:
    return hasattr(value, "resolve_sa")


def _is_queryset(value: object) -> bool:
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
Transform = Callable[["ColumnElement[Any]", str], "ColumnElement[Any]"]


def current_time_zone() -> str:
    """The zone date parts of a DateTimeField are taken in: TIME_ZONE under USE_TZ (Django
    converts to the current time zone before extracting), else UTC (as stored)."""
    return settings.TIME_ZONE if settings.USE_TZ else "UTC"


def _zone_literal(zone: str) -> ColumnElement[Any]:
    # A literal, not a parameter: the compiled SQL is cached per TIME_ZONE (the compiler's
    # caches are cleared when it changes) and bound values keep their numbering that way.
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"unexpected time zone name {zone!r}")
    return sa.literal_column(f"'{zone}'")


def local_datetime(lhs: ColumnElement[Any], vendor: str) -> ColumnElement[Any]:
    """A DateTimeField column (UTC) as a naive datetime in `current_time_zone()`.

    PostgreSQL: `timezone(zone, col)` (AT TIME ZONE). SQLite: `djanco_datetime_local`, a
    Python function the backend registers on each connection. MariaDB/MySQL: CONVERT_TZ
    needs the server's time zone tables, often not loaded (it then returns NULL), so the
    UTC offset comes from Python's zoneinfo: a CASE over the zone's transitions (1900-2100)
    picks the offset in effect at each instant, which is exact across DST changes."""
    zone = current_time_zone()
    if vendor == "postgresql":
        return sa.func.timezone(_zone_literal(zone), lhs)
    if zone == "UTC":
        return lhs  # stored as naive UTC already
    if vendor == "sqlite":
        return sa.func.djanco_datetime_local(lhs, _zone_literal(zone))
    instants, offsets = utc_transitions(zone)
    offset = _offset_case(lhs, instants, offsets)
    return sa.func.timestampadd(sa.literal_column("SECOND"), offset, lhs)


@functools.cache
def utc_transitions(zone: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(instants, offsets): naive UTC instants at which `zone`'s UTC offset changes, and the
    offsets in seconds: offsets[i] holds before instants[i], offsets[i + 1] from it on."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset_at(ts: int) -> int:
        delta = dt.datetime.fromtimestamp(ts, tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    week = 7 * 86400  # offsets never change twice within a week in the tz database
    ts = int(dt.datetime(1900, 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp())
    offsets = [offset_at(ts)]
    instants: list[str] = []
    while ts < end:
        nxt = ts + week
        if offset_at(nxt) != offsets[-1]:
            low, high = ts, nxt  # the change happens in (low, high]: find its second
            while high - low > 1:
                mid = (low + high) // 2
                low, high = (mid, high) if offset_at(mid) == offsets[-1] else (low, mid)
            instants.append(f"{dt.datetime.fromtimestamp(high, dt.UTC):%Y-%m-%d %H:%M:%S}")
            offsets.append(offset_at(high))
        ts = nxt
    return tuple(instants), tuple(offsets)


def _offset_case(
    lhs: ColumnElement[Any], instants: Sequence[str], offsets: Sequence[int]
) -> ColumnElement[Any]:
    """The offset in effect at `lhs`, as a balanced tree of CASEs (a few comparisons a row)."""
    if not instants:
        return sa.literal_column(str(offsets[0]))
    mid = len(instants) // 2
    return sa.case(
        (
            lhs < sa.literal_column(f"'{instants[mid]}'"),
            _offset_case(lhs, instants[:mid], offsets[: mid + 1]),
        ),
        else_=_offset_case(lhs, instants[mid + 1 :], offsets[mid + 1 :]),
    )


def _int_field() -> Field[Any]:
    field: Field[Any] = IntegerField()
    field.name = "value"
    return field


def _extract(part: str) -> Transform:
    def apply(lhs: ColumnElement[Any], vendor: str) -> ColumnElement[Any]:
        if part == "week_day":
            if vendor == "mysql":
                return sa.func.dayofweek(lhs)
            return sa.cast(sa.extract("dow", lhs), sa.Integer) + 1
        if part == "iso_week_day":
            if vendor == "mysql":
                return sa.func.weekday(lhs) + 1
            if vendor == "sqlite":
                return (sa.cast(sa.func.strftime("%w", lhs), sa.Integer) + 6) % 7 + 1
            return sa.cast(sa.extract("isodow", lhs), sa.Integer)
        if part == "week":
            if vendor == "mysql":
                return sa.func.week(lhs, 3)
            if vendor == "sqlite":
                # strftime('%V') needs SQLite 3.46: the ISO week is that of its Thursday.
                thursday = sa.func.date(
                    lhs, sa.literal_column("'-3 days'"), sa.literal_column("'weekday 4'")
                )
                day_of_year = sa.cast(sa.func.strftime("%j", thursday), sa.Integer)
                return (day_of_year - 1) // 7 + 1
            return sa.cast(sa.extract("week", lhs), sa.Integer)
        if part == "quarter":
            if vendor == "sqlite":
                return (sa.cast(sa.func.strftime("%m", lhs), sa.Integer) + 2) // 3  # int division
            return sa.cast(sa.extract("quarter", lhs), sa.Integer)
        return sa.cast(sa.extract(part, lhs), sa.Integer)

    return apply


def _to_date(lhs: ColumnElement[Any], vendor: str) -> ColumnElement[Any]:
    if vendor == "postgresql":
        return sa.cast(lhs, sa.Date)
    return sa.func.date(lhs, type_=sa.Date)


def _to_time(lhs: ColumnElement[Any], vendor: str) -> ColumnElement[Any]:
    if vendor == "postgresql":
        return sa.cast(lhs, sa.Time)
    if vendor == "sqlite":
        # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': the time part compares with a bound time
        # ('HH:MM:SS.ffffff'), where time() would drop the microseconds.
        return sa.func.substr(lhs, sa.literal_column("12"), type_=sa.Time)
    return sa.func.time(lhs, type_=sa.Time)


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
        if _is_expression(value) or _is_queryset(value):
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
        if _is_queryset(rhs):
            return ("qs", rhs._query.shape("values"))  # type: ignore[attr-defined]
        return ("expr", rhs.shape())  # type: ignore[attr-defined]

    def add_params(self, out: list[object], vendor: str) -> None:
        rhs = self.rhs
        if rhs is not None:
            if _is_queryset(rhs):
                out.extend(rhs._query.params(vendor))  # type: ignore[attr-defined]
            else:
                rhs.add_params(out, vendor)  # type: ignore[attr-defined]
            return
        prep = self.field.get_db_prep_value
        out.extend(prep(v, vendor) for v in self.values)

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
            if _is_queryset(self.rhs):
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

    def add_params(self, out: list[object], vendor: str) -> None:
        pass

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        return lhs.is_(None) if self.values[0] else lhs.is_not(None)


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _glob_escape(value: str) -> str:
    return value.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")


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

    def add_params(self, out: list[object], vendor: str) -> None:
        if self.rhs is not None:
            super().add_params(out, vendor)
            return
        text = str(self.values[0])
        if vendor == "sqlite" and not self.insensitive:
            pattern = _glob_escape(text)
            wild = "*"
        else:
            pattern = _like_escape(text)
            wild = "%"
        out.append(f"{wild if self.prefix else ''}{pattern}{wild if self.suffix else ''}")

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        if self.rhs is not None:
            raise FieldError(f"'{self.lookup_name}' with an expression is not supported yet.")
        if not isinstance(lhs.type, sa.String):
            lhs = sa.cast(lhs, sa.String)
        rhs = ctx.bind(sa.String())
        vendor = ctx.vendor
        if vendor == "sqlite":
            if self.insensitive:
                return lhs.like(rhs, escape="\\")
            return lhs.op("GLOB")(rhs)
        if vendor == "mysql":
            return lhs.op("LIKE" if self.insensitive else "LIKE BINARY")(rhs)
        if self.insensitive:
            return sa.func.upper(lhs).op("LIKE")(sa.func.upper(rhs))
        return lhs.op("LIKE")(rhs)


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

    def add_params(self, out: list[object], vendor: str) -> None:
        out.append(self.values[0])

    def as_sa(self, lhs: ColumnElement[Any], ctx: CompileContext) -> ColumnElement[Any]:
        rhs = ctx.bind(sa.String())
        if ctx.vendor == "postgresql":
            return lhs.op("~*" if self.flags else "~")(rhs)
        if ctx.vendor == "mysql":  # MariaDB: BINARY makes the match case-sensitive
            return lhs.op("REGEXP" if self.flags else "REGEXP BINARY")(rhs)
        if self.flags:
            return lhs.op("REGEXP")(sa.literal_column("'(?i)'") + rhs)
        return lhs.op("REGEXP")(rhs)


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
