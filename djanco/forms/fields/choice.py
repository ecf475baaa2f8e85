"""Choice fields: ChoiceField, TypedChoiceField (coerced) and MultipleChoiceField.

``choices`` take every form Django accepts (see ``djanco.forms.choices``); submitted values
are compared with them as strings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar, overload

from typing_extensions import Unpack

from djanco.core.exceptions import ValidationError
from djanco.forms.choices import Choices, Pair, flatten_choices, normalize_choices
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import ChoiceWidget, MultipleHiddenInput, Select, SelectMultiple

__all__ = ["ChoiceField", "MultipleChoiceField", "TypedChoiceField"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_C = TypeVar("_C")
_E = TypeVar("_E")

_INVALID_CHOICE = "Select a valid choice. %(value)s is not one of the available choices."


class ChoiceField(Field[_T]):
    """One of ``choices``, cleaned to its value as a string (``""`` when optional and empty)."""

    default_widget = Select
    default_error_messages = {"invalid_choice": _INVALID_CHOICE}

    def __init__(
        self: ChoiceField[str],
        *,
        choices: Choices = (),
        required: bool = True,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(required=required, **options)
        self.choices = choices

    @property
    def choices(self) -> Iterable[Pair]:
        return self._choices

    @choices.setter
    def choices(self, value: Choices) -> None:
        self._choices = normalize_choices(value)
        if isinstance(self.widget, ChoiceWidget):
            self.widget.choices = self._choices

    def __deepcopy__(self, memo: dict[int, object]) -> ChoiceField[_T]:
        clone = super().__deepcopy__(memo)
        clone._choices = copy.copy(self._choices)
        return clone

    def to_python(self, value: object) -> object:
        return "" if value in self.empty_values else str(value)

    def validate(self, value: object) -> None:
        super().validate(value)
        if value and not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )

    def valid_value(self, value: object) -> bool:
        """Whether ``value`` is one of the choices (compared as text)."""
        text = str(value)
        return any(
            value == choice or text == str(choice)
            for choice, _label in flatten_choices(self.choices)
        )


class TypedChoiceField(ChoiceField[_T]):
    """A ChoiceField whose value is passed through ``coerce`` (e.g. ``int``).

    An empty optional value cleans to ``empty_value`` (``""`` by default).
    """

    @overload
    def __init__(
        self: TypedChoiceField[_C],
        *,
        coerce: Callable[[str], _C],
        choices: Choices = (),
        required: Literal[True] = True,
        empty_value: object = "",
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TypedChoiceField[_C | _E],
        *,
        coerce: Callable[[str], _C],
        choices: Choices = (),
        required: bool,
        empty_value: _E,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TypedChoiceField[_C | str],
        *,
        coerce: Callable[[str], _C],
        choices: Choices = (),
        required: bool,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: TypedChoiceField[str],
        *,
        choices: Choices = (),
        required: bool = True,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    def __init__(
        self,
        *,
        coerce: Callable[[Any], object] = str,
        choices: Choices = (),
        required: bool = True,
        empty_value: object = "",
        **options: Any,
    ) -> None:
        self.coerce = coerce
        self.empty_value = empty_value
        # Field's __init__, not ChoiceField's: ChoiceField's fixes the cleaned type to str.
        Field.__init__(self, required=required, **options)
        self.choices = choices

    def _coerce(self, value: object) -> object:
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        try:
            return self.coerce(value)
        except (ValueError, TypeError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None

    def clean(self, value: object) -> object:
        return self._coerce(super().clean(value))


class MultipleChoiceField(ChoiceField[list[str]]):
    """Any number of ``choices``, cleaned to the list of their values as strings."""

    default_widget = SelectMultiple
    hidden_widget = MultipleHiddenInput
    default_error_messages = {
        "invalid_choice": _INVALID_CHOICE,
        "invalid_list": "Enter a list of values.",
    }

    def __init__(
        self, *, choices: Choices = (), required: bool = True, **options: Unpack[FieldOptions]
    ) -> None:
        Field.__init__(self, required=required, **options)  # see TypedChoiceField
        self.choices = choices

    def to_python(self, value: object) -> object:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return [str(item) for item in value]

    def validate(self, value: object) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for item in value if isinstance(value, list) else ():
            if not self.valid_value(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        initial_values = initial if isinstance(initial, list | tuple) else []
        data_values = data if isinstance(data, list | tuple) else []
        return {str(v) for v in initial_values} != {str(v) for v in data_values}
