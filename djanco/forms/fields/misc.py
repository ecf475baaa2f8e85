"""UUIDField and JSONField."""

from __future__ import annotations

import json
import uuid
from typing import Literal, overload

from typing_extensions import TypeVar, Unpack

from djanco.core.exceptions import ValidationError
from djanco.forms.fields.base import Field, FieldOptions
from djanco.forms.widgets import Textarea

__all__ = ["JSONField", "UUIDField"]

_T = TypeVar("_T", covariant=True)  # a field produces its value, never takes one
_J = TypeVar("_J", covariant=True, default=object)  # the value type unless annotated


class UUIDField(Field[_T]):
    """A ``uuid.UUID``, typed in any form ``uuid.UUID()`` reads (with or without hyphens)."""

    default_error_messages = {"invalid": "Enter a valid UUID."}

    @overload
    def __init__(
        self: UUIDField[uuid.UUID],
        *,
        required: Literal[True] = True,
        **options: Unpack[FieldOptions],
    ) -> None: ...
    @overload
    def __init__(
        self: UUIDField[uuid.UUID | None], *, required: bool, **options: Unpack[FieldOptions]
    ) -> None: ...
    def __init__(self, *, required: bool = True, **options: Unpack[FieldOptions]) -> None:
        super().__init__(required=required, **options)

    def prepare_value(self, value: object) -> object:
        return str(value) if isinstance(value, uuid.UUID) else value

    def to_python(self, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, uuid.UUID):
            return value
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class _InvalidJSON(str):
    """Submitted text that is not JSON, shown back to the user as typed."""


class JSONField(Field[_J]):
    """Any JSON value, typed into a textarea; cleaned to the parsed value.

    The cleaned value is typed ``object``; annotate for a precise type:
    ``tags: forms.JSONField[list[str]] = forms.JSONField()``.
    """

    default_widget = Textarea
    default_error_messages = {"invalid": "Enter a valid JSON."}

    def __init__(
        self,
        *,
        encoder: type[json.JSONEncoder] | None = None,
        decoder: type[json.JSONDecoder] | None = None,
        required: bool = True,
        **options: Unpack[FieldOptions],
    ) -> None:
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(required=required, **options)

    def _parse(self, text: str) -> object:
        try:
            parsed: object = json.loads(text, cls=self.decoder)
        except (ValueError, RecursionError):  # bad JSON, too many digits, too deeply nested
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            ) from None
        return parsed

    def to_python(self, value: object) -> object:
        if self.disabled:
            return value  # the initial value, already Python
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return self._parse(value)

    def bound_data(self, data: object, initial: object) -> object:
        if self.disabled:
            return initial
        if not isinstance(data, str):
            return None
        try:
            return self._parse(data)
        except ValidationError:
            return _InvalidJSON(data)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, _InvalidJSON):
            return value
        return json.dumps(value, ensure_ascii=False, cls=self.encoder)

    def has_changed(self, initial: object, data: object) -> bool:
        if self.disabled:
            return False
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        # True is not 1 here, and the order of keys does not matter.
        return json.dumps(initial, sort_keys=True, cls=self.encoder) != json.dumps(
            new, sort_keys=True, cls=self.encoder
        )
