"""DjancoJSONEncoder: JSON for the values views commonly return (dates, decimals, UUIDs)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from djanco.utils.functional import LazyStr


class DjancoJSONEncoder(json.JSONEncoder):
    """Encodes datetimes/dates/times (ISO 8601), timedeltas (ISO 8601 durations), Decimal
    and UUID (as strings), and lazy strings such as ``reverse_lazy()`` results."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            if o.microsecond:  # milliseconds, as ECMA-262 and Django do
                text = text[:23] + text[26:]
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:12] if o.microsecond else text
        if isinstance(o, datetime.timedelta):
            return _iso_duration(o)
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, LazyStr):
            return str(o)
        return super().default(o)


def _iso_duration(delta: datetime.timedelta) -> str:
    sign = "-" if delta < datetime.timedelta(0) else ""
    delta = abs(delta)
    minutes, seconds = divmod(delta.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    fraction = f".{delta.microseconds:06d}" if delta.microseconds else ""
    return f"{sign}P{delta.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{fraction}S"
