"""Cache-related response headers: ``Cache-Control``, ``Expires`` and ``Vary``.

The helpers take any object with Django's header access (``HttpResponse`` has it). Learning
and looking up the cache key of a page needs a cache and a request, floors above this one:
``get_cache_key`` and ``learn_cache_key`` live in ``djanco.views.decorators.cache``.
"""

from __future__ import annotations

import re
import time
from email.utils import formatdate
from typing import Protocol

__all__ = [
    "add_never_cache_headers",
    "get_max_age",
    "has_vary_header",
    "patch_cache_control",
    "patch_response_headers",
    "patch_vary_headers",
    "vary_headers",
]

_LIST_SEPARATOR = re.compile(r"\s*,\s*")


class ResponseHeaders(Protocol):
    """What the helpers need of a response: Django-style header access."""

    def has_header(self, header: str) -> bool: ...

    def __getitem__(self, header: str, /) -> str: ...

    def __setitem__(self, header: str, value: str, /) -> None: ...


def _directives(response: ResponseHeaders) -> dict[str, str | bool | set[str | bool]]:
    """The Cache-Control directives: a bare one is True; ``no-cache`` collects field names."""
    found: dict[str, str | bool | set[str | bool]] = {}
    if not response.has_header("Cache-Control"):
        return found
    for part in _LIST_SEPARATOR.split(response["Cache-Control"].strip()):
        if not part:
            continue
        name, equals, value = part.partition("=")
        directive = name.lower()
        parsed: str | bool = value if equals else True
        if directive == "no-cache":
            field_names = found.setdefault(directive, set())
            assert isinstance(field_names, set)
            field_names.add(parsed)
        else:
            found[directive] = parsed
    return found


def patch_cache_control(response: ResponseHeaders, **kwargs: str | int | bool) -> None:
    """Add directives to Cache-Control: ``max_age=60`` → ``max-age=60``, ``private=True`` →
    ``private``. An existing max-age wins if smaller; ``public`` and ``private`` replace each
    other; ``no_cache`` may be given once per field name."""
    directives = _directives(response)
    current_max_age = directives.get("max-age")
    if isinstance(current_max_age, str) and current_max_age.isdigit() and "max_age" in kwargs:
        kwargs["max_age"] = min(int(current_max_age), int(kwargs["max_age"]))
    if "public" in kwargs:
        directives.pop("private", None)
    if "private" in kwargs:
        directives.pop("public", None)
    for key, value in kwargs.items():
        directive = key.replace("_", "-")
        given: str | bool = value if isinstance(value, bool) else str(value)
        if directive == "no-cache":
            field_names = directives.setdefault(directive, set())
            assert isinstance(field_names, set)
            field_names.add(given)
        else:
            directives[directive] = given
    parts: list[str] = []
    for directive, setting in directives.items():
        values = setting if isinstance(setting, set) else {setting}
        if True in values:
            values = {True}  # a bare no-cache covers every field name
        parts.extend(
            directive if v is True else f"{directive}={v}" for v in sorted(values, key=str)
        )
    response["Cache-Control"] = ", ".join(parts)


def get_max_age(response: ResponseHeaders) -> int | None:
    """The Cache-Control max-age in seconds, or None when there is no (whole number) one."""
    value = _directives(response).get("max-age")
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def patch_response_headers(response: ResponseHeaders, cache_timeout: float) -> None:
    """Say the response may be cached ``cache_timeout`` seconds: ``Expires`` (unless set) and
    ``Cache-Control: max-age``."""
    seconds = max(0, int(cache_timeout))
    if not response.has_header("Expires"):
        response["Expires"] = formatdate(time.time() + seconds, usegmt=True)
    patch_cache_control(response, max_age=seconds)


def add_never_cache_headers(response: ResponseHeaders) -> None:
    """Ask every cache never to store the response."""
    patch_response_headers(response, cache_timeout=-1)
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True, private=True)


def vary_headers(response: ResponseHeaders) -> list[str]:
    """The header names in the response's Vary header, as written."""
    if not response.has_header("Vary"):
        return []
    return [name for name in _LIST_SEPARATOR.split(response["Vary"].strip()) if name]


def patch_vary_headers(response: ResponseHeaders, newheaders: list[str] | tuple[str, ...]) -> None:
    """Add header names to Vary (case-insensitively once each, in order); ``*`` replaces
    them all."""
    names = vary_headers(response)
    present = {name.lower() for name in names}
    for name in newheaders:
        if name.lower() not in present:
            names.append(name)
            present.add(name.lower())
    response["Vary"] = "*" if "*" in names else ", ".join(names)


def has_vary_header(response: ResponseHeaders, header_query: str) -> bool:
    """Whether the response's Vary header names ``header_query`` (case-insensitive)."""
    return header_query.lower() in {name.lower() for name in vary_headers(response)}
