"""Choices for choice fields and widgets, in every form Django accepts them.

A list of ``(value, label)`` pairs, where a label may itself be a list of pairs (an
``<optgroup>``); a mapping ``{value: label}`` (nested mappings are groups); a ``TextChoices`` /
``IntegerChoices`` (or any Enum) class; a callable returning one of these, called each time
the choices are read; or a re-iterable object read lazily (``ModelChoiceField``'s queryset).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeAlias, cast

__all__ = ["BLANK_CHOICE_DASH", "Choices", "flatten_choices", "normalize_choices"]

Pair: TypeAlias = tuple[object, object]
Choices: TypeAlias = (
    Iterable[Pair] | Mapping[Any, object] | type[enum.Enum] | Callable[[], Iterable[Pair]]
)

BLANK_CHOICE_DASH: list[Pair] = [("", "---------")]
"""The empty choice a select box offers first when a value is optional."""


class CallableChoices(Iterable[Pair]):
    """Choices computed by a function each time they are iterated."""

    def __init__(self, function: Callable[[], Choices]) -> None:
        self.function = function

    def __iter__(self) -> Iterator[Pair]:
        return iter(normalize_choices(self.function()))


def normalize_choices(choices: Choices | None) -> Iterable[Pair]:
    """``choices`` as ``(value, label)`` pairs (labels of groups are lists of pairs).

    Lazy sources (callables, querysets' iterators) stay lazy.
    """
    if choices is None:
        return []
    if isinstance(choices, type) and issubclass(choices, enum.Enum):
        return [(member.value, getattr(member, "label", member.name)) for member in choices]
    if isinstance(choices, Mapping):
        return [_pair(value, label) for value, label in choices.items()]
    if isinstance(choices, list | tuple):
        return [_pair(*choice) for choice in choices]
    if isinstance(choices, Iterable):
        return choices  # re-iterable and lazy: read at render and validation time
    return CallableChoices(cast(Callable[[], Choices], choices))


def _pair(value: object, label: object) -> Pair:
    if isinstance(label, Mapping):
        return (value, [_pair(v, lbl) for v, lbl in label.items()])
    if isinstance(label, list | tuple) and not isinstance(label, str):
        return (value, [_pair(*choice) for choice in label])
    return (value, label)


def flatten_choices(choices: Iterable[Pair]) -> Iterator[Pair]:
    """Every ``(value, label)`` pair, with groups opened."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from flatten_choices(label)
        else:
            yield (value, label)
