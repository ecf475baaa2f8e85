"""Building Set-Cookie values with Django's set_cookie() semantics."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.cookies import Morsel, SimpleCookie

_SAMESITE_VALUES = frozenset({"lax", "strict", "none"})
EPOCH_EXPIRES = "Thu, 01 Jan 1970 00:00:00 GMT"


def build_cookie(
    jar: SimpleCookie,
    key: str,
    value: str,
    *,
    max_age: float | timedelta | None,
    expires: datetime | str | int | None,
    path: str | None,
    domain: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
) -> Morsel[str]:
    """Store cookie ``key`` in ``jar`` (replacing any earlier one) and return its Morsel.

    An aware or naive-UTC ``expires`` datetime becomes ``max-age`` (and is kept as
    ``expires``), a ``max_age`` alone also sets ``expires``, as Django does.
    """
    if key in jar:
        del jar[key]  # a re-set cookie starts afresh, not with the old one's attributes
    jar[key] = value
    morsel = jar[key]
    if isinstance(expires, datetime):
        if max_age is not None:
            raise ValueError("'expires' and 'max_age' can't be used together.")
        aware = expires if expires.tzinfo is not None else expires.replace(tzinfo=UTC)
        delta = aware - datetime.now(tz=UTC) + timedelta(seconds=1)  # round up, as Django
        max_age = max(0, delta.days * 86400 + delta.seconds)
        expires = None
    if expires is not None:
        morsel["expires"] = expires
    if max_age is not None:
        seconds = int(max_age.total_seconds() if isinstance(max_age, timedelta) else max_age)
        morsel["max-age"] = seconds
        if expires is None:
            morsel["expires"] = formatdate(time.time() + seconds, usegmt=True)
    if path is not None:
        morsel["path"] = path
    if domain is not None:
        morsel["domain"] = domain
    if secure:
        morsel["secure"] = True
    if httponly:
        morsel["httponly"] = True
    if samesite is not None:
        if samesite.lower() not in _SAMESITE_VALUES:
            raise ValueError(f'samesite must be "lax", "none", or "strict" (got {samesite!r}).')
        morsel["samesite"] = samesite
    return morsel
