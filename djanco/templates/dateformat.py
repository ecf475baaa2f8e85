"""Django's date format strings (PHP's ``date()`` characters): ``format_date(d, "N j, Y")``.

Each letter of the format that names a part of a date or time is replaced by that part;
``\\`` before a letter keeps it literal; anything else is copied. English names only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from email.utils import format_datetime

from djanco.conf import settings

__all__ = ["NAMED_FORMATS", "MissingPart", "format_date", "format_time"]

NAMED_FORMATS = {
    "DATE_FORMAT": "N j, Y",
    "DATETIME_FORMAT": "N j, Y, P",
    "TIME_FORMAT": "P",
    "SHORT_DATE_FORMAT": "m/d/Y",
    "SHORT_DATETIME_FORMAT": "m/d/Y P",
    "YEAR_MONTH_FORMAT": "F Y",
    "MONTH_DAY_FORMAT": "F j",
}
"""Django's named formats with their English values: ``{{ d|date("SHORT_DATE_FORMAT") }}``."""

_MONTHS = [calendar.month_name[number] for number in range(13)]
# Associated Press abbreviations, as Django's "N".
_MONTHS_AP = ["", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
              "Oct.", "Nov.", "Dec."]  # fmt: skip
_DAYS = list(calendar.day_name)

Moment = dt.date | dt.time
"""What can be formatted: a date, a datetime or a time."""


class MissingPart(TypeError):
    """The format asks a time for its date (or a date for its time)."""


class _Parts:
    """The value being formatted and the time zone its zone-related letters describe."""

    def __init__(self, value: Moment) -> None:
        self.value = value
        self.zone: dt.tzinfo | None = None
        if isinstance(value, dt.datetime):
            self.zone = value.tzinfo or zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def datetime(self) -> dt.datetime:
        value = self.value
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        if isinstance(value, dt.date):  # midnight in the default time zone, as Django's "r"
            return dt.datetime.combine(value, dt.time(), zoneinfo.ZoneInfo(settings.TIME_ZONE))
        raise MissingPart("a time has no date")

    def offset(self) -> dt.timedelta | None:
        return self.datetime.utcoffset() if self.zone is not None else None


def _date(value: Moment) -> dt.date:
    if not isinstance(value, dt.date):
        raise MissingPart("a time has no date")
    return value


def _time(value: Moment) -> dt.time | dt.datetime:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise MissingPart("a date has no time")
    return value


def _twelve_hour(value: Moment) -> int:
    return _time(value).hour % 12 or 12


def _hours_minutes(value: Moment) -> str:
    """``f``: 12-hour time with the minutes left off when zero: "1", "1:30"."""
    minute = _time(value).minute
    return f"{_twelve_hour(value)}:{minute:02d}" if minute else str(_twelve_hour(value))


def _meridiem(value: Moment) -> str:
    return "p.m." if _time(value).hour >= 12 else "a.m."


def _proprietary_time(value: Moment) -> str:
    """``P``: "1 a.m.", "1:30 p.m.", "midnight", "noon"."""
    moment = _time(value)
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "noon"
    return f"{_hours_minutes(value)} {_meridiem(value)}"


def _ordinal_suffix(value: Moment) -> str:
    day = _date(value).day
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _utc_offset(parts: _Parts) -> str:
    offset = parts.offset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _offset_seconds(parts: _Parts) -> str:
    offset = parts.offset()
    return "" if offset is None else str(int(offset.total_seconds()))


def _zone_name(parts: _Parts) -> str:
    return (parts.datetime.tzname() or "") if parts.zone is not None else ""


def _own_zone_name(parts: _Parts) -> str:
    """``e``: the name of the value's own zone; empty for a naive value."""
    value = parts.value
    return (value.tzname() or "") if isinstance(value, dt.datetime) and value.tzinfo else ""


def _daylight_saving(parts: _Parts) -> str:
    if parts.zone is None:
        return ""
    return "1" if parts.datetime.dst() else "0"


def _timestamp(value: Moment) -> str:
    if isinstance(value, dt.datetime):
        return str(int(value.timestamp()))
    return str(int(dt.datetime.combine(_date(value), dt.time()).timestamp()))


