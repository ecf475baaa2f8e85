"""The filters Django users reach for, with Django's semantics: ``{{ d|date("Y-m-d H:i") }}``,
``{{ n|intcomma }}``, ``{{ count|pluralize("y,ies") }}``...

Like Django's, they fail quietly on a value they cannot handle (an empty string, or the value
unchanged), so a page still renders. Numbers and sizes use a no-break space between the
number and its unit, as Django does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable, Sized
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from jinja2 import Undefined, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from djanco.conf import settings
from djanco.http.encoders import DjancoJSONEncoder
from djanco.templates.dateformat import (
    NAMED_FORMATS,
    MissingPart,
    Moment,
    format_date,
    format_time,
)

__all__ = ["FILTERS"]

_NBSP = "\xa0"
# Escapes that keep JSON inert inside <script>: no "</script>", no "<!--".
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_UNITS = ("KB", "MB", "GB", "TB", "PB")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Units of timesince, largest first, with their length where it is fixed.
_SPANS = (
    ("week", 7 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
)


def date(value: object, format_string: str | None = None) -> str:
    """``{{ value|date("N j, Y") }}``: a date or datetime in a Django format (default
    DATE_FORMAT, "N j, Y"); a named format such as "SHORT_DATE_FORMAT" is allowed. An aware
    datetime is shown in TIME_ZONE. As in Django, asking a date (not a datetime) for a time
    raises TypeError."""
    return _formatted(value, format_string or "DATE_FORMAT", format_date)


def time(value: object, format_string: str | None = None) -> str:
    """``{{ value|time("H:i") }}``: a time (or the time of a datetime) in a Django format
    (default TIME_FORMAT, "P": "2:30 p.m.")."""
    return _formatted(value, format_string or "TIME_FORMAT", format_time)


def _formatted(value: object, format_string: str, formatter: Callable[[Moment, str], str]) -> str:
    _check_defined(value)
    if not isinstance(value, dt.date | dt.time):
        return ""
    try:
        return formatter(_local(value), NAMED_FORMATS.get(format_string, format_string))
    except MissingPart:
        return ""


def _local(value: Moment) -> Moment:
    """An aware datetime in TIME_ZONE (with USE_TZ), as Django's templates show them."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None and settings.USE_TZ:
        return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return value


