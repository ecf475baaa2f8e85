"""Form errors: ``ErrorList`` (one field's messages) and ``ErrorDict`` (field name → ErrorList).

Both render as Django's HTML (``<ul class="errorlist">``) through overridable templates, and
compare equal to plain lists and dicts of messages, so ``form.errors == {"title": ["This field
is required."]}`` holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from markupsafe import escape

from djanco.core.exceptions import ValidationError
from djanco.forms.renderers import RenderableErrorMixin

__all__ = ["ErrorDict", "ErrorGroup", "ErrorList", "split_errors"]


class ErrorGroup(ValidationError):
    """Several errors raised together (by a field's validators), each keeping its code."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.parts = [part for error in errors for part in split_errors(error)]
        super().__init__([part.messages[0] for part in self.parts])
        if len(self.parts) == 1:
            self.code = self.parts[0].code


def split_errors(error: ValidationError) -> list[ValidationError]:
    """One ValidationError per message, each with the code of the error it came from."""
    if isinstance(error, ErrorGroup):
        return list(error.parts)
    messages = error.messages
    if len(messages) == 1 and error.error_dict is None:
        return [error]
    return [ValidationError(message) for message in messages]


class ErrorList(RenderableErrorMixin, Sequence[str]):
    """The messages of one field (or the form's non-field errors), in order."""

    template_name = "djanco/forms/errors/list/ul.html"
    template_name_text = "djanco/forms/errors/list/text.txt"
    template_name_ul = "djanco/forms/errors/list/ul.html"

    def __init__(
        self,
        errors: Iterable[ValidationError | str] = (),
        error_class: str | None = None,
        field_id: str | None = None,
    ) -> None:
        self.data: list[ValidationError] = []
        self.extend(errors)
        self.error_class = "errorlist" if error_class is None else f"errorlist {error_class}"
        self.field_id = field_id
        """The id of the field's input; the rendered list gets ``id="<field_id>_error"``."""

    def extend(self, errors: Iterable[ValidationError | str]) -> None:
        for error in errors:
            self.append(error)

    def append(self, error: ValidationError | str) -> None:
        if isinstance(error, str):
            self.data.append(ValidationError(error))
        else:
            self.data.extend(split_errors(error))

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [error.messages[0] for error in self.data[index]]
        return self.data[index].messages[0]

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[str]:
        return (error.messages[0] for error in self.data)

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    def __repr__(self) -> str:
        return repr(list(self))

    def as_data(self) -> list[ValidationError]:
        """The errors as ValidationError instances (with their codes)."""
        return list(self.data)

    def get_json_data(self, escape_html: bool = False) -> list[dict[str, str]]:
        return [
            {
                "message": str(escape(error.messages[0])) if escape_html else error.messages[0],
                "code": error.code or "",
            }
            for error in self.data
        ]

    def as_json(self, escape_html: bool = False) -> str:
        return json.dumps(self.get_json_data(escape_html))

    def get_context(self) -> dict[str, object]:
        return {"errors": self, "error_class": self.error_class}


class ErrorDict(RenderableErrorMixin, dict[str, ErrorList]):
    """Field name → ErrorList; errors that belong to no field are under ``"__all__"``."""

    template_name = "djanco/forms/errors/dict/ul.html"
    template_name_text = "djanco/forms/errors/dict/text.txt"
    template_name_ul = "djanco/forms/errors/dict/ul.html"

    def as_data(self) -> dict[str, list[ValidationError]]:
        return {name: errors.as_data() for name, errors in self.items()}

    def get_json_data(self, escape_html: bool = False) -> dict[str, list[dict[str, str]]]:
        return {name: errors.get_json_data(escape_html) for name, errors in self.items()}

    def as_json(self, escape_html: bool = False) -> str:
        return json.dumps(self.get_json_data(escape_html))

    def get_context(self) -> dict[str, object]:
        return {"errors": self.items(), "error_class": "errorlist"}
