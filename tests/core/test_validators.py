"""The validators forms and model fields share: Django's messages and codes."""

from __future__ import annotations

import decimal

import pytest

from djanco.core import validators as v
from djanco.core.exceptions import ValidationError
from djanco.core.files import SimpleUploadedFile

D = decimal.Decimal


def _message(validator: v.Validator, value: object) -> str | None:
    try:
        validator(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (D("123.45"), None),
        (D("0.001"), "Ensure that there are no more than 2 decimal places."),
        (D("1234.56"), "Ensure that there are no more than 5 digits in total."),
        (D("1234"), "Ensure that there are no more than 3 digits before the decimal point."),
        (D("1E+3"), "Ensure that there are no more than 3 digits before the decimal point."),
        (D("NaN"), "Enter a number."),
        (D("Infinity"), "Enter a number."),
    ],
)
def test_decimal_validator(value: decimal.Decimal, message: str | None) -> None:
    assert _message(v.DecimalValidator(5, 2), value) == message


def test_step_value_validator() -> None:
    step = v.StepValueValidator(5)
    assert _message(step, 15) is None
    assert _message(step, 7) == "Ensure this value is a multiple of step size 5."
    assert _message(v.StepValueValidator(0.1), 0.3) is None
    assert _message(v.StepValueValidator(D("0.5")), D("1.25")) is not None


def test_null_characters_are_refused() -> None:
    assert _message(v.ProhibitNullCharactersValidator(), "a\x00b") == (
        "Null characters are not allowed."
    )
    assert _message(v.ProhibitNullCharactersValidator(), "ab") is None


def test_file_extension_validator() -> None:
    only_images = v.FileExtensionValidator(["PNG", "jpg"])
    assert _message(only_images, SimpleUploadedFile("a.png", b"x")) is None
    assert _message(only_images, SimpleUploadedFile("a.JPG", b"x")) is None
    assert _message(only_images, SimpleUploadedFile("a.exe", b"x")) == (
        "File extension “exe” is not allowed. Allowed extensions are: png, jpg."
    )
