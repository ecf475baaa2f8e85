"""Small helpers of the forms package: labels from names, quick copies of fields and widgets."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["pretty_name", "shallow_copy"]

_O = TypeVar("_O")


def pretty_name(name: str) -> str:
    """A label from a field name: ``"first_name"`` → ``"First name"``."""
    return name.replace("_", " ").capitalize()


def shallow_copy(obj: _O) -> _O:
    """A copy sharing ``obj``'s attribute values (``copy.copy`` for plain objects, faster:
    every form instance copies each of its fields and their widgets)."""
    clone: _O = object.__new__(type(obj))
    clone.__dict__.update(obj.__dict__)
    return clone
