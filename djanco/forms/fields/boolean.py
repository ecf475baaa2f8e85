"""BooleanField (a checkbox) and NullBooleanField (Unknown / Yes / No)."""

from __future__ import annotations

from djanco.core.exceptions import ValidationError
from djanco.forms.fields.base import Field
from djanco.forms.widgets import CheckboxInput, NullBooleanSelect

__all__ = ["BooleanField", "NullBooleanField"]


class BooleanField(Field[bool]):
    """True when ticked. A required BooleanField must be ticked ("I accept the terms")."""

    default_widget = CheckboxInput

    def to_python(self, value: object) -> object:
        if isinstance(value, str) and value.lower() in ("false", "0"):
            return False
        return bool(value)

    def validate(self, value: object) -> None:
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        return self.to_python(initial) != self.to_python(data)


class NullBooleanField(Field[bool | None]):
    """True, False or None (unknown); never "required"."""

    default_widget = NullBooleanSelect

    def to_python(self, value: object) -> object:
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        return None

    def validate(self, value: object) -> None:
        pass

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        return self.to_python(initial) != self.to_python(data)
