"""Number fields: IntegerField, FloatField and DecimalField (``<input type="number">``)."""

from __future__ import annotations

import decimal
import math
import re
from typing import Literal, TypeVar, overload

from typing_extensions import Unpack

from djanco.core import validators as v
from djanco.core.exceptions import ValidationError
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import NumberInput, Widget

__all__ = ["DecimalField", "FloatField", "IntegerField"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_Number = int | float | decimal.Decimal
_NUMBER_INPUT = (str, int, float, decimal.Decimal)  # a tuple: isinstance() on the hot path
_TRAILING_ZEROS = re.compile(r"\.0*\s*$")


class _NumberField(Field[_T]):
    default_widget = NumberInput

    def _set_limits(
        self, max_value: _Number | None, min_value: _Number | None, step_size: _Number | None
    ) -> None:
        self.max_value, self.min_value, self.step_size = max_value, min_value, step_size
        if max_value is not None:
            self.validators.append(v.MaxValueValidator(max_value))
        if min_value is not None:
            self.validators.append(v.MinValueValidator(min_value))
        if step_size is not None:
            self.validators.append(v.StepValueValidator(step_size))
        self.widget.attrs.update(self._limit_attrs(self.widget))

    def _limit_attrs(self, widget: Widget) -> dict[str, object]:
        if not isinstance(widget, NumberInput):
            return {}
        attrs: dict[str, object] = {}
        if self.min_value is not None:
            attrs["min"] = self.min_value
        if self.max_value is not None:
            attrs["max"] = self.max_value
        if self.step_size is not None:
            attrs["step"] = self.step_size
        return attrs

    def _text(self, value: object) -> str:
        """The submitted value as stripped text; "invalid" for anything not a single value."""
        if isinstance(value, bool) or not isinstance(value, _NUMBER_INPUT):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return str(value).strip()


class IntegerField(_NumberField[_T]):
    """A whole number (``"3.0"`` is accepted as 3)."""

    default_error_messages = {"invalid": "Enter a whole number."}

    @overload
    def __init__(
        self: IntegerField[int],
        *,
        required: Literal[True] = True,
        max_value: int | None = None,
        min_value: int | None = None,
        step_size: int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: IntegerField[int | None],
        *,
        required: bool,
        max_value: int | None = None,
        min_value: int | None = None,
        step_size: int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        max_value: int | None = None,
        min_value: int | None = None,
        step_size: int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self._set_limits(max_value, min_value, step_size)

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        try:
            return int(_TRAILING_ZEROS.sub("", self._text(value)))
        except ValueError:  # not digits, or more digits than int() parses
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class FloatField(_NumberField[_T]):
    """A finite floating-point number."""

    default_error_messages = {"invalid": "Enter a number."}

    @overload
    def __init__(
        self: FloatField[float],
        *,
        required: Literal[True] = True,
        max_value: float | None = None,
        min_value: float | None = None,
        step_size: float | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: FloatField[float | None],
        *,
        required: bool,
        max_value: float | None = None,
        min_value: float | None = None,
        step_size: float | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        max_value: float | None = None,
        min_value: float | None = None,
        step_size: float | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self._set_limits(max_value, min_value, step_size)

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        try:
            number = float(self._text(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not math.isfinite(number):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def _limit_attrs(self, widget: Widget) -> dict[str, object]:
        attrs = super()._limit_attrs(widget)
        if isinstance(widget, NumberInput):
            attrs.setdefault("step", "any")
        return attrs


class DecimalField(_NumberField[_T]):
    """A ``decimal.Decimal`` with at most ``max_digits`` digits, ``decimal_places`` after the
    point."""

    default_error_messages = {"invalid": "Enter a number."}

    @overload
    def __init__(
        self: DecimalField[decimal.Decimal],
        *,
        required: Literal[True] = True,
        max_value: decimal.Decimal | int | None = None,
        min_value: decimal.Decimal | int | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        step_size: decimal.Decimal | int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: DecimalField[decimal.Decimal | None],
        *,
        required: bool,
        max_value: decimal.Decimal | int | None = None,
        min_value: decimal.Decimal | int | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        step_size: decimal.Decimal | int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        required: bool = True,
        max_value: decimal.Decimal | int | None = None,
        min_value: decimal.Decimal | int | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        step_size: decimal.Decimal | int | None = None,
        **options: Unpack[FieldOptions],
    ) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(required=required, **options)
        self._set_limits(max_value, min_value, step_size)
        self.validators.append(v.DecimalValidator(max_digits, decimal_places))

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        try:
            number = decimal.Decimal(self._text(value))
        except decimal.InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def _limit_attrs(self, widget: Widget) -> dict[str, object]:
        attrs = super()._limit_attrs(widget)
        if isinstance(widget, NumberInput) and "step" not in attrs:
            places = getattr(self, "decimal_places", None)
            attrs["step"] = str(decimal.Decimal(1).scaleb(-places)).lower() if places else "any"
        return attrs
