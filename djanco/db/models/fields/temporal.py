"""Date and time fields; with USE_TZ datetimes are aware and stored in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from typing_extensions import Unpack

from djanco.conf import settings
from djanco.core.exceptions import ValidationError
from djanco.db.models.fields.base import NOT_PROVIDED, Converter, Field, FieldOptions, _NotProvided

if TYPE_CHECKING:
    from djanco.db.backends import DatabaseOperations
    from djanco.db.models.base import Model

_T = TypeVar("_T")
_OptDateTimeDefault = dt.datetime | None | Callable[[], dt.datetime | None] | _NotProvided
_OptDurationDefault = dt.timedelta | None | Callable[[], dt.timedelta | None] | _NotProvided
UTC = dt.UTC


def use_tz() -> bool:
    return settings.USE_TZ


def now() -> dt.datetime:
    """The current time: aware UTC with USE_TZ, naive local time without."""
    return dt.datetime.now(UTC) if use_tz() else dt.datetime.now()


class _AutoNowBase(Field[_T]):
    empty_strings_allowed = False

    def __init__(
        self,
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        if auto_now or auto_now_add:
            options["editable"] = False
            options["blank"] = True
        super().__init__(null=null, default=default, **options)

    def _now(self) -> object:
        raise NotImplementedError

    def pre_save(self, instance: Model, add: bool) -> object:
        if self.auto_now or (self.auto_now_add and add):
            value = self._now()
            instance.__dict__[self.attname] = value
            return value
        return super().pre_save(instance, add)


class DateField(_AutoNowBase[_T]):
    """A calendar date (`datetime.date`)."""

    description = "Date (without time)"

    @overload
    def __init__(
        self: DateField[dt.date],
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: Literal[False] = False,
        default: dt.date | Callable[[], dt.date] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DateField[dt.date | None],
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: Literal[True],
        default: dt.date | Callable[[], dt.date | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(
            auto_now=auto_now, auto_now_add=auto_now_add, null=null, default=default, **options
        )

    def _now(self) -> object:
        return now().date()

    def _parse(self, value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self._type_error(value, "a date")

    def to_python(self, value: object) -> object:
        if value is None:
            return None
        try:
            return self._parse(value)
        except ValueError:
            raise ValidationError(
                f"“{value}” value has an invalid date format. It must be in YYYY-MM-DD format.",
                code="invalid",
            ) from None

    def get_prep_value(self, value: object) -> object:
        return None if value is None else self._parse(value)

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        if value is None:
            return None
        return self._parse(value)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Date()


class DateTimeField(_AutoNowBase[_T]):
    """A date and time; aware (UTC) when USE_TZ is on, where a naive value is refused."""

    description = "Date (with time)"

    @overload
    def __init__(
        self: DateTimeField[dt.datetime],
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: Literal[False] = False,
        default: dt.datetime | Callable[[], dt.datetime] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DateTimeField[dt.datetime | None],
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: Literal[True],
        default: _OptDateTimeDefault = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        auto_now: bool = False,
        auto_now_add: bool = False,
        null: bool = False,
        default: object = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(
            auto_now=auto_now, auto_now_add=auto_now_add, null=null, default=default, **options
        )

    if not TYPE_CHECKING:
        # A data descriptor, so that assignment can refuse naive datetimes under USE_TZ.
        def __get__(self, instance, owner):
            if instance is None:
                return self
            try:
                return instance.__dict__[self.attname]
            except KeyError:
                return self._load_deferred(instance)

        def __set__(self, instance, value):
            if isinstance(value, dt.datetime) and value.tzinfo is None and use_tz():
                raise ValueError(self._naive_message(value))
            instance.__dict__[self.attname] = value

    has_setter = True

    def _naive_message(self, value: dt.datetime) -> str:
        return (
            f"{self.model.__qualname__}.{self.name} received a naive datetime ({value}) while "
            "time zone support is active (USE_TZ=True); use an aware datetime such as "
            "datetime.now(timezone.utc)."
        )

    def _now(self) -> object:
        return now()

    def _parse(self, value: object) -> object:
        if isinstance(value, dt.datetime):
            result = value
        elif isinstance(value, dt.date):
            result = dt.datetime(value.year, value.month, value.day)
            if use_tz():
                result = result.replace(tzinfo=UTC)
        elif isinstance(value, str):
            try:
                result = dt.datetime.fromisoformat(value)
            except ValueError:
                raise self._type_error(value, "a datetime") from None
        else:
            raise self._type_error(value, "a datetime")
        if result.tzinfo is None and use_tz():
            raise ValueError(self._naive_message(result))
        return result

    def to_python(self, value: object) -> object:
        if value is None:
            return None
        try:
            return self._parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def get_prep_value(self, value: object) -> object:
        return None if value is None else self._parse(value)

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        if value is None:
            return None
        parsed = self._parse(value)
        assert isinstance(parsed, dt.datetime)
        return ops.adapt_datetime(parsed)

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        return ops.datetime_converter(use_tz())

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


class TimeField(Field[_T]):
    """A time of day (`datetime.time`)."""

    empty_strings_allowed = False
    description = "Time"

    @overload
    def __init__(
        self: TimeField[dt.time],
        *,
        null: Literal[False] = False,
        default: dt.time | Callable[[], dt.time] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TimeField[dt.time | None],
        *,
        null: Literal[True],
        default: dt.time | Callable[[], dt.time | None] | _NotProvided | None = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, **options)

    def _parse(self, value: object) -> dt.time:
        if isinstance(value, dt.time):
            return value
        if isinstance(value, str):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        raise self._type_error(value, "a time")

    def get_prep_value(self, value: object) -> object:
        return None if value is None else self._parse(value)

    def to_python(self, value: object) -> object:
        try:
            return self.get_prep_value(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        if value is None:
            return None
        return self._parse(value)

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.Time().with_variant(mysql.TIME(fsp=6), "mysql", "mariadb")


class DurationField(Field[_T]):
    """A span of time (`datetime.timedelta`): INTERVAL on PostgreSQL, microseconds elsewhere."""

    empty_strings_allowed = False
    description = "Duration"

    @overload
    def __init__(
        self: DurationField[dt.timedelta],
        *,
        null: Literal[False] = False,
        default: dt.timedelta | Callable[[], dt.timedelta] | _NotProvided = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DurationField[dt.timedelta | None],
        *,
        null: Literal[True],
        default: _OptDurationDefault = NOT_PROVIDED,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self, *, null: bool = False, default: object = NOT_PROVIDED, **options: Unpack[FieldOptions]
    ) -> None:
        super().__init__(null=null, default=default, **options)

    def get_prep_value(self, value: object) -> object:
        if value is None or isinstance(value, dt.timedelta):
            return value
        raise self._type_error(value, "a timedelta")

    def get_db_prep_value(self, value: object, ops: DatabaseOperations) -> object:
        value = self.get_prep_value(value)
        if value is None:
            return None
        assert isinstance(value, dt.timedelta)
        return ops.adapt_duration(value)

    def db_converter(self, ops: DatabaseOperations) -> Converter | None:
        return ops.duration_converter()

    def sa_type(self) -> sa.types.TypeEngine[Any]:
        return sa.BigInteger().with_variant(sa.Interval(), "postgresql")
