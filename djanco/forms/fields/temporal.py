"""Date and time fields: DateField, DateTimeField, TimeField and DurationField.

Text is parsed with ``input_formats`` (``strptime`` formats; Django's English defaults). With
``USE_TZ`` a DateTimeField reads a naive date and time in ``TIME_ZONE`` and cleans to an aware
datetime, and shows an aware value in ``TIME_ZONE`` again.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Sequence
from typing import ClassVar, Literal, TypeVar, overload

from typing_extensions import Unpack

from djanco.conf import settings
from djanco.core.exceptions import ValidationError
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import DateInput, DateTimeInput, TimeInput

__all__ = [
    "DATETIME_INPUT_FORMATS",
    "DATE_INPUT_FORMATS",
    "TIME_INPUT_FORMATS",
    "DateField",
    "DateTimeField",
    "DurationField",
    "TimeField",
    "duration_string",
    "parse_duration",
]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one

DATE_INPUT_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%d %b, %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %B, %Y",
)
TIME_INPUT_FORMATS = ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")
DATETIME_INPUT_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S.%f",
    "%m/%d/%y %H:%M",
)


class _TemporalField(Field[_T]):
    default_input_formats: ClassVar[Sequence[str]] = ()

    def _init_formats(self, input_formats: Sequence[str] | None) -> None:
        self.input_formats = list(input_formats or self.default_input_formats)

    def _text(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value.strip()

    def _parse(self, text: str) -> dt.datetime:
        for format in self.input_formats:
            try:
                return dt.datetime.strptime(text, format)
            except (ValueError, TypeError):
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class DateField(_TemporalField[_T]):
    """A ``datetime.date``."""

    default_widget = DateInput
    default_input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": "Enter a valid date."}

    @overload
    def __init__(
        self: DateField[dt.date],
        *,
        required: Literal[True] = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DateField[dt.date | None],
        *,
        required: bool,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self._init_formats(input_formats)

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return self._parse(self._text(value)).date()


class TimeField(_TemporalField[_T]):
    """A ``datetime.time``."""

    default_widget = TimeInput
    default_input_formats = TIME_INPUT_FORMATS
    default_error_messages = {"invalid": "Enter a valid time."}

    @overload
    def __init__(
        self: TimeField[dt.time],
        *,
        required: Literal[True] = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TimeField[dt.time | None],
        *,
        required: bool,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self._init_formats(input_formats)

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        return self._parse(self._text(value)).time()


class DateTimeField(_TemporalField[_T]):
    """A ``datetime.datetime``, aware in ``TIME_ZONE`` under ``USE_TZ``.

    ISO 8601 text (``2024-05-01T09:30``, with or without an offset) and a plain date are
    accepted besides ``input_formats``.
    """

    default_widget = DateTimeInput
    default_input_formats = (*DATETIME_INPUT_FORMATS, *DATE_INPUT_FORMATS)
    default_error_messages = {
        "invalid": "Enter a valid date/time.",
        "ambiguous_timezone": (
            "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; "  # noqa: RUF001
            "it may be ambiguous or it may not exist."
        ),
    }

    @overload
    def __init__(
        self: DateTimeField[dt.datetime],
        *,
        required: Literal[True] = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DateTimeField[dt.datetime | None],
        *,
        required: bool,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        input_formats: Sequence[str] | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self._init_formats(input_formats)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, dt.datetime) and value.tzinfo is not None and settings.USE_TZ:
            return value.astimezone(_current_zone()).replace(tzinfo=None)
        return value

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return self._in_current_zone(value)
        if isinstance(value, dt.date):
            return self._in_current_zone(dt.datetime(value.year, value.month, value.day))
        text = self._text(value)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            parsed = self._parse(text)
        return self._in_current_zone(parsed)

    def _in_current_zone(self, value: dt.datetime) -> dt.datetime:
        """A naive value read in TIME_ZONE (aware result) under USE_TZ; else unchanged."""
        if not settings.USE_TZ or value.tzinfo is not None:
            return value
        zone = _current_zone()
        aware = value.replace(tzinfo=zone)
        try:
            back = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        except OverflowError:  # within hours of year 1 or 9999
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        other_fold = value.replace(fold=1 - value.fold, tzinfo=zone)
        if back != value or aware.utcoffset() != other_fold.utcoffset():  # gap or overlap
            raise ValidationError(
                self.error_messages["ambiguous_timezone"],
                code="ambiguous_timezone",
                params={"datetime": value, "current_timezone": zone.key},
            )
        return aware


def _current_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# "[-]D [days, ]HH:MM:SS[.ffffff]", "MM:SS", "SS" and ISO 8601 "P3DT4H5M6.5S".
_DURATION = re.compile(
    r"^(?:(?P<days>-?\d+) (?:days?, )?)?(?P<sign>-?)"
    r"(?:(?P<hours>\d+):(?=\d+:\d+))?(?:(?P<minutes>\d+):)?(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d*)?$"
)
_ISO_DURATION = re.compile(
    r"^(?P<sign>[-+]?)P(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)


def parse_duration(text: str) -> dt.timedelta | None:
    """The timedelta written in ``text``, or None if it is not a duration.

    OverflowError when it is a duration too long for ``timedelta``.
    """
    match = _DURATION.match(text) or _ISO_DURATION.match(text)
    if match is None or not any(match.group(n) for n in ("days", "hours", "minutes", "seconds")):
        return None
    parts = {name: value for name, value in match.groupdict().items() if value is not None}
    sign = -1 if parts.pop("sign", "") == "-" else 1
    micro = parts.pop("microseconds", None)
    days = dt.timedelta(days=float(parts.pop("days", "0").replace(",", ".")))
    rest = dt.timedelta(**{name: float(value.replace(",", ".")) for name, value in parts.items()})
    if micro is not None:
        rest += dt.timedelta(microseconds=int(micro.ljust(6, "0")))
    return days + sign * rest


def duration_string(value: dt.timedelta) -> str:
    """``value`` as ``parse_duration`` reads it: ``"[D ]HH:MM:SS[.ffffff]"``."""
    minutes, seconds = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if value.days:
        text = f"{value.days} {text}"
    if value.microseconds:
        text += f".{value.microseconds:06d}"
    return text


class DurationField(Field[_T]):
    """A ``datetime.timedelta``, typed as ``DD HH:MM:SS`` (or ISO 8601, ``P1DT2H``)."""

    default_error_messages = {
        "invalid": "Enter a valid duration.",
        "overflow": "The number of days must be between {min_days} and {max_days}.",
    }

    @overload
    def __init__(
        self: DurationField[dt.timedelta],
        *,
        required: Literal[True] = True,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DurationField[dt.timedelta | None],
        *,
        required: bool,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(self, *, required: bool = True, **options: Unpack[FieldOptions]) -> None:
        super().__init__(required=required, **options)

    def prepare_value(self, value: object) -> object:
        return duration_string(value) if isinstance(value, dt.timedelta) else value

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.timedelta):
            return value
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            duration = parse_duration(value.strip())
        except OverflowError:
            message = self.error_messages["overflow"].format(
                min_days=dt.timedelta.min.days, max_days=dt.timedelta.max.days
            )
            raise ValidationError(message, code="overflow") from None
        if duration is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return duration
