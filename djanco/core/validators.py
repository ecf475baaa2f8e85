"""Reusable value validators with Django's names; each raises ValidationError on bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from djanco.core.exceptions import ValidationError

Validator = Callable[[object], None]


class _Comparable(Protocol):
    def __lt__(self, other: object, /) -> bool: ...
    def __gt__(self, other: object, /) -> bool: ...


class RegexValidator:
    """Valid when the value (as str) matches `regex` (or does not, with `inverse_match`)."""

    message = "Enter a valid value."
    code = "invalid"

    def __init__(
        self,
        regex: str | re.Pattern[str],
        message: str | None = None,
        code: str | None = None,
        inverse_match: bool = False,
        flags: int = 0,
    ) -> None:
        self.regex = re.compile(regex, flags) if isinstance(regex, str) else regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        self.inverse_match = inverse_match

    def __call__(self, value: object) -> None:
        matched = self.regex.search(str(value)) is not None
        if matched == self.inverse_match:
            raise ValidationError(self.message, code=self.code, params={"value": value})


_EMAIL_RE = re.compile(
    r"^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{2,63}$"
)


class EmailValidator:
    """A pragmatic e-mail address check: a dot-atom local part and a dotted domain."""

    message = "Enter a valid email address."
    code = "invalid"

    def __call__(self, value: object) -> None:
        if not isinstance(value, str) or len(value) > 320 or not _EMAIL_RE.match(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})


class URLValidator(RegexValidator):
    """http(s)/ftp(s) URLs with a host name, IPv4 address or localhost."""

    def __init__(self, schemes: list[str] | None = None) -> None:
        self.schemes = schemes or ["http", "https", "ftp", "ftps"]
        super().__init__(
            r"^(?:[a-z0-9.+-]*)://(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"
            r"(?:localhost|(?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:.]+\]|"
            r"(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+"
            r"[a-z\u00a1-\uffff-]{2,63}\.?)(?::\d{1,5})?(?:[/?#][^\s]*)?\Z",
            message="Enter a valid URL.",
            flags=re.IGNORECASE,
        )

    def __call__(self, value: object) -> None:
        if not isinstance(value, str) or len(value) > 2048:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        scheme = value.split("://", 1)[0].lower()
        if scheme not in self.schemes:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_email = EmailValidator()
validate_slug = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
)


class _LimitValidator:
    message = ""
    code = ""

    def __init__(self, limit_value: object, message: str | None = None) -> None:
        self.limit_value = limit_value
        if message is not None:
            self.message = message

    def compare(self, value: object, limit: object) -> bool:
        raise NotImplementedError

    def clean(self, value: object) -> object:
        return value

    def __call__(self, value: object) -> None:
        cleaned = self.clean(value)
        if self.compare(cleaned, self.limit_value):
            params = {"limit_value": self.limit_value, "show_value": cleaned, "value": value}
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.limit_value == getattr(other, "limit_value", 0)

    def __hash__(self) -> int:
        return hash((type(self), repr(self.limit_value)))


def _cmp(value: object) -> _Comparable:
    return value  # type: ignore[return-value]  # compared values come from typed fields


class MaxValueValidator(_LimitValidator):
    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, value: object, limit: object) -> bool:
        return _cmp(value) > limit


class MinValueValidator(_LimitValidator):
    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, value: object, limit: object) -> bool:
        return _cmp(value) < limit


class MaxLengthValidator(_LimitValidator):
    message = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
    code = "max_length"

    def clean(self, value: object) -> object:
        return len(value) if isinstance(value, str | bytes | list | tuple) else 0

    def compare(self, value: object, limit: object) -> bool:
        return _cmp(value) > limit


class MinLengthValidator(MaxLengthValidator):
    message = "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d)."
    code = "min_length"

    def compare(self, value: object, limit: object) -> bool:
        return _cmp(value) < limit
