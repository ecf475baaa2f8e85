"""Reverse templates: a URL as literal text and parameters, and how to fill one in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from djanco.urls.converters import Converter


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter slot: its URL text must fully match ``regex`` after ``converter.to_url``."""

    name: str
    regex: re.Pattern[str]
    converter: Converter[Any] | None = None

    def to_text(self, value: object) -> str | None:
        """The URL text for ``value``, or None when it does not fit this slot."""
        if self.converter is not None:
            try:
                text = str(self.converter.to_url(value))
            except (ValueError, TypeError):
                return None
        else:
            text = str(value)
        return text if self.regex.fullmatch(text) else None


Template = tuple[str | Param, ...]


def params_of(template: Template) -> tuple[str, ...]:
    """The parameter names of ``template``, in URL order."""
    return tuple(seg.name for seg in template if isinstance(seg, Param))


def render(template: Template, values: Mapping[str, object]) -> str | None:
    """Fill ``template`` with ``values`` (one per parameter); None if any value does not fit."""
    out: list[str] = []
    for seg in template:
        if isinstance(seg, str):
            out.append(seg)
            continue
        text = seg.to_text(values[seg.name])
        if text is None:
            return None
        out.append(text)
    return "".join(out)
