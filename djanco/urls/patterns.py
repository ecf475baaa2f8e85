"""Compiled URL patterns: a ``path()`` route or a ``re_path()`` regex, matched and reversed."""

from __future__ import annotations

import re
import string
from typing import Any

from djanco.core.exceptions import ImproperlyConfigured
from djanco.urls._regex import reverse_templates
from djanco.urls._template import Param, Template
from djanco.urls.converters import Converter, get_converter

__all__ = ["Match", "Pattern", "RegexPattern", "RoutePattern"]

# What a pattern's match gives: the rest of the path, positional args, keyword args.
Match = tuple[str, tuple[object, ...], dict[str, object]]
_NO_ARGS: tuple[object, ...] = ()
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


class RoutePattern:
    """A ``path()`` route such as ``"articles/<int:pk>/"``, compiled once.

    Routes without converters match by string comparison; the others by a precompiled regex
    (``fullmatch`` for endpoints, a prefix ``match`` for ``include()``).
    """

    __slots__ = ("_converters", "_literal", "_regex", "is_endpoint", "route", "templates")

    def __init__(self, route: str, *, is_endpoint: bool) -> None:
        self.route = route
        self.is_endpoint = is_endpoint
        regex, converters, template = _compile_route(route)
        self._converters: dict[str, Converter[Any]] = converters
        self._literal: str | None = None if converters else route
        self._regex = re.compile(regex)
        self.templates: list[Template] = [template]

    @property
    def regex(self) -> re.Pattern[str]:
        return self._regex

    @property
    def literal(self) -> str | None:
        """The route itself when it has no parameters, else None."""
        return self._literal

    def match(self, path: str) -> Match | None:
        literal = self._literal
        if literal is not None:
            if self.is_endpoint:
                return ("", _NO_ARGS, {}) if path == literal else None
            return (path[len(literal) :], _NO_ARGS, {}) if path.startswith(literal) else None
        m = self._regex.fullmatch(path) if self.is_endpoint else self._regex.match(path)
        if m is None:
            return None
        converters = self._converters
        kwargs: dict[str, object] = {}
        try:
            for key, value in m.groupdict().items():
                kwargs[key] = converters[key].to_python(value)
        except ValueError:  # the converter's way of saying "not this pattern"
            return None
        return path[m.end() :], _NO_ARGS, kwargs

    def __str__(self) -> str:
        return self.route

    def __repr__(self) -> str:
        return f"<RoutePattern {self.route!r}>"


class RegexPattern:
    """A ``re_path()`` regex such as ``r"^articles/(?P<year>[0-9]{4})/$"``, compiled once.

    As in Django: named groups become keyword arguments (unnamed ones are then ignored),
    otherwise unnamed groups become positional arguments.
    """

    __slots__ = ("_fullmatch", "_regex", "is_endpoint", "route", "templates")

    def __init__(self, regex: str, *, is_endpoint: bool) -> None:
        self.route = regex
        self.is_endpoint = is_endpoint
        try:
            self._regex = re.compile(regex)
        except re.error as exc:
            raise ImproperlyConfigured(
                f"URL regex {regex!r} is not a valid regular expression: {exc}"
            ) from None
        self._fullmatch = is_endpoint and regex.endswith("$")
        self.templates = reverse_templates(regex, positional=not self._regex.groupindex)

    @property
    def regex(self) -> re.Pattern[str]:
        return self._regex

    def match(self, path: str) -> Match | None:
        m = self._regex.fullmatch(path) if self._fullmatch else self._regex.search(path)
        if m is None:
            return None
        named = m.groupdict()
        if named:
            kwargs: dict[str, object] = {k: v for k, v in named.items() if v is not None}
            return path[m.end() :], _NO_ARGS, kwargs
        return path[m.end() :], tuple(g for g in m.groups() if g is not None), {}

    def __str__(self) -> str:
        return self.route

    def __repr__(self) -> str:
        return f"<RegexPattern {self.route!r}>"


Pattern = RoutePattern | RegexPattern


def _compile_route(route: str) -> tuple[str, dict[str, Converter[Any]], Template]:
    """The regex, converters and reverse template for ``route``; bad routes fail here."""
    parts = ["^"]
    converters: dict[str, Converter[Any]] = {}
    template: list[str | Param] = []
    pos = 0
    for m in _PARAMETER.finditer(route):
        literal = route[pos : m.start()]
        _check_literal(route, literal)
        parts.append(re.escape(literal))
        template.append(literal)
        pos = m.end()
        if not set(m.group()).isdisjoint(string.whitespace):
            raise ImproperlyConfigured(
                f"URL route {route!r} cannot contain whitespace in angle brackets <…>."
            )
        name = m.group("parameter")
        if not name.isidentifier():
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {name!r} which isn't a valid "
                "Python identifier."
            )
        if name in converters:
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {name!r} more than once."
            )
        converter = get_converter(m.group("converter") or "str", route)
        converters[name] = converter
        parts.append(f"(?P<{name}>{converter.regex})")
        template.append(Param(name, re.compile(converter.regex), converter))
    literal = route[pos:]
    _check_literal(route, literal)
    parts.append(re.escape(literal))
    template.append(literal)
    return "".join(parts), converters, tuple(seg for seg in template if seg != "")


def _check_literal(route: str, literal: str) -> None:
    for bracket in "<>":
        if bracket in literal:
            raise ImproperlyConfigured(
                f"URL route {route!r} has an unmatched {bracket!r}: parameters are written "
                "<converter:name> or <name>."
            )
