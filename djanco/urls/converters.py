"""Path converters: the ``int`` in ``<int:pk>``, built in and registered by users."""

from __future__ import annotations

import re
import uuid
from typing import Any, Protocol, TypeVar

from djanco.core.exceptions import ImproperlyConfigured

__all__ = [
    "Converter",
    "IntConverter",
    "PathConverter",
    "SlugConverter",
    "StringConverter",
    "UUIDConverter",
    "register_converter",
]

T = TypeVar("T")


class Converter(Protocol[T]):
    """What a converter class provides: a regex, and conversions both ways.

    ``to_python`` and ``to_url`` may raise ``ValueError`` to say "no match": the path then
    does not resolve to this pattern, or ``reverse()`` tries the next pattern.
    """

    @property
    def regex(self) -> str: ...

    def to_python(self, value: str) -> T: ...

    def to_url(self, value: T) -> str: ...


class IntConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class StringConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class SlugConverter(StringConverter):
    regex = "[-a-zA-Z0-9_]+"


class PathConverter(StringConverter):
    regex = ".+"


class UUIDConverter:
    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID) -> str:
        return str(value)


# Instances, one per name; the value type varies per converter, hence Any (private).
_converters: dict[str, Converter[Any]] = {
    "int": IntConverter(),
    "path": PathConverter(),
    "slug": SlugConverter(),
    "str": StringConverter(),
    "uuid": UUIDConverter(),
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def register_converter(converter: type[Converter[T]], type_name: str) -> None:
    """Make ``<type_name:param>`` usable in ``path()`` routes defined from now on.

    Registering the same class again is harmless; taking a name already used by another
    converter is an error (Django 6 semantics), as is a name or regex that cannot work.
    """
    if not _NAME.match(type_name):
        raise ValueError(f"Converter name {type_name!r} must be a Python identifier.")
    existing = _converters.get(type_name)
    if existing is not None:
        if type(existing) is converter:
            return
        raise ValueError(f"Converter {type_name!r} is already registered.")
    instance = converter()
    regex = getattr(instance, "regex", None)
    if not isinstance(regex, str):
        raise ValueError(f"Converter {converter.__qualname__} needs a 'regex' string attribute.")
    try:
        re.compile(regex)
    except re.error as exc:
        raise ValueError(
            f"Converter {converter.__qualname__} has an invalid regex {regex!r}: {exc}"
        ) from None
    _converters[type_name] = instance


def get_converter(type_name: str, route: str) -> Converter[Any]:
    """The converter registered as ``type_name``; the error names the ``route`` using it.

    Internal to the URL layer (not exported): its value type is only known per converter.
    """
    try:
        return _converters[type_name]
    except KeyError:
        known = ", ".join(sorted(_converters))
        raise ImproperlyConfigured(
            f"URL route {route!r} uses unknown converter {type_name!r}. Known converters: "
            f"{known}; add others with register_converter()."
        ) from None
