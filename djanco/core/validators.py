"""Reusable value validators with Django's names; each raises ValidationError on bad input."""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable, Sequence
from pathlib import PurePath
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


class StepValueValidator(_LimitValidator):
    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def compare(self, value: object, limit: object) -> bool:
        if isinstance(value, int | float | decimal.Decimal) and isinstance(
            limit, int | float | decimal.Decimal
        ):
            if isinstance(value, float) or isinstance(limit, float):
                return not math.isclose(math.remainder(value, limit), 0, abs_tol=1e-9)
            return value % limit != 0
        return False


class ProhibitNullCharactersValidator:
    """Valid when the value (as str) has no NUL character (databases refuse them)."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __call__(self, value: object) -> None:
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class DecimalValidator:
    """At most ``max_digits`` digits, ``decimal_places`` of them after the point."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": "Ensure that there are no more than %(max)s decimal places.",
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal point."
        ),
    }

    def __init__(self, max_digits: int | None, decimal_places: int | None) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def _fail(self, code: str, value: object, limit: int | None = None) -> ValidationError:
        return ValidationError(
            self.messages[code], code=code, params={"max": limit, "value": value}
        )

    def __call__(self, value: object) -> None:
        if not isinstance(value, decimal.Decimal):
            return
        if not value.is_finite():
            raise self._fail("invalid", value)
        _sign, digit_tuple, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite
        if exponent >= 0:
            digits = len(digit_tuple) + (exponent if digit_tuple != (0,) else 0)
            decimals = 0
        else:
            decimals = -exponent
            digits = max(len(digit_tuple), decimals)  # 0.001 has three digits, all decimal
        if self.max_digits is not None and digits > self.max_digits:
            raise self._fail("max_digits", value, self.max_digits)
        if self.decimal_places is not None and decimals > self.decimal_places:
            raise self._fail("max_decimal_places", value, self.decimal_places)
        if self.max_digits is not None and self.decimal_places is not None:
            whole = self.max_digits - self.decimal_places
            if digits - decimals > whole:
                raise self._fail("max_whole_digits", value, whole)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DecimalValidator) and (self.max_digits, self.decimal_places) == (
            other.max_digits,
            other.decimal_places,
        )

    def __hash__(self) -> int:
        return hash((DecimalValidator, self.max_digits, self.decimal_places))


class FileExtensionValidator:
    """Valid when a file's name ends in one of ``allowed_extensions`` (compared lower-case)."""

    message = (
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    )
    code = "invalid_extension"

    def __init__(
        self, allowed_extensions: Sequence[str] | None = None, message: str | None = None
    ) -> None:
        self.allowed_extensions = (
            None if allowed_extensions is None else [e.lower() for e in allowed_extensions]
        )
        if message is not None:
            self.message = message

    def __call__(self, value: object) -> None:
        extension = PurePath(str(getattr(value, "name", "") or "")).suffix[1:].lower()
        allowed = self.allowed_extensions
        if allowed is not None and extension not in allowed:
            params = {
                "extension": extension,
                "allowed_extensions": ", ".join(allowed),
                "value": value,
            }
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileExtensionValidator) and set(
            self.allowed_extensions or ()
        ) == set(other.allowed_extensions or ())

    def __hash__(self) -> int:
        return hash((FileExtensionValidator, frozenset(self.allowed_extensions or ())))