# Letters that read only the value.
_BY_VALUE: dict[str, Callable[[Moment], object]] = {
    # time of day
    "a": _meridiem,
    "A": lambda v: _meridiem(v).replace(".", "").upper(),
    "f": _hours_minutes,
    "g": _twelve_hour,
    "G": lambda v: _time(v).hour,
    "h": lambda v: f"{_twelve_hour(v):02d}",
    "H": lambda v: f"{_time(v).hour:02d}",
    "i": lambda v: f"{_time(v).minute:02d}",
    "P": _proprietary_time,
    "s": lambda v: f"{_time(v).second:02d}",
    "u": lambda v: f"{_time(v).microsecond:06d}",
    # day
    "d": lambda v: f"{_date(v).day:02d}",
    "j": lambda v: _date(v).day,
    "D": lambda v: _DAYS[_date(v).weekday()][:3],
    "l": lambda v: _DAYS[_date(v).weekday()],
    "S": _ordinal_suffix,
    "w": lambda v: (_date(v).weekday() + 1) % 7,
    "z": lambda v: _date(v).timetuple().tm_yday,
    # week, month, year
    "W": lambda v: _date(v).isocalendar().week,
    "m": lambda v: f"{_date(v).month:02d}",
    "n": lambda v: _date(v).month,
    "b": lambda v: _MONTHS[_date(v).month][:3].lower(),
    "M": lambda v: _MONTHS[_date(v).month][:3],
    "F": lambda v: _MONTHS[_date(v).month],
    "E": lambda v: _MONTHS[_date(v).month],
    "N": lambda v: _MONTHS_AP[_date(v).month],
    "t": lambda v: calendar.monthrange(_date(v).year, _date(v).month)[1],
    "L": lambda v: calendar.isleap(_date(v).year),
    "o": lambda v: _date(v).isocalendar().year,
    "y": lambda v: f"{_date(v).year % 100:02d}",
    "Y": lambda v: f"{_date(v).year:04d}",
    # whole
    "c": lambda v: _date(v).isoformat(),
    "U": _timestamp,
}
# Letters that need the time zone.
_BY_ZONE: dict[str, Callable[[_Parts], object]] = {
    "e": _own_zone_name,
    "T": _zone_name,
    "O": _utc_offset,
    "Z": _offset_seconds,
    "I": _daylight_saving,
    "r": lambda parts: format_datetime(parts.datetime),
}
_TIME_LETTERS = frozenset("aAefgGhHiOPsTuZ")
_TOKEN = re.compile(r"\\(.)|([" + re.escape("".join(_BY_VALUE) + "".join(_BY_ZONE)) + "])")


def format_date(value: Moment, format_string: str) -> str:
    """``value`` laid out by ``format_string`` (Django's format characters).

    A date (not a datetime) has no time: a time letter in the format raises TypeError, as in
    Django; MissingPart (a TypeError) when a time is asked for a part of its date. Zone
    letters (``e O T Z I``) describe a datetime's own zone, or TIME_ZONE for a naive one, and
    are empty for a date.
    """
    if type(value) is dt.date:
        letters = {match[2] for match in _TOKEN.finditer(format_string) if match[2]}
        found = sorted(letters & _TIME_LETTERS)
        if found:
            raise TypeError(
                "The format for date objects may not contain time-related format specifiers "
                f"(found {found[0]!r})."
            )
    return _format(value, format_string)


def format_time(value: Moment, format_string: str) -> str:
    """``value`` (a time, or the time of a datetime) laid out by ``format_string``;
    MissingPart (a TypeError) when the format asks for a part it does not have."""
    return _format(value, format_string)


def _format(value: Moment, format_string: str) -> str:
    parts = _Parts(value)

    def replace(match: re.Match[str]) -> str:
        escaped, letter = match[1], match[2]
        if escaped is not None:
            return escaped
        if letter in _BY_ZONE:
            return str(_BY_ZONE[letter](parts))
        return str(_BY_VALUE[letter](value))

    return _TOKEN.sub(replace, format_string)
