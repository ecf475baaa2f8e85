"""`TextChoices` / `IntegerChoices`: enums whose members carry a human label, for `choices=`."""

from __future__ import annotations

import enum
from typing import Any, Self

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class Choices(enum.Enum):
    """Members are `NAME = value` or `NAME = value, "Label"`; the label defaults from the name."""

    _label_: str

    def __new__(cls, *args: Any) -> Self:
        base: Any = getattr(cls, "_member_type_", object)
        if len(args) == 2 and isinstance(args[1], str):
            value, label = args
        else:
            value, label = args[0], None
        obj: Any = base.__new__(cls, value) if base is not object else object.__new__(cls)
        obj._value_ = value
        obj._label_ = label
        return obj  # type: ignore[no-any-return]

    def __init__(self, *args: Any) -> None:
        label: str | None = getattr(self, "_label_", None)
        if label is None:
            self._label_ = self.name.replace("_", " ").title()

    @property
    def label(self) -> str:
        return self._label_

    @classmethod
    def choices_list(cls) -> list[tuple[Any, str]]:
        return [(m.value, m.label) for m in cls]

    def __str__(self) -> str:
        return str(self.value)


class IntegerChoices(int, Choices):
    """Integer choices: `DRAFT = 1, "Draft"`."""


class TextChoices(str, Choices):
    """Text choices: `DRAFT = "d", "Draft"` (or just `DRAFT = "d"`)."""