def timesince(value: object, now: object = None) -> str:
    """``{{ posted|timesince }}``: the time from ``value`` to now (or to ``now``) in at most
    two adjacent units, e.g. "4 days, 6 hours"; "0 minutes" if ``value`` is in the future."""
    _check_defined(value)
    if not isinstance(value, dt.date) or not isinstance(now, dt.date | None):
        return ""
    start, end = _as_datetime(value), None if now is None else _as_datetime(now)
    if end is None:
        end = dt.datetime.now(start.tzinfo)
    elif (start.tzinfo is None) != (end.tzinfo is None):
        return ""  # an aware and a naive value cannot be compared
    elif start.tzinfo is not None:
        end = end.astimezone(start.tzinfo)
    if (end - start).total_seconds() < 60:
        return _count(0, "minute")
    # Years and months by the calendar (so 10 Feb to 10 Mar is one month), the rest by length.
    months = (end.year - start.year) * 12 + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    pivot = _add_months(start, months)
    seconds = int((end - pivot).total_seconds())
    counts = [("year", months // 12), ("month", months % 12)]
    for unit, length in _SPANS:
        counts.append((unit, seconds // length))
        seconds %= length
    first = next(index for index, (_, number) in enumerate(counts) if number)
    return ", ".join(_count(number, unit) for unit, number in counts[first : first + 2] if number)


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _add_months(start: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(start.month - 1 + months, 12)
    # February counts 28 days even in leap years, as in Django.
    day = min(start.day, _MONTH_DAYS[month])
    return start.replace(year=start.year + year, month=month + 1, day=day)


def _count(number: int, unit: str) -> str:
    return f"{number}{_NBSP}{unit}{'' if number == 1 else 's'}"


def default(value: object, fallback: object = "") -> object:
    """``{{ value|default("none") }}``: ``fallback`` when ``value`` is false or undefined
    (Django's meaning; Jinja's own ``default`` only replaced undefined values)."""
    if isinstance(value, Undefined) or not value:
        return fallback
    return value


@pass_eval_context
def linebreaksbr(context: EvalContext, value: object) -> Markup:
    """``{{ text|linebreaksbr }}``: each line break as ``<br>``, the text escaped first."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if context.autoescape:
        text = str(escape(text))
    return Markup(text.replace("\n", "<br>"))


def truncatewords(value: object, count: object) -> str:
    """``{{ text|truncatewords(30) }}``: the first ``count`` words, then " …" if there were
    more; line breaks and runs of spaces become single spaces."""
    try:
        length = int(str(count))
    except ValueError:
        return str(value)
    if length <= 0:
        return ""
    words = str(value).split()
    text = " ".join(words[:length]) + (" …" if len(words) > length else "")
    return Markup(text) if isinstance(value, Markup) else text


def pluralize(value: object, suffix: str = "s") -> str:
    """``vote{{ count|pluralize }}``, ``cand{{ count|pluralize("y,ies") }}``: the plural
    suffix unless the value (a number, or the length of a list) is 1."""
    _check_defined(value)
    singular, _, plural = suffix.rpartition(",") if "," in suffix else ("", "", suffix)
    if "," in singular:
        return ""
    if isinstance(value, int | float | Decimal | str):
        try:
            return singular if float(value) == 1 else plural
        except ValueError:
            return ""
    if isinstance(value, Sized):
        return singular if len(value) == 1 else plural
    return ""


def intcomma(value: object) -> str:
    """``{{ 4500|intcomma }}`` is "4,500" (also for floats, decimals and numeric strings)."""
    if isinstance(value, int | float | Decimal):
        return format(value, ",")
    text = str(value)
    try:
        return format(Decimal(text), ",")
    except InvalidOperation:
        # Not a number as a whole: group the leading digits, as Django does.
        return re.sub(r"^-?\d+", lambda match: format(int(match[0]), ","), text)


def filesizeformat(value: object) -> str:
    """``{{ size|filesizeformat }}``: "13 KB", "4.1 MB", "102 bytes" (1 KB is 1024 bytes)."""
    try:
        size = int(str(value)) if not isinstance(value, int | float) else int(value)
    except ValueError:
        size = 0
    sign, size = ("-", -size) if size < 0 else ("", size)
    if size < 1024:
        text = f"{size}{_NBSP}byte{'' if size == 1 else 's'}"
    else:
        power = min(len(_UNITS), (size.bit_length() - 1) // 10)
        text = f"{size / 1024**power:.1f}{_NBSP}{_UNITS[power - 1]}"
    return sign + text


def urlencode(value: object, safe: str | None = None) -> str:
    """``{{ text|urlencode }}``: percent-encoded for a URL; "/" is kept unless ``safe`` says
    otherwise (``urlencode("")`` encodes every reserved character)."""
    return quote(str(value), safe="/" if safe is None else safe)


def yesno(value: object, choices: str = "yes,no,maybe") -> object:
    """``{{ flag|yesno("on,off,unknown") }}``: the first word for a true value, the second for
    a false one, the third (or else the second) for None."""
    words = choices.split(",")
    if len(words) < 2:
        return value
    yes, no, maybe = words if len(words) == 3 else (words[0], words[1], words[1])
    if value is None:
        return maybe
    return yes if value else no


def json_script(value: object, element_id: str | None = None) -> Markup:
    """``{{ data|json_script("data") }}``: the value as JSON in a
    ``<script type="application/json">`` element, safe to embed in HTML; read it in the
    page with ``JSON.parse(document.getElementById("data").textContent)``."""
    _check_defined(value)
    payload = json.dumps(value, cls=DjancoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    id_attribute = Markup(' id="{}"').format(element_id) if element_id else ""
    return Markup('<script{} type="application/json">{}</script>').format(
        id_attribute, Markup(payload)
    )


def _check_defined(value: object) -> None:
    """For filters that never turn their value into text: an undefined value fails here as
    it would when printed (raising with DEBUG, see ``StrictUndefined``; quietly otherwise)."""
    if isinstance(value, Undefined):
        str(value)


FILTERS: dict[str, Callable[..., object]] = {
    "date": date,
    "time": time,
    "timesince": timesince,
    "default": default,
    "linebreaksbr": linebreaksbr,
    "truncatewords": truncatewords,
    "pluralize": pluralize,
    "intcomma": intcomma,
    "filesizeformat": filesizeformat,
    "urlencode": urlencode,
    "yesno": yesno,
    "json_script": json_script,
}
"""Djanco's built-in filters by name (they replace Jinja's ``default``, ``urlencode`` and
``filesizeformat``, whose meaning differs from Django's)."""
